"""NPS, CSAT and CES computed by the database from stored survey answers: per queryset, per
stage (its cards' answers included), and per segment of a stage."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence import scores, services
from evidence.models import Evidence

pytestmark = pytest.mark.django_db

NPS_Q = "How likely are you to recommend us to a friend?"
CSAT_Q = "How satisfied are you with delivery?"
CES_Q = "How easy was it to find your size?"


def answer(bob, journey_map, stage=None, card=None, *, scale, score, question=None, **values):
    services.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="survey",
        stage_id=stage.pk if stage else None,
        card_id=card.pk if card else None,
        question=question or {"nps": NPS_Q, "csat": CSAT_Q, "ces": CES_Q}[scale],
        score=score,
        score_scale=scale,
        **values,
    )


def test_nps_is_promoters_minus_detractors_with_its_counts(bob, journey_map, stages):
    for score in (10, 9, 9, 8, 7, 6, 3):  # 3 promoters, 2 passives, 2 detractors
        answer(bob, journey_map, stages[3], scale="nps", score=score)

    result = scores.scores(Evidence.objects.all())

    assert result["nps"] == {
        "score": 14.3,  # (3 - 2) / 7
        "n": 7,
        "promoters": 3,
        "passives": 2,
        "detractors": 2,
    }
    assert result["csat"] is None and result["ces"] is None


def test_csat_mean_and_top_two_boxes(bob, journey_map, stages):
    for score in (5, 4, 4, 2, 1, 5):
        answer(bob, journey_map, stages[4], scale="csat", score=score)

    assert scores.scores(Evidence.objects.all())["csat"] == {"mean": 3.5, "top2": 66.7, "n": 6}


def test_ces_mean(bob, journey_map, stages):
    for score in (7, 6, 2):
        answer(bob, journey_map, stages[2], scale="ces", score=score)

    assert scores.scores(Evidence.objects.all())["ces"] == {"mean": 5.0, "n": 3}


def test_answers_without_a_score_and_other_kinds_are_not_counted(bob, journey_map, stages):
    answer(bob, journey_map, stages[0], scale="nps", score=0)
    services.evidence_attach(
        actor=bob, map=journey_map, kind="survey", stage_id=stages[0].pk,
        question="What is the main reason for your score?", answer="Sizes run small",
    )  # fmt: skip
    services.evidence_attach(
        actor=bob, map=journey_map, kind="metric", stage_id=stages[0].pk, name="NPS", value=40
    )

    assert scores.scores(Evidence.objects.all())["nps"]["n"] == 1
    assert scores.scores(Evidence.objects.all())["nps"]["score"] == -100.0


def test_a_stage_counts_its_cards_answers_and_the_others_have_none(bob, journey_map, stages, card):
    answer(bob, journey_map, stages[0], scale="nps", score=10)
    answer(bob, journey_map, card=card, scale="nps", score=2)  # the card is on the first stage
    answer(bob, journey_map, stages[1], scale="csat", score=4)

    by_stage = scores.scores_by_stage(journey_map)

    assert set(by_stage) == {stage.pk for stage in stages}
    assert by_stage[stages[0].pk]["nps"]["n"] == 2
    assert by_stage[stages[0].pk]["nps"]["score"] == 0.0
    assert by_stage[stages[1].pk]["csat"] == {"mean": 4.0, "top2": 100.0, "n": 1}
    assert by_stage[stages[2].pk] == {"nps": None, "csat": None, "ces": None}


def test_scores_by_stage_for_one_segment(bob, journey_map, stages):
    answer(bob, journey_map, stages[3], scale="nps", score=10, segment="Mobile")
    answer(bob, journey_map, stages[3], scale="nps", score=4, segment="Desktop")

    mobile = scores.scores_by_stage(journey_map, segment="Mobile")

    assert mobile[stages[3].pk]["nps"] == {
        "score": 100.0, "n": 1, "promoters": 1, "passives": 0, "detractors": 0,
    }  # fmt: skip


def test_a_stage_breaks_down_by_segment(bob, journey_map, stages, card):
    answer(bob, journey_map, stages[0], scale="csat", score=5, segment="Mobile")
    answer(bob, journey_map, card=card, scale="csat", score=3, segment="Mobile")
    answer(bob, journey_map, stages[0], scale="csat", score=2, segment="Desktop")
    answer(bob, journey_map, stages[0], scale="ces", score=6)
    answer(bob, journey_map, stages[1], scale="csat", score=1, segment="Mobile")  # another stage

    by_segment = scores.scores_by_segment(journey_map, stages[0].pk)

    assert list(by_segment) == ["", "Desktop", "Mobile"]
    assert by_segment["Mobile"]["csat"] == {"mean": 4.0, "top2": 50.0, "n": 2}
    assert by_segment["Desktop"]["csat"]["n"] == 1
    assert by_segment[""]["ces"] == {"mean": 6.0, "n": 1}


def test_the_database_counts_whatever_the_number_of_answers(bob, journey_map, stages):
    answer(bob, journey_map, stages[0], scale="nps", score=9)
    with CaptureQueriesContext(connection) as few:
        scores.scores_by_stage(journey_map)
    Evidence.objects.bulk_create(
        Evidence(map=journey_map, kind="survey", stage=stage, question=NPS_Q, score=i % 11,
                 score_scale="nps")
        for i, stage in enumerate(stages * 30)
    )  # fmt: skip

    with CaptureQueriesContext(connection) as many:
        by_stage = scores.scores_by_stage(journey_map)

    assert len(many) == len(few) == 2  # the grouped aggregate and the map's stages
    assert sum(entry["nps"]["n"] for entry in by_stage.values()) == 1 + 30 * len(stages)


def test_every_stage_by_segment_in_one_grouped_query(bob, journey_map, stages, card):
    answer(bob, journey_map, stages[0], scale="nps", score=10, segment="Mobile")
    answer(bob, journey_map, card=card, scale="nps", score=0, segment="Mobile")  # on stages[0]
    answer(bob, journey_map, stages[2], scale="ces", score=5)
    answer(bob, journey_map, stages[2], scale="ces", score=7, segment="Desktop")

    with CaptureQueriesContext(connection) as queries:
        found = scores.grouped_by_stage_and_segment(Evidence.objects.filter(map=journey_map))

    assert len(queries) == 1
    assert set(found) == {stages[0].pk, stages[2].pk}
    assert found[stages[0].pk]["Mobile"]["nps"]["n"] == 2
    assert list(found[stages[2].pk]) == ["", "Desktop"]
    assert found[stages[2].pk]["Desktop"]["ces"] == {"mean": 7.0, "n": 1}


def test_map_scores_refuse_a_stage_of_another_map(alice, workshop, journey_map):
    from django.core.exceptions import ValidationError

    from workshops import services as map_services

    other = map_services.map_create(actor=alice, workshop=workshop, title="Other")

    with pytest.raises(ValidationError) as refused:
        scores.map_scores(journey_map, stage_id=other.stages.first().pk)

    assert list(refused.value.message_dict) == ["stage"]
