"""The live board's WebSocket, driven through the whole ASGI stack (Origin check, session login,
router, consumer) with Channels' WebsocketCommunicator.

Each test is a sync test that builds its sessions, then runs its async scenario with
async_to_sync; ORM work inside the scenario goes through database_sync_to_async.
"""

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from cjm.asgi import application
from tests.live import headers_for, next_of, nothing_more, open_board, receive
from workshops import services
from workshops.models import Card, JourneyMap, map_group_name
from workshops.realtime import database
from workshops.realtime.consumer import MapConsumer
from workshops.realtime.hub import Hub

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def run(scenario, *args):
    async_to_sync(scenario)(*args)


async def types_within(communicator, seconds):
    """The types of the messages that arrive within `seconds`."""
    types = set()
    while not await nothing_more(communicator, timeout=seconds):
        types.add((await receive(communicator))["type"])
    return types


async def send(communicator, message):
    """Send an operation and return its ack or error; events that come first are kept for
    next_of, since the sender's own event may arrive before its ack."""
    await communicator.send_json_to(message)
    communicator.backlog = getattr(communicator, "backlog", [])
    while True:
        reply = await receive(communicator)
        if reply["type"] in ("ack", "error"):
            return reply
        if reply["type"] == "event":
            communicator.backlog.append(reply)


@database_sync_to_async
def card_texts(journey_map):
    return sorted(Card.objects.filter(map=journey_map).values_list("text", flat=True))


@database_sync_to_async
def revision_of(journey_map):
    return JourneyMap.objects.get(pk=journey_map.pk).revision


def create_card(journey_map, stages, lanes, text="Compares prices", op="op-1"):
    return {
        "type": "card.create",
        "id": op,
        "data": {"stage": stages[0].pk, "lane": lanes["actions"].pk, "text": text},
    }


# --- connecting -----------------------------------------------------------------------------


def test_member_gets_snapshot_with_revision_and_you(bob, journey_map, stages, card):
    async def scenario(headers):
        communicator, snapshot = await open_board(headers, journey_map.pk)
        assert snapshot["revision"] == snapshot["board"]["revision"] == 2
        assert snapshot["you"] == {"id": bob.pk, "name": "Bob", "role": "editor"}
        assert [c["text"] for c in snapshot["board"]["cards"]] == ["Adds items to the cart"]
        assert [s["id"] for s in snapshot["board"]["stages"]] == [s.pk for s in stages]
        await communicator.disconnect()

    run(scenario, headers_for(bob))


@pytest.mark.parametrize("who", ["mallory", "anonymous"])
def test_outsiders_handshake_is_refused(who, mallory, journey_map):
    async def scenario(headers):
        communicator = WebsocketCommunicator(
            application, f"/ws/maps/{journey_map.pk}/", headers=headers
        )
        connected, _ = await communicator.connect()
        assert not connected
        await communicator.disconnect()

    run(scenario, headers_for(mallory if who == "mallory" else None))


def test_unknown_map_handshake_is_refused(bob, journey_map):
    async def scenario(headers):
        communicator = WebsocketCommunicator(application, "/ws/maps/999999/", headers=headers)
        connected, _ = await communicator.connect()
        assert not connected
        await communicator.disconnect()

    run(scenario, headers_for(bob))


def test_foreign_origin_handshake_is_refused(bob, journey_map):
    async def scenario(headers):
        communicator = WebsocketCommunicator(
            application, f"/ws/maps/{journey_map.pk}/", headers=headers
        )
        connected, _ = await communicator.connect()
        assert not connected
        await communicator.disconnect()

    run(scenario, headers_for(bob, origin=(b"origin", b"http://evil.example")))


# --- operations -----------------------------------------------------------------------------


def test_two_members_see_each_others_changes(alice, bob, journey_map, stages, lanes):
    async def scenario(alice_headers, bob_headers):
        alice_ws, start = await open_board(alice_headers, journey_map.pk)
        bob_ws, _ = await open_board(bob_headers, journey_map.pk)

        ack = await send(bob_ws, create_card(journey_map, stages, lanes))
        assert ack == {"type": "ack", "id": "op-1", "revision": start["revision"] + 1}
        seen_by_alice = await next_of(alice_ws, "event")
        assert seen_by_alice["event"] == "card.created"
        assert seen_by_alice["op"] == "op-1"
        assert seen_by_alice["actor"] == {"id": bob.pk, "name": "Bob"}
        assert seen_by_alice["payload"]["card"]["text"] == "Compares prices"
        assert (await next_of(bob_ws, "event")) == seen_by_alice  # the sender gets it too

        card_id = seen_by_alice["payload"]["card"]["id"]
        await send(
            alice_ws,
            {
                "type": "card.move",
                "id": "a-1",
                "data": {
                    "card": card_id,
                    "stage": stages[1].pk,
                    "lane": lanes["thoughts"].pk,
                    "position": 0,
                },
            },
        )
        moved = await next_of(bob_ws, "event")
        assert moved["event"] == "card.moved"
        assert moved["payload"]["to"]["card_ids"] == [card_id]
        await alice_ws.disconnect()
        await bob_ws.disconnect()

    run(scenario, headers_for(alice), headers_for(bob))


def test_viewer_cannot_create_card(carol, journey_map, stages, lanes):
    async def scenario(headers):
        communicator, snapshot = await open_board(headers, journey_map.pk)
        assert snapshot["you"]["role"] == "viewer"
        error = await send(communicator, create_card(journey_map, stages, lanes))
        assert error["code"] == "forbidden"
        assert error["id"] == "op-1"
        assert await card_texts(journey_map) == []
        assert await revision_of(journey_map) == snapshot["revision"]
        await communicator.send_json_to({"type": "ping"})  # still open
        assert (await next_of(communicator, "pong")) == {"type": "pong"}
        await communicator.disconnect()

    run(scenario, headers_for(carol))


def test_viewer_receives_events(bob, carol, journey_map, stages, lanes):
    async def scenario(bob_headers, carol_headers):
        carol_ws, _ = await open_board(carol_headers, journey_map.pk)
        bob_ws, _ = await open_board(bob_headers, journey_map.pk)
        await send(bob_ws, create_card(journey_map, stages, lanes))
        assert (await next_of(carol_ws, "event"))["event"] == "card.created"
        await carol_ws.disconnect()
        await bob_ws.disconnect()

    run(scenario, headers_for(bob), headers_for(carol))


BAD_INPUTS = [
    ("not json {", "bad_message"),
    ("[1, 2]", "bad_message"),
    ('{"id": "x-1"}', "bad_message"),
    ('{"type": "card.explode", "id": "x-1", "data": {}}', "unknown_type"),
    ('{"type": "card.create", "data": {"stage": 1, "lane": 1}}', "bad_message"),
    ('{"type": "card.create", "id": 7, "data": {"stage": 1, "lane": 1}}', "bad_message"),
    ('{"type": "card.create", "id": "x-1", "data": [1]}', "bad_message"),
    ('{"type": "sync", "since": "yesterday"}', "bad_message"),
    ('{"type": "editing", "card": "31"}', "bad_message"),
]


@pytest.mark.parametrize("text, code", BAD_INPUTS)
def test_bad_message_is_refused_and_connection_stays_open(text, code, bob, journey_map, card):
    async def scenario(headers):
        communicator, snapshot = await open_board(headers, journey_map.pk)
        await communicator.send_to(text_data=text)
        error = await next_of(communicator, "error")
        assert error["code"] == code
        assert error["message"]
        await communicator.send_json_to({"type": "ping"})
        assert (await next_of(communicator, "pong")) == {"type": "pong"}
        assert await revision_of(journey_map) == snapshot["revision"]
        await communicator.disconnect()

    run(scenario, headers_for(bob))


@pytest.mark.parametrize(
    "data, field",
    [
        ({"card": "1", "text": "x"}, "card"),
        ({"card": True, "text": "x"}, "card"),
        ({"card": 1, "text": 42}, "text"),
        ({"card": 1, "emotion_score": 1.5}, "emotion_score"),
        ({"card": 1, "base_revision": "3"}, "base_revision"),
    ],
)
def test_wrong_field_type_names_the_field(data, field, bob, journey_map, card):
    async def scenario(headers):
        communicator, snapshot = await open_board(headers, journey_map.pk)
        data["card"] = card.pk if type(data["card"]) is int else data["card"]
        error = await send(communicator, {"type": "card.update", "id": "t-1", "data": data})
        assert error["code"] == "bad_message"
        assert list(error["fields"]) == [field]
        assert await card_texts(journey_map) == ["Adds items to the cart"]
        assert await revision_of(journey_map) == snapshot["revision"]
        await communicator.disconnect()

    run(scenario, headers_for(bob))


def test_missing_and_unknown_fields_are_invalid(bob, journey_map, stages):
    async def scenario(headers):
        communicator, _ = await open_board(headers, journey_map.pk)
        error = await send(
            communicator,
            {"type": "card.create", "id": "m-1", "data": {"stage": stages[0].pk, "colour": "red"}},
        )
        assert error["code"] == "invalid"
        assert set(error["fields"]) == {"lane", "colour"}
        assert await card_texts(journey_map) == []
        await communicator.disconnect()

    run(scenario, headers_for(bob))


def test_ids_of_another_map_are_refused(alice, bob, workshop, journey_map, stages, lanes):
    other = services.map_create(actor=alice, workshop=workshop, title="Other", template="b2c")
    other_stage = other.stages.first()

    async def scenario(headers):
        communicator, snapshot = await open_board(headers, journey_map.pk)
        error = await send(
            communicator,
            {
                "type": "card.create",
                "id": "o-1",
                "data": {"stage": other_stage.pk, "lane": lanes["actions"].pk, "text": "Sneaky"},
            },
        )
        assert error["code"] == "invalid"
        assert "stage" in error["fields"]
        assert await card_texts(journey_map) == []
        assert await revision_of(journey_map) == snapshot["revision"]
        await communicator.disconnect()

    run(scenario, headers_for(bob))


def test_service_validation_error_is_invalid_with_fields(bob, journey_map, stages, lanes):
    async def scenario(headers):
        communicator, _ = await open_board(headers, journey_map.pk)
        message = create_card(journey_map, stages, lanes)
        message["data"]["position"] = 9
        error = await send(communicator, message)
        assert error["code"] == "invalid"
        assert error["fields"] == {"position": ["Position must be a whole number from 0 to 0."]}
        assert error["message"] == "position: Position must be a whole number from 0 to 0."
        await communicator.disconnect()

    run(scenario, headers_for(bob))


def test_oversized_message_is_refused(bob, journey_map, stages, lanes):
    async def scenario(headers):
        communicator, snapshot = await open_board(headers, journey_map.pk)
        message = create_card(journey_map, stages, lanes, text="x" * (65 * 1024))
        await communicator.send_json_to(message)
        error = await next_of(communicator, "error")
        assert error["code"] == "too_large"
        assert await card_texts(journey_map) == []
        assert await revision_of(journey_map) == snapshot["revision"]
        await communicator.send_json_to({"type": "ping"})
        assert (await next_of(communicator, "pong")) == {"type": "pong"}
        await communicator.disconnect()

    run(scenario, headers_for(bob))


def test_repeated_id_is_acked_once_and_applied_once(bob, journey_map, stages, lanes):
    async def scenario(headers):
        communicator, snapshot = await open_board(headers, journey_map.pk)
        first = await send(communicator, create_card(journey_map, stages, lanes, op="same"))
        assert (await next_of(communicator, "event"))["revision"] == first["revision"]
        again = await send(communicator, create_card(journey_map, stages, lanes, op="same"))
        assert again == first
        assert await card_texts(journey_map) == ["Compares prices"]
        assert await revision_of(journey_map) == snapshot["revision"] + 1
        assert await types_within(communicator, 0.3) <= {"presence"}  # no second event
        await communicator.disconnect()

    run(scenario, headers_for(bob))


def test_stale_text_edit_is_a_conflict_with_current_value(alice, bob, journey_map, card):
    async def scenario(alice_headers, bob_headers):
        alice_ws, start = await open_board(alice_headers, journey_map.pk)
        bob_ws, _ = await open_board(bob_headers, journey_map.pk)
        base = start["revision"]
        await send(
            alice_ws,
            {
                "type": "card.update",
                "id": "a-1",
                "data": {"card": card.pk, "text": "Alice's words", "base_revision": base},
            },
        )
        error = await send(
            bob_ws,
            {
                "type": "card.update",
                "id": "b-1",
                "data": {"card": card.pk, "text": "Bob's words", "base_revision": base},
            },
        )
        assert error["code"] == "conflict"
        assert error["field"] == "text"
        assert error["current"] == "Alice's words"
        assert error["revision"] == base + 1
        assert await card_texts(journey_map) == ["Alice's words"]
        # Bob keeps his: resend based on the conflict's revision.
        ack = await send(
            bob_ws,
            {
                "type": "card.update",
                "id": "b-2",
                "data": {
                    "card": card.pk,
                    "text": "Bob's words",
                    "base_revision": error["revision"],
                },
            },
        )
        assert ack["type"] == "ack"
        assert await card_texts(journey_map) == ["Bob's words"]
        await alice_ws.disconnect()
        await bob_ws.disconnect()

    run(scenario, headers_for(alice), headers_for(bob))


def test_every_operation_type_reaches_its_service(alice, journey_map, stages, lanes, card):
    """Each protocol type maps onto its service with the right argument names."""

    async def scenario(headers):
        ws, _ = await open_board(headers, journey_map.pk)
        emotions, pain = lanes["emotions"].pk, lanes["pain_points"].pk
        steps = [
            ("card.create", {"stage": stages[1].pk, "lane": emotions, "emotion_score": -2}),
            ("card.update", {"card": card.pk, "channel": "web"}),
            ("card.move", {"card": card.pk, "stage": stages[2].pk, "lane": pain, "position": 0}),
            ("card.update", {"card": card.pk, "severity": 3}),
            ("stage.create", {"title": "Repurchase", "position": 0}),
            ("stage.update", {"stage": stages[0].pk, "title": "Discovery", "base_revision": 1}),
            ("stage.move", {"stage": stages[0].pk, "position": 2}),
            ("lane.create", {"title": "Quotes", "kind": "thoughts"}),
            ("lane.update", {"lane": lanes["kpis"].pk, "title": "Metrics"}),
            ("lane.move", {"lane": lanes["kpis"].pk, "position": 0}),
            ("map.update", {"title": "Shopping online"}),
            ("card.delete", {"card": card.pk}),
            ("lane.delete", {"lane": lanes["backstage"].pk}),
            ("stage.delete", {"stage": stages[-1].pk}),
        ]
        for number, (kind, data) in enumerate(steps):
            reply = await send(ws, {"type": kind, "id": f"s-{number}", "data": data})
            assert reply["type"] == "ack", (kind, reply)
            event = await next_of(ws, "event")
            assert event["event"].split(".")[0] == kind.split(".")[0]
        await ws.disconnect()

    run(scenario, headers_for(alice))


# --- changes from elsewhere, catching up, deletion ------------------------------------------


def test_service_change_from_elsewhere_reaches_socket(alice, carol, journey_map, stages, lanes):
    async def scenario(headers):
        communicator, snapshot = await open_board(headers, journey_map.pk)
        await database_sync_to_async(services.card_create)(
            actor=alice,
            map=journey_map,
            stage_id=stages[0].pk,
            lane_id=lanes["kpis"].pk,
            text="Conversion 0.84%",
        )
        event = await next_of(communicator, "event")
        assert event["revision"] == snapshot["revision"] + 1
        assert event["op"] is None
        assert event["payload"]["card"]["text"] == "Conversion 0.84%"
        await communicator.disconnect()

    run(scenario, headers_for(carol))


def add_cards(actor, journey_map, stages, lanes, count):
    for number in range(count):
        services.card_create(
            actor=actor,
            map=journey_map,
            stage_id=stages[0].pk,
            lane_id=lanes["actions"].pk,
            text=f"Missed {number}",
        )


def test_sync_returns_missed_events_in_order(alice, bob, journey_map, stages, lanes):
    async def scenario(headers):
        communicator, snapshot = await open_board(headers, journey_map.pk)
        since = snapshot["revision"]
        await communicator.disconnect()  # the client goes away...
        await database_sync_to_async(add_cards)(alice, journey_map, stages, lanes, 3)
        communicator, _ = await open_board(headers, journey_map.pk)  # ...and comes back
        await communicator.send_json_to({"type": "sync", "since": since})
        caught_up = await next_of(communicator, "events")
        assert caught_up["since"] == since
        assert caught_up["revision"] == since + 3
        assert [e["revision"] for e in caught_up["events"]] == [since + 1, since + 2, since + 3]
        assert [e["payload"]["card"]["text"] for e in caught_up["events"]] == [
            "Missed 0",
            "Missed 1",
            "Missed 2",
        ]
        await communicator.disconnect()

    run(scenario, headers_for(bob))


def test_sync_too_far_behind_gets_a_snapshot(monkeypatch, alice, bob, journey_map, stages, lanes):
    monkeypatch.setattr(database, "CATCH_UP_LIMIT", 2)
    add_cards(alice, journey_map, stages, lanes, 3)

    async def scenario(headers):
        communicator, _ = await open_board(headers, journey_map.pk)
        await communicator.send_json_to({"type": "sync", "since": 1})
        fresh = await next_of(communicator, "snapshot")
        assert fresh["revision"] == 4
        assert len(fresh["board"]["cards"]) == 3
        await communicator.send_json_to({"type": "sync", "since": 2})
        assert len((await next_of(communicator, "events"))["events"]) == 2
        await communicator.disconnect()

    run(scenario, headers_for(bob))


def test_map_deleted_is_announced_and_socket_closed(alice, bob, journey_map):
    map_id = journey_map.pk

    async def scenario(headers):
        communicator, _ = await open_board(headers, map_id)
        await database_sync_to_async(services.map_delete)(actor=alice, map=journey_map)
        assert (await next_of(communicator, "map_deleted")) == {
            "type": "map_deleted",
            "map": map_id,
        }
        assert (await communicator.receive_output(timeout=1))["type"] == "websocket.close"
        await communicator.disconnect()

    run(scenario, headers_for(bob))


# --- presence -------------------------------------------------------------------------------


async def presence_until(communicator, expected, timeout=2):
    """Read presence updates until one shows `expected` (a list of (id, editing))."""

    async def wait():
        while True:
            message = await receive(communicator, timeout=timeout)
            if message["type"] == "presence":
                users = [(u["id"], u["editing"]) for u in message["users"]]
                if users == expected:
                    return message["users"]

    return await asyncio.wait_for(wait(), timeout)


def test_presence_join_editing_and_leave(alice, bob, journey_map, card):
    async def scenario(alice_headers, bob_headers):
        alice_ws, _ = await open_board(alice_headers, journey_map.pk)
        await presence_until(alice_ws, [(alice.pk, None)])
        bob_ws, _ = await open_board(bob_headers, journey_map.pk)
        users = await presence_until(bob_ws, [(alice.pk, None), (bob.pk, None)])
        assert users[1] == {
            "id": bob.pk,
            "name": "Bob",
            "initials": "B",
            "role": "editor",
            "editing": None,
        }
        await presence_until(alice_ws, [(alice.pk, None), (bob.pk, None)])

        await bob_ws.send_json_to({"type": "editing", "card": card.pk})
        await presence_until(alice_ws, [(alice.pk, None), (bob.pk, card.pk)])
        await bob_ws.send_json_to({"type": "editing", "card": None})
        await presence_until(alice_ws, [(alice.pk, None), (bob.pk, None)])

        await bob_ws.disconnect()
        await presence_until(alice_ws, [(alice.pk, None)])
        await alice_ws.disconnect()

    run(scenario, headers_for(alice), headers_for(bob))


def test_vanished_peer_drops_off(monkeypatch, alice, journey_map):
    monkeypatch.setattr(Hub, "tick_seconds", 0.05)
    monkeypatch.setattr(Hub, "peer_ttl", 0.3)

    async def scenario(headers):
        communicator, _ = await open_board(headers, journey_map.pk)
        # Another process's hub that tells of its one socket and then dies without a goodbye.
        ghost = {"id": 999, "name": "Ghost", "initials": "G", "editing": None}
        await get_channel_layer().group_send(
            map_group_name(journey_map.pk),
            {"type": "presence.beat", "from": "elsewhere!ghost", "states": {"g|1": ghost}},
        )
        await presence_until(communicator, [(alice.pk, None), (999, None)])
        await presence_until(communicator, [(alice.pk, None)])
        await communicator.disconnect()

    run(scenario, headers_for(alice))


def test_viewer_cannot_claim_to_edit(carol, journey_map, card):
    async def scenario(headers):
        communicator, _ = await open_board(headers, journey_map.pk)
        await communicator.send_json_to({"type": "editing", "card": card.pk})
        assert (await next_of(communicator, "error"))["code"] == "forbidden"
        await communicator.disconnect()

    run(scenario, headers_for(carol))


def test_silent_client_is_closed(monkeypatch, bob, journey_map):
    monkeypatch.setattr(MapConsumer, "tick_seconds", 0.05)
    monkeypatch.setattr(MapConsumer, "silence_limit", 0.2)

    async def scenario(headers):
        communicator, _ = await open_board(headers, journey_map.pk)
        while (output := await communicator.receive_output(timeout=2))["type"] != "websocket.close":
            assert json.loads(output["text"])["type"] == "presence"
        assert output["code"] == 4000
        await communicator.disconnect()

    run(scenario, headers_for(bob))


def test_editing_names_only_cards_everyone_sees_so_its_echo_tells_no_secret(
    alice, bob, carol, journey_map, stages, lanes, card
):
    from workshops.services import voting

    voting.private_start(actor=alice, map=journey_map)
    hidden = services.card_create(
        actor=alice,
        map=journey_map,
        stage_id=stages[0].pk,
        lane_id=lanes["thoughts"].pk,
        text="Alice's own idea",
    ).payload["card"]["id"]

    async def scenario(bob_headers):
        bob_ws, _ = await open_board(bob_headers, journey_map.pk)
        await presence_until(bob_ws, [(bob.pk, None)])
        # Someone's hidden card and a card that exists nowhere read alike: as no card at all,
        # so that the echo of one's own presence cannot tell which ids are hidden cards.
        for probe in (hidden, 10**9):
            await bob_ws.send_json_to({"type": "editing", "card": card.pk})
            await presence_until(bob_ws, [(bob.pk, card.pk)])
            await bob_ws.send_json_to({"type": "editing", "card": probe})
            await presence_until(bob_ws, [(bob.pk, None)])
        await bob_ws.disconnect()

    run(scenario, headers_for(bob))


def test_a_socket_to_a_map_id_past_64_bits_is_refused_not_a_crash(alice):
    from channels.testing import WebsocketCommunicator

    from cjm.asgi import application

    async def scenario(headers):
        communicator = WebsocketCommunicator(application, f"/ws/maps/{2**70}/", headers=headers)
        with pytest.raises(ValueError):  # no route: the router refuses, nothing runs
            await communicator.connect()

    run(scenario, headers_for(alice))
