"""Where people in the room open the site that `make run` serves, and the settings that let them.

    eval "$(python scripts/room_addresses.py --host 0.0.0.0 --port 8000)"

Prints on standard error the addresses to give out (for 0.0.0.0, this machine's LAN addresses),
and on standard output the `export` lines for ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS that accept
them for this run: Django answers 400 to a host it does not know, the board's WebSocket refuses
an origin outside ALLOWED_HOSTS, and a form posted from an unknown origin fails its CSRF check.
Hosts and origins already in the environment are kept.
"""

import argparse
import os
import shlex
import socket
import sys

LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
DEFAULT_ALLOWED_HOSTS = "127.0.0.1,localhost,[::1],testserver"  # cjm/settings.py's default
EVERY_ADDRESS = ("0.0.0.0", "::", "[::]")


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, the one of the default route first."""
    found = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            # A UDP "connection" sends nothing: it only asks which address the route would use.
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
    except OSError:
        pass  # no network at all: the host's own names may still say something
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    found += [info[4][0] for info in infos]
    return list(dict.fromkeys(a for a in found if not a.startswith("127.")))


def room_hosts(host: str) -> list[str]:
    """The hosts people may use: every LAN address when serving on all of them, else `host`."""
    if host in EVERY_ADDRESS:
        return lan_addresses()
    return [] if host in LOCAL_HOSTS else [host]


def with_extra(name: str, extra: list[str], default: str = "") -> str:
    """The comma-separated setting `name` from the environment (or its default) and `extra`."""
    kept = [item for item in (os.environ.get(name) or default).split(",") if item.strip()]
    return ",".join(dict.fromkeys(extra + kept))


def say(line: str = "") -> None:
    print(line, file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    hosts = room_hosts(args.host)
    urls = [f"http://{host}:{args.port}" for host in hosts]
    say()
    say(f"  Journey maps on http://127.0.0.1:{args.port}/ (this machine)")
    for url in urls:
        say(f"  People in the room open {url}/")
    if args.host in EVERY_ADDRESS and not urls:
        say("  No LAN address found: is this machine on the room's network?")
    if args.host in LOCAL_HOSTS:
        say("  Only this machine can open it: `make run HOST=0.0.0.0` serves the room too.")
    say("  Log in as demo / demo (facilitator); maria / demo (editor); sam / demo (viewer).")
    say()
    if hosts:  # else the defaults already cover this machine
        allowed = with_extra("ALLOWED_HOSTS", hosts, default=DEFAULT_ALLOWED_HOSTS)
        print(f"export ALLOWED_HOSTS={shlex.quote(allowed)}")
        origins = with_extra("CSRF_TRUSTED_ORIGINS", urls)
        print(f"export CSRF_TRUSTED_ORIGINS={shlex.quote(origins)}")


if __name__ == "__main__":
    main()
