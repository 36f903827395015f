"""Comments on the live board: made over the socket or the REST API, every board gets them at
once; a comment on a private card reaches its author's socket alone, in events, catch-up and
snapshots, until the reveal."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from tests.live import headers_for, next_of, nothing_but_presence, open_board, send_op
from workshops import services
from workshops.services import comments, voting

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def test_a_comment_made_on_one_board_shows_on_every_other(alice, bob, journey_map, card):
    headers = {"alice": headers_for(alice), "bob": headers_for(bob)}

    async def scenario():
        bobs, _ = await open_board(headers["bob"], journey_map.pk)
        alices, _ = await open_board(headers["alice"], journey_map.pk)
        try:
            reply = await send_op(
                bobs,
                {
                    "type": "comment.create",
                    "id": "c-1",
                    "data": {"card": card.pk, "text": "@alice three visits?"},
                },
            )
            assert reply["type"] == "ack"
            event = await next_of(alices, "event")
            assert event["event"] == "comment.created"
            assert event["payload"]["comment"]["text"] == "@alice three visits?"
            assert event["payload"]["comment"]["mentions"][0]["username"] == "alice"
            assert event["payload"]["open_comments"] == 1
        finally:
            await bobs.disconnect()
            await alices.disconnect()

    async_to_sync(scenario)()


def test_a_viewer_commenting_on_the_socket_is_refused(carol, journey_map, card):
    headers = {"carol": headers_for(carol)}

    async def scenario():
        board, _ = await open_board(headers["carol"], journey_map.pk)
        try:
            reply = await send_op(
                board,
                {"type": "comment.create", "id": "c-1", "data": {"card": card.pk, "text": "Hi"}},
            )
            assert reply["type"] == "error" and reply["code"] == "forbidden"
        finally:
            await board.disconnect()

    async_to_sync(scenario)()


def test_a_comment_over_its_length_is_refused_naming_text(bob, journey_map, card):
    headers = {"bob": headers_for(bob)}

    async def scenario():
        board, _ = await open_board(headers["bob"], journey_map.pk)
        try:
            reply = await send_op(
                board,
                {
                    "type": "comment.create",
                    "id": "c-1",
                    "data": {"card": card.pk, "text": "x" * 2001},
                },
            )
            assert reply["code"] == "invalid" and list(reply["fields"]) == ["text"]
        finally:
            await board.disconnect()

    async_to_sync(scenario)()


def test_a_comment_made_over_rest_shows_live(client_for, alice, bob, journey_map, stages):
    headers = {"alice": headers_for(alice)}

    async def scenario():
        board, _ = await open_board(headers["alice"], journey_map.pk)
        try:
            await database_sync_to_async(
                lambda: client_for(bob).post(
                    f"/api/maps/{journey_map.pk}/comments/",
                    {"stage": stages[0].pk, "text": "GA4 funnel?"},
                    format="json",
                )
            )()
            event = await next_of(board, "event")
            assert event["event"] == "comment.created"
            assert event["payload"]["comment"]["stage"] == stages[0].pk
        finally:
            await board.disconnect()

    async_to_sync(scenario)()


@database_sync_to_async
def private_card(alice, bob, journey_map, stages, lanes) -> int:
    voting.private_start(actor=alice, map=journey_map)
    event = services.card_create(
        actor=bob, map=journey_map, stage_id=stages[0].pk, lane_id=lanes["actions"].pk, text="Me"
    )
    return event.payload["card"]["id"]


SECRET = "PSST-only-bob"


def test_a_comment_on_a_private_card_reaches_no_other_socket(
    alice, bob, carol, journey_map, stages, lanes
):
    headers = {"bob": headers_for(bob), "carol": headers_for(carol)}

    async def scenario():
        card = await private_card(alice, bob, journey_map, stages, lanes)
        bobs, _ = await open_board(headers["bob"], journey_map.pk)
        carols, before = await open_board(headers["carol"], journey_map.pk)
        try:
            reply = await send_op(
                bobs,
                {"type": "comment.create", "id": "c-1", "data": {"card": card, "text": SECRET}},
            )
            assert reply["type"] == "ack"
            mine = await next_of(bobs, "event")
            assert mine["payload"]["comment"]["text"] == SECRET
            theirs = await next_of(carols, "event")
            assert theirs["event"] == "hidden" and theirs["payload"] == {}
            await carols.send_json_to({"type": "sync", "since": before["revision"]})
            synced = await next_of(carols, "events")
            assert await nothing_but_presence(carols)
            reopened, again = await open_board(headers["carol"], journey_map.pk)
            await reopened.disconnect()
            seen = json.dumps([theirs, synced, again])
            assert SECRET not in seen
            assert str(card) not in json.dumps(again["board"]["comments"])
        finally:
            await bobs.disconnect()
            await carols.disconnect()

    async_to_sync(scenario)()


def test_after_the_reveal_everyone_reads_the_comment(alice, bob, carol, journey_map, stages, lanes):
    headers = {"carol": headers_for(carol)}

    async def scenario():
        card = await private_card(alice, bob, journey_map, stages, lanes)
        await database_sync_to_async(comments.comment_create)(
            actor=bob, map=journey_map, card_id=card, text=SECRET
        )
        await database_sync_to_async(voting.private_reveal)(actor=alice, map=journey_map)
        board, snapshot = await open_board(headers["carol"], journey_map.pk)
        await board.disconnect()
        assert snapshot["board"]["comments"]["cards"] == {str(card): 1}

    async_to_sync(scenario)()
