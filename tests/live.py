"""Helpers for tests that talk to the live board as a browser would, over a WebSocket."""

from channels.testing import WebsocketCommunicator
from django.test import Client

from cjm.asgi import application

# The router sits behind AllowedHostsOriginValidator: a socket without an Origin is refused.
ORIGIN = (b"origin", b"http://testserver")


def headers_for(user, origin=ORIGIN):
    headers = [origin]
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


async def open_board(headers, map_id, timeout=1):
    communicator = WebsocketCommunicator(application, f"/ws/maps/{map_id}/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    snapshot = await communicator.receive_json_from(timeout=timeout)
    assert snapshot["type"] == "snapshot"
    return communicator, snapshot


def frames_of(communicator) -> list[dict]:
    """Every frame this communicator has read through `receive`, as sent."""
    if not hasattr(communicator, "frames"):
        communicator.frames, communicator.inbox = [], []
    return communicator.frames


def messages_in(frame: dict) -> list[dict]:
    """The messages of a frame as a client applies them: a live `events` frame (events the
    server coalesced) as its events, one by one, in order."""
    live = frame["type"] == "events" and frame.get("live")
    return frame["events"] if live else [frame]


async def receive(communicator, timeout=1) -> dict:
    """The next message, a coalesced frame's one at a time."""
    frames_of(communicator)
    if not communicator.inbox:
        frame = await communicator.receive_json_from(timeout=timeout)
        communicator.frames.append(frame)
        communicator.inbox.extend(messages_in(frame))
    return communicator.inbox.pop(0)


async def nothing_more(communicator, timeout=0.3) -> bool:
    frames_of(communicator)
    return not communicator.inbox and await communicator.receive_nothing(timeout=timeout)


async def nothing_but_presence(communicator, timeout=0.3) -> bool:
    """Nothing more arrives within `timeout` but presence updates (which come when they come:
    whoever opened the board last is announced to the others)."""
    frames_of(communicator)
    while communicator.inbox or not await communicator.receive_nothing(timeout=timeout):
        # receive_nothing, not a receive that times out: that would cancel the consumer.
        if (await receive(communicator))["type"] != "presence":
            return False
    return True


async def next_of(communicator, *types, timeout=1):
    """The next message of one of `types`, passing over presence updates. Events that arrived
    while `send` waited for its ack come first."""
    backlog = getattr(communicator, "backlog", [])
    while backlog:
        message = backlog.pop(0)
        if message["type"] in types:
            return message
    while True:
        message = await receive(communicator, timeout=timeout)
        if message["type"] in types:
            return message
        assert message["type"] == "presence", message


async def send_op(communicator, message) -> dict:
    """Send an operation and return its ack or error; events that come first (one's own may)
    are kept for next_of."""
    await communicator.send_json_to(message)
    communicator.backlog = getattr(communicator, "backlog", [])
    while (reply := await receive(communicator))["type"] not in ("ack", "error"):
        if reply["type"] == "event":
            communicator.backlog.append(reply)
    return reply
