"""The big room through the whole ASGI stack: boards larger than a frame, events coalesced into
one frame per socket, and a socket whose client reads too slowly."""

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import HttpCommunicator

from cjm.asgi import application
from documents import mapfile
from tests.live import headers_for, next_of, nothing_more, open_board, receive, send_op
from workshops import services
from workshops.models import JourneyMap
from workshops.realtime import hub as hub_module
from workshops.realtime.hub import Hub
from workshops.realtime.outbox import Link
from workshops.services import voting

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]

MEBIBYTE = 1024 * 1024


def big_map(actor, workshop, cards=2000, text=500):
    """A board of about 2 MB, imported as one change, as a map file would be."""
    document = {
        "format": mapfile.FORMAT,
        "version": mapfile.VERSION,
        "map": {"title": "Big board", "description": "", "state": "current", "persona": None},
        "stages": [{"key": f"st-{n}", "title": f"Stage {n}", "description": ""} for n in range(7)],
        "lanes": [{"key": f"ln-{n}", "title": f"Lane {n}", "kind": "text"} for n in range(8)],
        "cards": [
            {
                "key": f"cd-{n}",
                "stage": f"st-{n % 7}",
                "lane": f"ln-{n % 8}",
                "text": f"Card {n} ".ljust(text, "x"),
            }
            for n in range(cards)
        ],
        "evidence": [],
    }
    return mapfile.map_import(actor=actor, workshop=workshop, data=document)


async def http_get(headers, path):
    """A GET through the same ASGI application the sockets use."""
    cookie = dict(headers)[b"cookie"]
    communicator = HttpCommunicator(
        application, "GET", path, headers=[(b"host", b"testserver"), (b"cookie", cookie)]
    )
    response = await communicator.get_response(timeout=30)
    return response["status"], response["body"]


def test_a_board_over_a_mebibyte_opens_for_every_role(alice, bob, carol, workshop):
    journey_map = big_map(alice, workshop)
    people = {"facilitator": alice, "editor": bob, "viewer": carol}
    headers = {role: headers_for(user) for role, user in people.items()}

    async def scenario():
        for role, user in people.items():
            # The first board_url of a process loads the URLconf: a little longer.
            board, snapshot = await open_board(headers[role], journey_map.pk, timeout=5)
            # Too large for a frame: everything but the board, and where to fetch it.
            assert "board" not in snapshot and snapshot["now"]
            assert snapshot["you"] == {"id": user.pk, "name": user.first_name, "role": role}
            status, body = await http_get(headers[role], snapshot["board_url"])
            assert status == 200 and len(body) > MEBIBYTE
            fetched = json.loads(body)
            assert fetched["revision"] == snapshot["revision"]
            assert len(fetched["cards"]) == 2000
            assert {"controls", "vote", "private_mode", "evidence"} <= fetched.keys()
            await board.send_json_to({"type": "ping"})
            assert await next_of(board, "pong")
            await board.disconnect()

    async_to_sync(scenario)()


def test_an_event_too_large_for_a_frame_comes_as_its_envelope(
    settings, alice, bob, journey_map, stages, lanes
):
    for number in range(40):
        services.card_create(
            actor=bob, map=journey_map, stage_id=stages[0].pk, lane_id=lanes["actions"].pk,
            text=f"Card {number} ".ljust(200, "x"),
        )  # fmt: skip
    settings.REALTIME_MESSAGE_BYTES = 4096
    headers = headers_for(alice)

    async def scenario():
        board, snapshot = await open_board(headers, journey_map.pk)
        assert snapshot["board_url"] == f"/api/maps/{journey_map.pk}/"
        delete = {"type": "stage.delete", "id": "d-1", "data": {"stage": stages[0].pk}}
        assert (await send_op(board, delete))["type"] == "ack"
        event = await next_of(board, "event")
        assert event["event"] == "stage.deleted" and event["op"] == "d-1"
        assert event["payload"] == {} and event["board_url"] == snapshot["board_url"]
        await board.send_json_to({"type": "sync", "since": snapshot["revision"]})
        missed = await next_of(board, "events")
        assert [e["board_url"] for e in missed["events"]] == [snapshot["board_url"]]
        await board.disconnect()

    async_to_sync(scenario)()


def test_a_catch_up_too_large_for_a_frame_comes_in_parts(settings, alice, journey_map, stages):
    headers = headers_for(alice)
    settings.REALTIME_MESSAGE_BYTES = 2048
    for number in range(12):
        services.stage_update(
            actor=alice, map=journey_map, stage_id=stages[0].pk, title=f"Stage {number:03}"
        )

    async def scenario():
        board, snapshot = await open_board(headers, journey_map.pk)
        since = snapshot["revision"] - 12
        await board.send_json_to({"type": "sync", "since": since})
        parts = [await next_of(board, "events")]
        while parts[-1].get("more"):
            parts.append(await next_of(board, "events"))
        # As the server wrote them: compact JSON (broadcast.encode), no spaces after separators.
        wire = [json.dumps(part, separators=(",", ":")) for part in parts]
        assert len(parts) > 1 and all(len(text) <= 2048 for text in wire)
        revisions = [event["revision"] for part in parts for event in part["events"]]
        assert revisions == list(range(since + 1, snapshot["revision"] + 1))
        await board.disconnect()

    async_to_sync(scenario)()


# --- coalescing -----------------------------------------------------------------------------


def test_coalesced_frames_keep_revision_order_and_each_audiences_secrets(
    monkeypatch, alice, bob, carol, journey_map, stages, lanes
):
    # Frames at most every 200 ms, so that changes made together surely share one.
    monkeypatch.setattr(Hub, "interval", 0.2)
    voting.private_start(actor=alice, map=journey_map)
    headers = {user: headers_for(user) for user in (alice, bob, carol)}

    def brainstorm():
        for number in range(4):
            services.card_create(
                actor=bob, map=journey_map, stage_id=stages[0].pk, lane_id=lanes["thoughts"].pk,
                text=f"SECRET idea {number}",
            )  # fmt: skip

    async def scenario():
        boards = {user: (await open_board(headers[user], journey_map.pk))[0] for user in headers}
        start = await revision_of(journey_map)
        await database_sync_to_async(brainstorm)()
        seen = {user: await events_until(board, start + 4) for user, board in boards.items()}
        for board in boards.values():
            await board.disconnect()
        return start, seen

    start, seen = async_to_sync(scenario)()
    for events, frames in seen.values():
        assert [event["revision"] for event in events] == list(range(start + 1, start + 5))
        shared = [frame for frame in frames if frame["type"] == "events" and frame.get("live")]
        assert shared and len(shared[0]["events"]) > 1, frames  # coalesced into one frame
        assert shared[0]["revision"] == shared[0]["events"][-1]["revision"]
    assert [e["payload"]["card"]["text"] for e in seen[bob][0]] == [
        f"SECRET idea {number}" for number in range(4)
    ]
    for other in (alice, carol):
        assert {e["event"] for e in seen[other][0]} == {"hidden"}
        assert "SECRET" not in json.dumps(seen[other][1])


async def events_until(board, revision):
    """The events up to `revision` as the client applies them, and the frames they came in."""
    events = []
    while not events or events[-1]["revision"] < revision:
        message = await receive(board, timeout=2)
        if message["type"] == "event":
            events.append(message)
    return events, [frame for frame in board.frames if frame["type"] != "presence"]


@database_sync_to_async
def revision_of(journey_map):
    return JourneyMap.objects.get(pk=journey_map.pk).revision


# --- slow readers ---------------------------------------------------------------------------


@pytest.fixture
def stalled(monkeypatch):
    """The users whose sockets hold more than the bound their client has not read. Under Daphne
    the hub sees the transport's buffer; here we say it."""
    users = set()
    monkeypatch.setattr(Link, "unsent", lambda link: 10 * MEBIBYTE if link.user_id in users else 0)
    monkeypatch.setattr(Hub, "tick_seconds", 0.05)
    return users


def edit(card, number):
    data = {"card": card.pk, "text": f"v{number}"}
    return {"type": "card.update", "id": f"e-{number}", "data": data}


def test_a_slow_reader_is_told_to_catch_up_and_loses_nothing(stalled, bob, carol, card):
    headers = {"bob": headers_for(bob), "carol": headers_for(carol)}

    async def scenario():
        bobs, _ = await open_board(headers["bob"], card.map_id)
        carols, snapshot = await open_board(headers["carol"], card.map_id)
        stalled.add(carol.pk)
        for number in range(3):
            assert (await send_op(bobs, edit(card, number)))["type"] == "ack"
            assert (await next_of(bobs, "event"))["payload"]["card"]["text"] == f"v{number}"
        assert await nothing_but_presence(carols)  # nothing more was written to her socket
        stalled.discard(carol.pk)  # she reads again, and has drained
        told = await next_of(carols, "catch_up")
        assert told["revision"] == snapshot["revision"] + 3
        await carols.send_json_to({"type": "sync", "since": snapshot["revision"]})
        missed = await next_of(carols, "events")
        assert [e["payload"]["card"]["text"] for e in missed["events"]] == ["v0", "v1", "v2"]
        await send_op(bobs, edit(card, 3))
        assert (await next_of(carols, "event"))["payload"]["card"]["text"] == "v3"  # live again
        await bobs.disconnect()
        await carols.disconnect()

    async_to_sync(scenario)()


def test_a_socket_stuck_behind_is_closed_so_that_it_reconnects(monkeypatch, stalled, bob, card):
    monkeypatch.setattr(Hub, "stuck_seconds", 0.2)
    headers = headers_for(bob)

    async def scenario():
        board, _ = await open_board(headers, card.map_id)
        stalled.add(bob.pk)
        await board.send_json_to(edit(card, 1))
        while (output := await board.receive_output(timeout=2))["type"] != "websocket.close":
            pass
        assert output["code"] == 4008
        # Its hub let it go and, with no socket left, went too.
        assert (asyncio.get_running_loop(), card.map_id) not in hub_module._hubs
        await board.disconnect()

    async_to_sync(scenario)()


async def nothing_but_presence(board) -> bool:
    while not await nothing_more(board):
        if (message := await receive(board))["type"] != "presence":
            raise AssertionError(f"a stalled socket was written to: {message}")
    return True
