"""Links and opportunities' work on the live board: made over the socket or the REST API,
every board gets them at once; a bad one is refused naming its field."""

import pytest
from asgiref.sync import async_to_sync

from tests.live import headers_for, next_of, open_board, send_op
from workshops import services
from workshops.models import Card, CardLink

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def add(user, journey_map, stage, lane, text):
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
    )
    return Card.objects.get(pk=event.payload["card"]["id"])


@pytest.fixture
def pair(bob, journey_map, stages, lanes):
    return (
        add(bob, journey_map, stages[1], lanes["pain_points"], "No size guide"),
        add(bob, journey_map, stages[3], lanes["opportunities"], "Add a size guide"),
    )


def test_a_link_and_work_made_on_one_board_show_on_every_other(alice, bob, journey_map, pair):
    pain, idea = pair
    headers = {"alice": headers_for(alice), "bob": headers_for(bob)}

    async def scenario():
        bobs, _ = await open_board(headers["bob"], journey_map.pk)
        alices, _ = await open_board(headers["alice"], journey_map.pk)
        try:
            link = {"opportunity": idea.pk, "pain_point": pain.pk}
            reply = await send_op(bobs, {"type": "link.create", "id": "l-1", "data": link})
            assert reply["type"] == "ack"
            event = await next_of(alices, "event")
            assert event["event"] == "link.created"
            assert event["payload"]["link"]["pain_point"] == pain.pk

            work = {"card": idea.pk, "owner": alice.pk, "status": "planned", "tickets": []}
            reply = await send_op(bobs, {"type": "opportunity.update", "id": "o-1", "data": work})
            assert reply["type"] == "ack"
            event = await next_of(alices, "event")
            assert event["event"] == "opportunity.updated"
            assert event["payload"]["opportunity"]["owner_name"] == "Alice"
        finally:
            await bobs.disconnect()
            await alices.disconnect()

    async_to_sync(scenario)()


def test_a_bad_status_on_the_socket_is_refused_naming_it(bob, journey_map, pair):
    _, idea = pair
    headers = headers_for(bob)

    async def scenario():
        board, _ = await open_board(headers, journey_map.pk)
        try:
            data = {"card": idea.pk, "status": "someday"}
            reply = await send_op(board, {"type": "opportunity.update", "id": "o-1", "data": data})
            assert reply["type"] == "error" and "status" in reply["fields"]
            data = {"card": idea.pk, "tickets": "https://x.io/1"}
            reply = await send_op(board, {"type": "opportunity.update", "id": "o-2", "data": data})
            assert reply["type"] == "error" and "tickets" in reply["fields"]
        finally:
            await board.disconnect()

    async_to_sync(scenario)()
    assert not CardLink.objects.exists()
