"""Where a webhook may send: an http(s) URL whose host resolves only to public addresses.

Loopback, private, link-local (a cloud's metadata service at 169.254.169.254), shared, reserved
and multicast addresses are refused, every address of the host checked, unless the operator sets
WEBHOOK_ALLOW_PRIVATE (an install on a LAN, the tests). A delivery connects to an address checked
here without resolving the name again (outgoing.py): a name whose answer changes in between
cannot slip past.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

URL_MAX = 2000


class Refused(Exception):
    """A URL or address a webhook may not send to; the message says why, for the facilitator."""


class Unresolved(Exception):
    """The host has no address now (a typo, or DNS down): a delivery may try again later."""


@dataclass(frozen=True)
class Target:
    """A checked URL, in the parts a connection needs."""

    scheme: str
    host: str  # ASCII (IDNA), without brackets: for the connection, Host and TLS
    port: int
    path: str  # with its query

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def target_of(url: str) -> Target:
    """The parts of an http(s) URL, or Refused saying what is wrong with it."""
    if not isinstance(url, str) or not url.strip():
        raise Refused("Give the endpoint's URL, starting with https:// or http://.")
    if len(url) > URL_MAX:
        raise Refused(f"At most {URL_MAX} characters.")
    if any(ord(character) < 33 for character in url.strip()):
        raise Refused("A URL has no spaces or control characters.")
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise Refused("Only http:// and https:// URLs can receive webhooks.")
    if parts.username is not None or parts.password is not None:
        raise Refused("Put no user name or password in the URL: deliveries are signed instead.")
    try:
        port = parts.port
    except ValueError:
        raise Refused("The URL's port is not a number from 1 to 65535.") from None
    host = _ascii_host(parts.hostname)
    scheme = parts.scheme.lower()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(
        scheme=scheme, host=host, port=port or (443 if scheme == "https" else 80), path=path
    )


def _ascii_host(hostname: str | None) -> str:
    if not hostname:
        raise Refused("The URL has no host name.")
    try:
        return hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise Refused("The URL's host name is not a valid name.") from None


def is_refused(address: str) -> bool:
    """Whether an address is one no webhook may reach (without WEBHOOK_ALLOW_PRIVATE)."""
    ip = ipaddress.ip_address(address.split("%")[0])  # an IPv6 zone: "fe80::1%eth0"
    if ip.version == 6:
        # An IPv4 address wearing IPv6 clothes reaches that IPv4 address.
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    return not ip.is_global or ip.is_multicast


def resolve(target: Target) -> list[str]:
    """Every address of the target's host, or Unresolved."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Unresolved(f"The host {target.host} could not be found.") from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise Unresolved(f"The host {target.host} has no address.")
    return addresses


def allowed_addresses(target: Target) -> list[str]:
    """The addresses to connect to, all of them checked; Refused if any is refused (a name
    with one public and one private address could be made to reach the private one)."""
    addresses = resolve(target)
    if not settings.WEBHOOK_ALLOW_PRIVATE:
        refused = [address for address in addresses if is_refused(address)]
        if refused:
            raise Refused(
                f"{target.host} resolves to {refused[0]}, a loopback, private or link-local "
                "address: webhooks go to public addresses only."
            )
    return addresses


def url_check(url: str) -> str:
    """The URL as it is kept, or Refused. A host that does not resolve now passes: each delivery
    checks again, and says so in its log when it cannot reach it."""
    target = target_of(url)
    try:
        allowed_addresses(target)
    except Unresolved:
        pass
    return url.strip()
