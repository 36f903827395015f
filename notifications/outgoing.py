"""One POST to a webhook's endpoint, to an address addresses.py checked: no redirect followed,
nothing resolved again, and a deadline on the whole exchange, so that a slow receiver (or one
that sends its answer a byte at a time) never holds a worker for long."""

import http.client
import socket
import ssl
import threading
from dataclasses import dataclass

from .addresses import Target

ANSWER_KEPT = 300  # characters of the receiver's answer kept for the log's reason
ADDRESSES_TRIED = 2  # each within the timeout: a host's first two (often its IPv6 and IPv4)


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


class Unreachable(Exception):
    """No answer: refused connection, TLS failure, timeout. The message is for the log."""


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to a chosen address, naming the URL's host in its requests."""

    def __init__(self, target: Target, address: str, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(_PinnedHTTP):
    """As _PinnedHTTP, with TLS checked against the URL's host name, not the address."""

    tls = ssl.create_default_context()

    def connect(self):
        super().connect()
        self.sock = self.tls.wrap_socket(self.sock, server_hostname=self.host)


def post(
    target: Target, addresses: list[str], body: bytes, headers: dict, timeout: float
) -> Answer:
    """POST `body` to the first of `addresses` that takes a connection."""
    failures = []
    for address in addresses[:ADDRESSES_TRIED]:
        late = threading.Event()
        try:
            return _post_to(target, address, body, headers, timeout, late)
        except (OSError, http.client.HTTPException) as error:
            failures.append(_words(error, timeout, late=late.is_set()))
    unique = list(dict.fromkeys(failures))
    raise Unreachable(" ".join(unique))


def _post_to(target, address, body, headers, timeout, late: threading.Event) -> Answer:
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target, address, timeout)
    # The socket's timeout bounds each read; this bounds them all together.
    deadline = threading.Timer(timeout, _cut, [connection, late])
    deadline.start()
    try:
        connection.putrequest("POST", target.path, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": target.host_header, **headers}.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        text = response.read(ANSWER_KEPT * 4).decode("utf-8", "replace")
        return Answer(status=response.status, text=text[:ANSWER_KEPT])
    finally:
        deadline.cancel()
        connection.close()


def _cut(connection, late: threading.Event) -> None:
    late.set()
    if connection.sock is not None:
        try:
            connection.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # closed already


def _words(error: Exception, timeout: float, *, late: bool) -> str:
    if late or isinstance(error, TimeoutError):
        return f"No answer within {timeout:g} s."
    if isinstance(error, ConnectionRefusedError):
        return "The connection was refused."
    if isinstance(error, ssl.SSLError):
        return f"TLS failed: {error.reason or error}."
    if isinstance(error, http.client.HTTPException | ConnectionError):
        return "The connection closed before an answer came."
    return f"Could not connect: {error.strerror or error}."
