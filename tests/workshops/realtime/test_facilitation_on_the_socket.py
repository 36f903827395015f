"""The facilitator's board controls over the live board's WebSocket: the operations, the lock
as a participant meets it, and the follow position relayed to the others."""

from datetime import datetime

import pytest
from asgiref.sync import async_to_sync

from tests.live import headers_for, next_of, open_board
from workshops.models import Card, JourneyMap
from workshops.realtime import consumer
from workshops.services import facilitation

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]

LOCKED = "The facilitator has locked the board."


async def nothing_but_presence(communicator, seconds=0.3):
    while not await communicator.receive_nothing(timeout=seconds):
        assert (await communicator.receive_json_from())["type"] == "presence"


def test_snapshot_carries_the_controls_and_the_server_time(alice, journey_map):
    facilitation.timer_start(actor=alice, map=journey_map, duration=60)
    headers = headers_for(alice)

    async def scenario():
        board, snapshot = await open_board(headers, journey_map.pk)
        assert snapshot["board"]["controls"]["timer"]["duration"] == 60
        assert datetime.fromisoformat(snapshot["now"])
        await board.disconnect()

    async_to_sync(scenario)()


def test_facilitator_locks_and_the_editor_is_refused_with_a_clear_message(
    alice, bob, journey_map, card, stages, lanes
):
    facilitator, editor = headers_for(alice), headers_for(bob)
    attempts = [
        ("card.create", {"stage": stages[0].pk, "lane": lanes["actions"].pk, "text": "New"}),
        ("card.update", {"card": card.pk, "text": "Changed"}),
        (
            "card.move",
            {"card": card.pk, "stage": stages[2].pk, "lane": lanes["actions"].pk, "position": 0},
        ),
    ]

    async def scenario():
        alice_board, _ = await open_board(facilitator, journey_map.pk)
        bob_board, _ = await open_board(editor, journey_map.pk)
        await alice_board.send_json_to({"type": "board.lock", "id": "a-1", "data": {}})
        assert (await next_of(bob_board, "event"))["event"] == "board.locked"
        for number, (kind, data) in enumerate(attempts):
            await bob_board.send_json_to({"type": kind, "id": f"b-{number}", "data": data})
            refusal = await next_of(bob_board, "error")
            assert (refusal["id"], refusal["code"], refusal["message"]) == (
                f"b-{number}",
                "locked",
                LOCKED,
            )
        await alice_board.disconnect()
        await bob_board.disconnect()

    async_to_sync(scenario)()
    card.refresh_from_db()
    assert (card.text, card.stage_id) == ("Adds items to the cart", stages[0].pk)
    assert Card.objects.filter(map=journey_map).count() == 1
    assert JourneyMap.objects.get(pk=journey_map.pk).controls["locked"] is True


def test_editor_cannot_lock_or_drive_the_timer_over_the_socket(bob, journey_map):
    editor = headers_for(bob)

    async def scenario():
        board, _ = await open_board(editor, journey_map.pk)
        attempts = [("board.lock", {}), ("timer.start", {"duration": 60}), ("present.start", {})]
        for number, (kind, data) in enumerate(attempts):
            await board.send_json_to({"type": kind, "id": f"b-{number}", "data": data})
            refusal = await next_of(board, "error")
            assert refusal["code"] == "forbidden", refusal
            assert "facilitator" in refusal["message"]
        await board.disconnect()

    async_to_sync(scenario)()
    assert JourneyMap.objects.get(pk=journey_map.pk).controls == {}


def test_timer_start_reaches_everyone_with_the_server_time(alice, carol, journey_map):
    facilitator, viewer = headers_for(alice), headers_for(carol)

    async def scenario():
        alice_board, _ = await open_board(facilitator, journey_map.pk)
        carol_board, _ = await open_board(viewer, journey_map.pk)
        await alice_board.send_json_to(
            {"type": "timer.start", "id": "a-1", "data": {"duration": 120}}
        )
        event = await next_of(carol_board, "event")
        assert event["event"] == "timer.started"
        assert event["payload"]["timer"]["duration"] == 120
        ends_at = datetime.fromisoformat(event["payload"]["timer"]["ends_at"])
        assert (ends_at - datetime.fromisoformat(event["payload"]["now"])).total_seconds() == 120
        await alice_board.disconnect()
        await carol_board.disconnect()

    async_to_sync(scenario)()


def test_facilitator_position_reaches_the_others_but_not_the_database(
    alice, bob, journey_map, stages, lanes
):
    facilitator, editor = headers_for(alice), headers_for(bob)
    revision = JourneyMap.objects.get(pk=journey_map.pk).revision

    async def scenario():
        alice_board, _ = await open_board(facilitator, journey_map.pk)
        bob_board, _ = await open_board(editor, journey_map.pk)
        await alice_board.send_json_to(
            {"type": "position", "stage": stages[3].pk, "lane": lanes["emotions"].pk}
        )
        position = await next_of(bob_board, "position")
        assert position == {
            "type": "position",
            "by": {"id": alice.pk, "name": "Alice"},
            "stage": stages[3].pk,
            "lane": lanes["emotions"].pk,
        }
        await nothing_but_presence(alice_board)  # not echoed to its sender
        await alice_board.disconnect()
        await bob_board.disconnect()

    async_to_sync(scenario)()
    assert JourneyMap.objects.get(pk=journey_map.pk).revision == revision


def test_participant_position_is_refused_and_not_relayed(alice, bob, journey_map, stages):
    facilitator, editor = headers_for(alice), headers_for(bob)

    async def scenario():
        alice_board, _ = await open_board(facilitator, journey_map.pk)
        bob_board, _ = await open_board(editor, journey_map.pk)
        await bob_board.send_json_to({"type": "position", "stage": stages[1].pk, "lane": None})
        refusal = await next_of(bob_board, "error")
        assert (refusal["id"], refusal["code"]) == (None, "forbidden")
        assert "facilitator" in refusal["message"]
        await nothing_but_presence(alice_board)
        await alice_board.disconnect()
        await bob_board.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize(
    "message", [{"stage": "3"}, {"stage": None}, {"stage": 3, "lane": "x"}, {"stage": True}]
)
def test_malformed_position_is_a_bad_message(alice, journey_map, message):
    facilitator = headers_for(alice)

    async def scenario():
        board, _ = await open_board(facilitator, journey_map.pk)
        await board.send_json_to({"type": "position", **message})
        assert (await next_of(board, "error"))["code"] == "bad_message"
        await board.disconnect()

    async_to_sync(scenario)()


def test_presence_says_who_the_facilitator_is(alice, bob, journey_map):
    facilitator, editor = headers_for(alice), headers_for(bob)

    async def scenario():
        alice_board, _ = await open_board(facilitator, journey_map.pk)
        bob_board, _ = await open_board(editor, journey_map.pk)
        roles = {}
        while len(roles) < 2:
            users = (await next_of(bob_board, "presence"))["users"]
            roles = {user["name"]: user["role"] for user in users}
        assert roles == {"Alice": "facilitator", "Bob": "editor"}
        await alice_board.disconnect()
        await bob_board.disconnect()

    async_to_sync(scenario)()


def test_present_goto_reaches_everyone(alice, carol, journey_map, stages):
    facilitation.present_start(actor=alice, map=journey_map)
    facilitator, viewer = headers_for(alice), headers_for(carol)

    async def scenario():
        alice_board, _ = await open_board(facilitator, journey_map.pk)
        carol_board, snapshot = await open_board(viewer, journey_map.pk)
        assert snapshot["board"]["controls"]["present"] == {"stage": stages[0].pk}
        await alice_board.send_json_to(
            {"type": "present.goto", "id": "a-1", "data": {"stage": stages[1].pk}}
        )
        event = await next_of(carol_board, "event")
        assert (event["event"], event["payload"]) == (
            "present.moved",
            {"present": {"stage": stages[1].pk}},
        )
        await alice_board.disconnect()
        await carol_board.disconnect()

    async_to_sync(scenario)()


def test_positions_faster_than_the_relay_allows_are_dropped(
    monkeypatch, alice, bob, journey_map, stages
):
    monkeypatch.setattr(consumer, "POSITION_INTERVAL", 60)  # so that timing cannot matter
    facilitator, editor = headers_for(alice), headers_for(bob)

    async def scenario():
        alice_board, _ = await open_board(facilitator, journey_map.pk)
        bob_board, _ = await open_board(editor, journey_map.pk)
        for stage in stages[:3]:
            await alice_board.send_json_to({"type": "position", "stage": stage.pk, "lane": None})
        assert (await next_of(bob_board, "position"))["stage"] == stages[0].pk
        await nothing_but_presence(bob_board)
        await alice_board.disconnect()
        await bob_board.disconnect()

    async_to_sync(scenario)()
