"""No secret in a delivery: a webhook message is built as the board reads an event for nobody in
particular, so someone's dots and unrevealed private cards never leave in it."""

import json

import pytest

from notifications import payloads, webhooks
from notifications.models import Delivery
from workshops import services
from workshops.models import Card, MapEvent
from workshops.services import voting

pytestmark = pytest.mark.django_db(transaction=True)  # the worker checks its connection

SECRET_TEXT = "PSST-only-Bob-may-read-this"


def test_a_vote_closed_before_a_private_round_tells_no_private_card(
    alice, bob, carol, workshop, journey_map, stages, lanes, receiver, allow_private, run_tasks
):
    webhooks.webhook_create(
        actor=alice, workshop=workshop, url=receiver.url(), events=["vote.closed"]
    )
    public = services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[2].pk,
        lane_id=lanes["pain_points"].pk,
        text="Checkout asks for an account",
    ).payload["card"]["id"]
    opened = voting.vote_open(actor=alice, map=journey_map, dots_per_person=2)
    round_id = opened.payload["vote"]["round"]
    voting.vote_place(actor=carol, map=journey_map, round_id=round_id, card_id=public)
    voting.vote_close(actor=alice, map=journey_map, round_id=round_id)
    # Before the worker builds the message, a private round starts and Bob writes in it.
    voting.private_start(actor=alice, map=journey_map)
    services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[2].pk,
        lane_id=lanes["pain_points"].pk,
        text=SECRET_TEXT,
    )

    run_tasks()

    [received] = receiver.wait_for(1)
    body = received.body.decode()
    assert "Checkout asks for an account" in body
    assert SECRET_TEXT not in body
    assert "_owner" not in body and "_private" not in body
    assert [card["card"] for card in json.loads(body)["data"]["top"]] == [public]
    assert Delivery.objects.count() == 1  # the private round's changes sent nothing


def test_a_ranked_card_that_is_private_now_is_left_out(
    alice, bob, carol, journey_map, lanes, stages
):
    """However a ranked card came to be private, the message reads cards as nobody may."""
    ranked = services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[0].pk,
        lane_id=lanes["opportunities"].pk,
        text=SECRET_TEXT,
    ).payload["card"]["id"]
    opened = voting.vote_open(actor=alice, map=journey_map, dots_per_person=1)
    round_id = opened.payload["vote"]["round"]
    voting.vote_place(actor=carol, map=journey_map, round_id=round_id, card_id=ranked)
    closed = voting.vote_close(actor=alice, map=journey_map, round_id=round_id)
    Card.objects.filter(pk=ranked).update(private=True)

    message = payloads.map_event_message(MapEvent.objects.get(pk=closed.pk))

    assert SECRET_TEXT not in payloads.encode(message)
    assert message["data"]["top"] == [] and message["data"]["dots"] == 1


def test_an_event_nobody_in_particular_may_read_makes_no_message(bob, journey_map, card):
    dot_like = MapEvent.objects.create(
        map=journey_map,
        revision=999,
        actor=bob,
        type="vote.closed",
        payload={"vote": {"ranking": [{"card": card.pk, "votes": 1}]}, "_owner": bob.pk},
    )
    assert payloads.map_event_message(dot_like) is None
