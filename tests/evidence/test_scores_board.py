"""The board starts with its scores: the `scores` part of the nested map GET, the board page and
the live board's snapshot, {stage id: {nps, csat, ces}}, counted in one grouped query."""

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence import services
from tests.live import headers_for, open_board
from workshops import services as map_services

pytestmark = pytest.mark.django_db

NPS_Q = "How likely are you to recommend us to a friend?"
EMPTY = {"nps": None, "csat": None, "ces": None}


def answer(bob, journey_map, stage, *, score, scale="nps", card=None):
    services.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="survey",
        stage_id=None if card else stage.pk,
        card_id=card.pk if card else None,
        question=NPS_Q,
        score=score,
        score_scale=scale,
    )


def board(client, journey_map) -> dict:
    response = client.get(f"/api/maps/{journey_map.pk}/")
    assert response.status_code == 200
    return response.json()


def test_the_nested_map_get_carries_every_stage_s_scores(
    client_for, bob, carol, journey_map, stages, card
):
    answer(bob, journey_map, stages[0], score=10)
    answer(bob, journey_map, stages[0], score=2, card=card)  # the card is on Awareness
    answer(bob, journey_map, stages[2], score=4, scale="csat")

    scores = board(client_for(carol), journey_map)["scores"]

    assert set(scores) == {str(stage.pk) for stage in stages}
    assert scores[str(stages[0].pk)]["nps"] == {
        "score": 0.0, "n": 2, "promoters": 1, "passives": 0, "detractors": 1,
    }  # fmt: skip
    assert scores[str(stages[2].pk)] == {
        "nps": None,
        "csat": {"mean": 4.0, "top2": 100.0, "n": 1},
        "ces": None,
    }
    assert scores[str(stages[1].pk)] == EMPTY


def test_the_board_page_starts_with_the_scores(client, bob, journey_map, stages):
    answer(bob, journey_map, stages[3], score=9)
    client.force_login(bob)

    page = client.get(f"/maps/{journey_map.pk}/")

    assert page.context["board"]["scores"][stages[3].pk]["nps"]["score"] == 100.0


def queries_to_read(client, journey_map) -> int:
    with CaptureQueriesContext(connection) as captured:
        board(client, journey_map)
    return len(captured)


def test_the_board_s_scores_take_the_same_queries_whatever_the_stages(
    client_for, alice, bob, carol, journey_map, stages
):
    client = client_for(carol)
    answer(bob, journey_map, stages[0], score=9)
    few = queries_to_read(client, journey_map)

    for n in range(5):
        event = map_services.stage_create(actor=alice, map=journey_map, title=f"Extra {n}")
        extra = journey_map.stages.get(pk=event.payload["stage"]["id"])
        answer(bob, journey_map, extra, score=n)
        answer(bob, journey_map, extra, score=3, scale="ces")

    assert queries_to_read(client, journey_map) == few
    assert len(board(client, journey_map)["scores"]) == len(stages) + 5


def test_a_board_without_scores_holds_nulls_for_each_stage(client_for, bob, journey_map, stages):
    scores = board(client_for(bob), journey_map)["scores"]

    assert list(scores.values()) == [EMPTY] * len(stages)


@pytest.mark.django_db(transaction=True)
def test_the_live_snapshot_carries_the_scores(bob, journey_map, stages, fresh_channel_layer):
    answer(bob, journey_map, stages[1], score=10)
    answer(bob, journey_map, stages[1], score=6, scale="ces")

    headers = headers_for(bob)  # logs in through the ORM: outside the event loop

    async def scenario():
        communicator, snapshot = await open_board(headers, journey_map.pk)
        await communicator.disconnect()
        return snapshot

    scores = async_to_sync(scenario)()["board"]["scores"]

    assert set(scores) == {str(stage.pk) for stage in stages}
    assert scores[str(stages[1].pk)] == {
        "nps": {"score": 100.0, "n": 1, "promoters": 1, "passives": 0, "detractors": 0},
        "csat": None,
        "ces": {"mean": 6.0, "n": 1},
    }
    assert scores[str(stages[0].pk)] == EMPTY
