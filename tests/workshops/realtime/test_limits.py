"""The live board's limits (docs/realtime.md, "Limits"): operations per second, sockets per
person, what a message may hold, how large a map may grow; and no ghost left in presence."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.exceptions import ValidationError

from cjm.asgi import application
from tests.live import headers_for, next_of, open_board, receive, send_op
from workshops import services
from workshops.models import Card, JourneyMap

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def create(stages, lanes, op, text="Idea"):
    data = {"stage": stages[0].pk, "lane": lanes["thoughts"].pk, "text": text}
    return {"type": "card.create", "id": op, "data": data}


@database_sync_to_async
def card_count(journey_map):
    return Card.objects.filter(map=journey_map).count()


# --- operations per second ------------------------------------------------------------------


def test_too_many_operations_are_refused_by_id_and_none_applies_twice(
    settings, bob, journey_map, stages, lanes
):
    settings.REALTIME_OPS_BURST, settings.REALTIME_OPS_PER_SECOND = 3, 5
    headers = headers_for(bob)

    async def scenario():
        board, _ = await open_board(headers, journey_map.pk)
        for number in range(5):
            await board.send_json_to(create(stages, lanes, f"r-{number}"))
        replies = {}
        while len(replies) < 5:
            if (reply := await receive(board))["type"] in ("ack", "error"):
                replies[reply["id"]] = reply
        refused = [reply for reply in replies.values() if reply["type"] == "error"]
        assert [reply["id"] for reply in refused] == ["r-3", "r-4"]
        assert {reply["code"] for reply in refused} == {"rate_limited"}
        assert {reply["refused"] for reply in refused} == {"card.create"}
        assert all(0 < reply["retry_after"] <= 1 and reply["message"] for reply in refused)
        assert await card_count(journey_map) == 3
        # Sent again, same id, once the bucket has refilled (as socket.js does): applied once.
        while (again := await send_op(board, create(stages, lanes, "r-3")))["type"] == "error":
            assert again["code"] == "rate_limited"
            await asyncio.sleep(again["retry_after"])
        twice = await resend_until_answered(board, create(stages, lanes, "r-3"))
        assert twice == again and await card_count(journey_map) == 4
        await board.disconnect()

    async_to_sync(scenario)()


async def resend_until_answered(board, message):
    while (reply := await send_op(board, message))["type"] == "error":
        await asyncio.sleep(reply["retry_after"])
    return reply


# --- sockets per person ---------------------------------------------------------------------


def test_one_socket_too_many_is_told_why_and_closed(settings, bob, carol, journey_map):
    settings.REALTIME_SOCKETS_PER_USER = 2
    bobs, carols = headers_for(bob), headers_for(carol)

    async def scenario():
        tabs = [(await open_board(bobs, journey_map.pk))[0] for _ in range(2)]
        third = WebsocketCommunicator(application, f"/ws/maps/{journey_map.pk}/", headers=bobs)
        assert (await third.connect())[0]
        refusal = await third.receive_json_from()
        assert refusal["type"] == "socket_limit" and refusal["limit"] == 2
        assert "open 2 times already" in refusal["message"]
        assert (await third.receive_output())["code"] == 4429
        others, _ = await open_board(carols, journey_map.pk)  # someone else still gets in
        await tabs.pop().disconnect()
        again, _ = await open_board(bobs, journey_map.pk)  # one closed: room for another
        for communicator in (*tabs, third, others, again):
            await communicator.disconnect()

    async_to_sync(scenario)()


# --- what a message may hold ----------------------------------------------------------------

DEEP = "[" * 30_000 + "]" * 30_000
NESTED = '{"type": "ping", "x": ' + "[" * 40 + "]" * 40 + "}"
HUGE_NUMBER = '{"type": "card.create", "id": "n-1", "data": {"stage": ' + "9" * 60_000 + "}}"


@pytest.mark.parametrize("text", [DEEP, NESTED, HUGE_NUMBER], ids=["deep", "nested", "number"])
def test_deep_or_huge_json_is_a_bad_message_and_the_socket_stays_open(text, bob, journey_map):
    headers = headers_for(bob)

    async def scenario():
        board, snapshot = await open_board(headers, journey_map.pk)
        await board.send_to(text_data=text)
        error = await next_of(board, "error")
        assert error["code"] == "bad_message" and error["message"]
        await board.send_json_to({"type": "ping"})
        assert await next_of(board, "pong")
        await board.disconnect()

    async_to_sync(scenario)()


# --- how large a map may grow ---------------------------------------------------------------


def test_a_card_past_the_map_limit_is_refused_naming_it(settings, bob, journey_map, stages, lanes):
    settings.MAP_MAX_CARDS = 2
    for text in ("One", "Two"):
        services.card_create(
            actor=bob,
            map=journey_map,
            stage_id=stages[0].pk,
            lane_id=lanes["actions"].pk,
            text=text,
        )
    revision = JourneyMap.objects.get(pk=journey_map.pk).revision
    with pytest.raises(ValidationError) as refused:
        services.card_create(
            actor=bob, map=journey_map, stage_id=stages[0].pk, lane_id=lanes["actions"].pk
        )
    assert refused.value.message_dict == {
        "map": ["A map holds at most 2 cards, and this change would make it 3: delete some, "
                "or carry on in another map."]
    }  # fmt: skip
    assert Card.objects.filter(map=journey_map).count() == 2
    assert JourneyMap.objects.get(pk=journey_map.pk).revision == revision  # nothing half done


def test_text_past_the_map_limit_is_refused_on_the_socket(settings, bob, journey_map, card):
    settings.MAP_MAX_CARD_TEXT = len(card.text) + 10
    headers = headers_for(bob)

    async def scenario():
        board, snapshot = await open_board(headers, journey_map.pk)
        longer = {"card": card.pk, "text": card.text + " and again and again"}
        error = await send_op(board, {"type": "card.update", "id": "t-1", "data": longer})
        assert error["code"] == "invalid"
        assert "at most 32 characters of card text" in error["fields"]["text"][0]
        shorter = {"card": card.pk, "text": "Adds to cart"}
        assert (await send_op(board, {"type": "card.update", "id": "t-2", "data": shorter}))[
            "type"
        ] == "ack"  # shortening is always allowed
        await board.disconnect()

    async_to_sync(scenario)()
    card.refresh_from_db()
    assert card.text == "Adds to cart"


def test_undoing_a_deletion_past_the_limit_is_refused(settings, bob, journey_map, stages, lanes):
    ids = [
        services.card_create(
            actor=bob, map=journey_map, stage_id=stages[0].pk, lane_id=lanes["actions"].pk
        ).payload["card"]["id"]
        for _ in range(2)
    ]
    services.card_delete(actor=bob, map=journey_map, card_id=ids[0])
    settings.MAP_MAX_CARDS = 1
    with pytest.raises(services.UndoRefused, match="A map holds at most 1 cards"):
        services.change_undo(actor=bob, map=journey_map)
    assert list(Card.objects.filter(map=journey_map).values_list("pk", flat=True)) == ids[1:]


# --- no ghost in presence -------------------------------------------------------------------


async def presence_until(board, names):
    while True:
        message = await receive(board, timeout=2)
        if message["type"] == "presence" and [u["name"] for u in message["users"]] == names:
            return


def test_a_socket_whose_task_dies_leaves_no_ghost(alice, bob, journey_map):
    headers = {"alice": headers_for(alice), "bob": headers_for(bob)}

    async def scenario():
        alices, _ = await open_board(headers["alice"], journey_map.pk)
        bobs, _ = await open_board(headers["bob"], journey_map.pk)
        await presence_until(alices, ["Alice", "Bob"])
        # As Daphne does to an application that does not finish closing: no disconnect runs.
        bobs.future.cancel()
        await presence_until(alices, ["Alice"])
        await alices.disconnect()
        await bobs.wait()  # cancelled already: nothing to disconnect, but let it finish

    async_to_sync(scenario)()
