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


async def open_board(headers, map_id):
    communicator = WebsocketCommunicator(application, f"/ws/maps/{map_id}/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    snapshot = await communicator.receive_json_from()
    assert snapshot["type"] == "snapshot"
    return communicator, snapshot


async def next_of(communicator, *types, timeout=1):
    """The next message of one of `types`, passing over presence updates. Events that arrived
    while `send` waited for its ack come first."""
    backlog = getattr(communicator, "backlog", [])
    while backlog:
        message = backlog.pop(0)
        if message["type"] in types:
            return message
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        if message["type"] in types:
            return message
        assert message["type"] == "presence", message
