"""One socket as its map's hub sees it: written to straight away, held while it may not take live
messages yet, and left behind (then told to catch up) when its client reads too slowly.

A client that stops reading must not hold up the others, nor make the server keep everything
for it: once its connection holds more than REALTIME_SEND_BUFFER_BYTES that the client has not
taken, the hub writes nothing more to it, so what the server keeps for it stays under that bound
and one frame. When it has drained, it gets `catch_up` and asks for what it missed, which the
map's history holds; one stuck for too long is closed and reconnects the same way.
"""

import functools

from django.conf import settings


def daphne_protocol(send):
    """The WebSocket protocol (autobahn's, in Twisted) behind a Daphne ASGI send, which is
    partial(server.handle_reply, protocol) under Channels' session middleware (its wrapper
    saves sessions on responses, never on frames); None under another server or a test."""
    while hasattr(getattr(send, "__self__", None), "real_send"):
        send = send.__self__.real_send
    if isinstance(send, functools.partial) and send.args:
        protocol = send.args[0]
        if hasattr(protocol, "factory") and hasattr(protocol, "transport"):
            return protocol
    return None


def unsent_bytes(protocol) -> int:
    """What has been written to a socket and not yet taken by the network: the protocol's
    Twisted transport keeps what the kernel would not take (its attributes, as Twisted's own
    FileDescriptor._isSendBufferFull reads them). Without a protocol we cannot see: 0, and the
    bound does not apply."""
    transport = getattr(protocol, "transport", None)
    if transport is None:
        return 0
    written = len(getattr(transport, "dataBuffer", b"")) - getattr(transport, "offset", 0)
    return written + getattr(transport, "_tempDataLen", 0)


def send_now(protocol, data: bytes) -> bool:
    """Put a framed message on a Daphne socket with one send(): through ASGI, each frame went
    through Daphne, autobahn's framing and Twisted's buffer, which registers the socket for
    writing and unregisters it after (two epoll calls); a busy board's fan-out was mostly that.
    Only when nothing is waiting before it, so the order of frames holds; False when the
    socket is no longer open."""
    if protocol.state != protocol.STATE_OPEN:
        return False
    transport = protocol.transport
    if protocol.send_queue or unsent_bytes(protocol) or not hasattr(transport, "writeSomeData"):
        transport.write(data)  # behind what waits (or TLS): Twisted's own way
        return True
    sent = transport.writeSomeData(data)
    if not isinstance(sent, int):  # the connection is lost: Twisted notices and closes it
        sent = 0
    if sent < len(data):
        transport.write(data[sent:])
    return True


class Link:
    """What the hub knows of one of its sockets."""

    def __init__(self, consumer, key: str, state: dict):
        self.consumer = consumer
        self.key = key  # unique across processes: presence and `skip` name sockets by it
        self.user_id = consumer.user.pk
        self.state = state  # as the presence list shows it
        self.holds = 0  # while above 0, messages wait in `held` (in order)
        self.held: list[tuple[int | None, str]] = []
        self.held_bytes = 0
        self.after = 0  # on release, events up to this revision are dropped (in the snapshot)
        self.missed = False  # something was dropped: on release it is told to catch up
        self.behind_since: float | None = None
        self.open = True
        self.protocol = daphne_protocol(consumer.base_send)

    def hold(self) -> None:
        self.holds += 1

    def keep(self, parts: list[tuple[int | None, str]]) -> None:
        """Keep messages for later while held, within the same bound as a slow client."""
        if self.missed:
            return
        self.held += parts
        self.held_bytes += sum(len(text) for _, text in parts)
        if self.held_bytes > send_buffer_limit():
            self.held, self.held_bytes, self.missed = [], 0, True

    def take_held(self) -> list[tuple[int | None, str]]:
        parts = [part for part in self.held if part[0] is None or part[0] > self.after]
        self.held, self.held_bytes = [], 0
        return parts

    def unsent(self) -> int:
        return unsent_bytes(self.protocol)

    async def write(self, text: str) -> None:
        if self.open:
            await self.consumer.write(text)

    async def send(self, frames: list) -> None:
        """Frames shared with other sockets (frames.Frame): straight to a Daphne socket, else
        through ASGI."""
        for frame in frames:
            if self.protocol is None:
                await self.write(frame.text)
            elif self.open and not send_now(self.protocol, frame.framed(self.protocol)):
                return  # closing: its disconnect is on the way


def send_buffer_limit() -> int:
    return settings.REALTIME_SEND_BUFFER_BYTES
