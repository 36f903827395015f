"""What the board knows about evidence from its first answer: counts per stage and card, per
layer, stale ones; and the map's stale age, which only a facilitator sets."""

import datetime

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cjm.asgi import application
from evidence import coverage, services
from tests.live import headers_for
from workshops import services as map_services
from workshops.models import JourneyMap, MapEvent

pytestmark = pytest.mark.django_db

QUOTE = {"kind": "quote", "text": "I keep the cart as my wishlist.", "who": "Returning buyer"}
METRIC = {"kind": "metric", "name": "Buy Policy clicks", "value": 4.5, "unit": "%", "baseline": 3}


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def attach(actor, journey_map, *, stage=None, card=None, **values):
    return services.evidence_attach(
        actor=actor,
        map=journey_map,
        stage_id=stage and stage.pk,
        card_id=card and card.pk,
        **values,
    )


def board(client, journey_map) -> dict:
    response = client.get(f"/api/maps/{journey_map.pk}/")
    assert response.status_code == 200
    return response.json()


def test_the_board_counts_each_stage_and_card_per_layer(
    client_for, bob, carol, journey_map, stages, card
):
    attach(bob, journey_map, stage=stages[0], **METRIC)
    attach(bob, journey_map, card=card, **QUOTE)
    attach(bob, journey_map, stage=stages[2], **QUOTE)

    evidence = board(client_for(carol), journey_map)["evidence"]

    awareness = evidence["stages"][str(stages[0].pk)]
    assert awareness == {
        "quantitative": 1,
        "qualitative": 1,
        "behavioural": 0,
        "total": 2,
        "stale": 0,
    }
    assert evidence["stages"][str(stages[1].pk)]["total"] == 0
    assert evidence["stages"][str(stages[2].pk)]["qualitative"] == 1
    assert evidence["cards"] == {
        str(card.pk): {
            "quantitative": 0,
            "qualitative": 1,
            "behavioural": 0,
            "total": 1,
            "stale": 0,
        }
    }


def test_old_evidence_is_counted_as_stale_after_ninety_days_by_default(
    client_for, bob, journey_map, stages
):
    attach(bob, journey_map, stage=stages[0], collected_on=days_ago(91), **QUOTE)
    attach(bob, journey_map, stage=stages[0], collected_on=days_ago(90), **QUOTE)
    attach(bob, journey_map, stage=stages[0], **QUOTE)  # no date: never stale

    evidence = board(client_for(bob), journey_map)["evidence"]

    assert evidence["stale_after_days"] == 90
    assert evidence["stale_before"] == days_ago(90).isoformat()
    assert evidence["stages"][str(stages[0].pk)]["stale"] == 1


def test_the_board_page_starts_with_the_counts(client, bob, journey_map, stages):
    attach(bob, journey_map, stage=stages[3], **METRIC)
    client.force_login(bob)

    page = client.get(f"/maps/{journey_map.pk}/")

    assert page.status_code == 200
    assert page.context["board"]["evidence"]["stages"][stages[3].pk]["quantitative"] == 1


def queries_to_read(client, journey_map) -> int:
    with CaptureQueriesContext(connection) as captured:
        board(client, journey_map)
    return len(captured)


def test_board_counts_take_the_same_queries_whatever_the_evidence(
    client_for, bob, carol, journey_map, stages, card
):
    client = client_for(carol)
    attach(bob, journey_map, stage=stages[0], **QUOTE)
    few = queries_to_read(client, journey_map)

    for stage in stages:
        attach(bob, journey_map, stage=stage, **METRIC)
        attach(bob, journey_map, card=card, **QUOTE)
        map_services.card_create(
            actor=bob, map=journey_map, stage_id=stage.pk, lane_id=card.lane_id, text="More"
        )

    assert queries_to_read(client, journey_map) == few


# --- the stale age ----------------------------------------------------------------------------


def controls_and_revision(journey_map):
    fresh = JourneyMap.objects.get(pk=journey_map.pk)
    return fresh.controls, fresh.revision


def test_facilitator_sets_the_stale_age_as_a_change_of_the_map(alice, bob, journey_map, stages):
    attach(bob, journey_map, stage=stages[0], collected_on=days_ago(40), **QUOTE)
    before = controls_and_revision(journey_map)[1]

    event = services.evidence_stale_age_set(actor=alice, map=journey_map, days=30)

    controls, revision = controls_and_revision(journey_map)
    assert controls["stale_after_days"] == 30 and revision == before + 1
    assert MapEvent.objects.get(map=journey_map, revision=revision).type == "evidence.stale_age_set"
    assert event.payload["stale_after_days"] == 30
    assert event.payload["evidence"]["stages"][stages[0].pk]["stale"] == 1


def test_the_board_flags_by_the_map_s_own_age(client_for, alice, bob, journey_map, stages):
    attach(bob, journey_map, stage=stages[0], collected_on=days_ago(40), **QUOTE)
    services.evidence_stale_age_set(actor=alice, map=journey_map, days=30)

    evidence = board(client_for(bob), journey_map)["evidence"]

    assert evidence["stale_after_days"] == 30
    assert evidence["stages"][str(stages[0].pk)]["stale"] == 1


@pytest.mark.parametrize("user", ["bob", "carol"])
def test_only_a_facilitator_sets_the_stale_age(request, user, journey_map):
    before = controls_and_revision(journey_map)

    with pytest.raises(PermissionDenied):
        services.evidence_stale_age_set(
            actor=request.getfixturevalue(user), map=journey_map, days=30
        )

    assert controls_and_revision(journey_map) == before


@pytest.mark.parametrize("days", [0, -5, 3651, 2.5, "30", True, None])
def test_a_bad_stale_age_is_refused_and_changes_nothing(alice, journey_map, days):
    before = controls_and_revision(journey_map)

    with pytest.raises(ValidationError) as refused:
        services.evidence_stale_age_set(actor=alice, map=journey_map, days=days)

    assert refused.value.message_dict == {
        "stale_after_days": ["Give a whole number of days from 1 to 3650."]
    }
    assert controls_and_revision(journey_map) == before


def test_the_api_sets_the_stale_age_for_a_facilitator_only(
    client_for, alice, bob, carol, journey_map
):
    url = f"/api/maps/{journey_map.pk}/evidence/settings/"

    assert client_for(carol).put(url, {"stale_after_days": 30}, format="json").status_code == 403
    assert client_for(bob).put(url, {"stale_after_days": 30}, format="json").status_code == 403
    refused = client_for(alice).put(url, {"stale_after_days": 0}, format="json")
    assert refused.status_code == 400 and "stale_after_days" in refused.json()
    assert client_for(carol).get(url).json()["stale_after_days"] == 90

    answer = client_for(alice).put(url, {"stale_after_days": 30}, format="json")

    settings = {"stale_after_days": 30, "mask_personal_data": True}
    assert answer.status_code == 200 and answer.json() == settings
    assert answer["X-Map-Revision"] == str(controls_and_revision(journey_map)[1])
    assert client_for(carol).get(url).json() == settings


def test_an_update_says_where_the_piece_was(bob, journey_map, stages, card):
    piece = attach(bob, journey_map, card=card, collected_on=days_ago(3), **QUOTE)

    event = services.evidence_update(
        actor=bob,
        map=journey_map,
        evidence_id=piece.payload["evidence"]["id"],
        stage_id=stages[4].pk,
        collected_on=None,
    )

    assert event.payload["before"] == {
        "stage": card.stage_id,
        "card": card.pk,
        "collected_on": days_ago(3).isoformat(),
    }
    assert (event.payload["evidence"]["stage"], event.payload["evidence"]["card"]) == (
        stages[4].pk,
        None,
    )


def test_board_evidence_leaves_out_cards_not_on_the_board(bob, journey_map, stages, card):
    attach(bob, journey_map, card=card, **QUOTE)
    without_cards = JourneyMap.objects.prefetch_related("stages").get(pk=journey_map.pk)
    without_cards._prefetched_objects_cache["cards"] = journey_map.cards.none()

    evidence = coverage.board_evidence(without_cards)

    assert evidence["cards"] == {}
    assert evidence["stages"][stages[0].pk]["total"] == 1


# --- the live board's snapshot and events -----------------------------------------------------


async def next_of_type(communicator, wanted):
    while True:
        message = await communicator.receive_json_from(timeout=2)
        if message["type"] == wanted:
            return message


@pytest.mark.django_db(transaction=True)
def test_the_snapshot_carries_the_counts_and_a_new_stale_age_reaches_the_board(
    alice, bob, journey_map, stages
):
    attach(bob, journey_map, stage=stages[1], collected_on=days_ago(40), **QUOTE)
    async_to_sync(get_channel_layer().flush)()
    headers = headers_for(bob)

    async def scenario():
        board = WebsocketCommunicator(application, f"/ws/maps/{journey_map.pk}/", headers=headers)
        assert (await board.connect())[0]
        try:
            snapshot = await next_of_type(board, "snapshot")
            research = snapshot["board"]["evidence"]["stages"][str(stages[1].pk)]
            assert (research["qualitative"], research["stale"]) == (1, 0)
            await database_sync_to_async(services.evidence_stale_age_set)(
                actor=alice, map=journey_map, days=30
            )
            event = await next_of_type(board, "event")
            assert event["event"] == "evidence.stale_age_set"
            assert event["payload"]["evidence"]["stages"][str(stages[1].pk)]["stale"] == 1
        finally:
            await board.disconnect()

    async_to_sync(scenario)()
