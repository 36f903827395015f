"""The scores API: NPS, CSAT and CES computed from the answers stored through the services, for
the map, a stage (its cards' answers included) and a segment; who may read them; and the
whole board's scores per stage and per segment."""

import pytest

from evidence import services

pytestmark = pytest.mark.django_db

NPS_Q = "How likely are you to recommend us to a friend?"
CSAT_Q = "How satisfied are you with delivery?"
CES_Q = "How easy was it to find your size?"
QUESTIONS = {"nps": NPS_Q, "csat": CSAT_Q, "ces": CES_Q}


def answer(bob, journey_map, stage=None, card=None, *, scale, score, **values):
    services.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="survey",
        stage_id=stage.pk if stage else None,
        card_id=card.pk if card else None,
        question=QUESTIONS[scale],
        score=score,
        score_scale=scale,
        **values,
    )


def url(journey_map, tail="") -> str:
    return f"/api/maps/{journey_map.pk}/evidence/scores/{tail}"


def scores_of(client, journey_map, tail="", **query):
    response = client.get(url(journey_map, tail), query)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def answered(bob, journey_map, stages, card):
    """Awareness (stages[0], where the card is): 3 NPS on the stage, 2 on the card, 2 CSAT;
    Research (stages[1]): 2 CES. Segments Mobile and Desktop, and some without."""
    for score, segment in ((10, "Mobile"), (9, "Mobile"), (3, "Desktop")):
        answer(bob, journey_map, stages[0], scale="nps", score=score, segment=segment)
    answer(bob, journey_map, card=card, scale="nps", score=8, segment="Mobile")
    answer(bob, journey_map, card=card, scale="nps", score=0)
    answer(bob, journey_map, stages[0], scale="csat", score=5, segment="Desktop")
    answer(bob, journey_map, stages[0], scale="csat", score=2)
    answer(bob, journey_map, stages[1], scale="ces", score=6, segment="Mobile")
    answer(bob, journey_map, stages[1], scale="ces", score=3)
    return journey_map


def test_the_map_s_three_scores_come_from_the_stored_answers(client_for, bob, answered):
    result = scores_of(client_for(bob), answered)

    assert result == {
        # 2 promoters (10, 9), 1 passive (8), 2 detractors (3, 0) of 5
        "nps": {"score": 0.0, "n": 5, "promoters": 2, "passives": 1, "detractors": 2},
        "csat": {"mean": 3.5, "top2": 50.0, "n": 2},
        "ces": {"mean": 4.5, "n": 2},
    }


def test_a_stage_counts_its_cards_answers(client_for, bob, answered, stages):
    awareness = scores_of(client_for(bob), answered, stage=stages[0].pk)

    assert awareness["nps"]["n"] == 5  # 3 on the stage, 2 on its card
    assert awareness["csat"]["n"] == 2
    assert awareness["ces"] is None


def test_a_stage_without_answers_has_three_nulls(client_for, bob, answered, stages):
    result = scores_of(client_for(bob), answered, stage=stages[4].pk)

    assert result == {"nps": None, "csat": None, "ces": None}


def test_the_segment_filter_keeps_only_that_segment(client_for, bob, answered, stages):
    mobile = scores_of(client_for(bob), answered, segment="Mobile")
    awareness_desktop = scores_of(client_for(bob), answered, stage=stages[0].pk, segment="Desktop")

    assert mobile["nps"] == {"score": 66.7, "n": 3, "promoters": 2, "passives": 1, "detractors": 0}
    assert mobile["csat"] is None
    assert mobile["ces"] == {"mean": 6.0, "n": 1}
    assert awareness_desktop["nps"]["score"] == -100.0
    assert awareness_desktop["csat"] == {"mean": 5.0, "top2": 100.0, "n": 1}


def test_a_blank_segment_means_the_answers_without_one(client_for, bob, answered):
    unsegmented = scores_of(client_for(bob), answered, segment="")

    assert unsegmented["nps"]["n"] == 1 and unsegmented["nps"]["detractors"] == 1
    assert unsegmented["csat"]["mean"] == 2.0


def test_a_map_without_answers_has_three_nulls(client_for, bob, journey_map, stages):
    services.evidence_attach(
        actor=bob, map=journey_map, kind="quote", stage_id=stages[0].pk, text="Too many steps"
    )

    assert scores_of(client_for(bob), journey_map) == {"nps": None, "csat": None, "ces": None}


@pytest.mark.parametrize("stage", ["abc", "1.5", ""])
def test_a_stage_that_is_not_a_whole_number_is_refused_naming_stage(
    client_for, bob, journey_map, stage
):
    response = client_for(bob).get(url(journey_map), {"stage": stage})

    assert response.status_code == 400
    assert "stage" in response.json()


def test_a_stage_of_another_map_is_refused_naming_stage(
    client_for, alice, bob, workshop, journey_map
):
    from workshops import services as map_services

    other = map_services.map_create(actor=alice, workshop=workshop, title="Other map")
    theirs = other.stages.first()

    for tail in ("", "segments/"):
        response = client_for(bob).get(url(journey_map, tail), {"stage": theirs.pk})
        assert response.status_code == 400
        assert response.json() == {"stage": [f"No stage {theirs.pk} on this map."]}


def test_a_huge_stage_id_is_a_400_not_a_crash(client_for, bob, journey_map):
    response = client_for(bob).get(url(journey_map), {"stage": str(2**70)})

    assert response.status_code == 400 and "stage" in response.json()


def test_mallory_gets_404_for_every_scores_route(client_for, mallory, answered):
    for tail in ("", "stages/", "segments/"):
        assert client_for(mallory).get(url(answered, tail)).status_code == 404


def test_mallory_learns_nothing_even_with_a_bad_stage(client_for, mallory, answered):
    assert client_for(mallory).get(url(answered), {"stage": "abc"}).status_code == 404


def test_anonymous_is_asked_to_log_in(client_for, answered):
    assert client_for(None).get(url(answered)).status_code == 401


def test_viewer_carol_reads_the_scores(client_for, carol, answered, stages):
    result = scores_of(client_for(carol), answered, stage=stages[1].pk)

    assert result["ces"] == {"mean": 4.5, "n": 2}


def test_every_stage_s_scores_in_one_answer(client_for, carol, answered, stages):
    by_stage = scores_of(client_for(carol), answered, "stages/")

    assert set(by_stage) == {str(stage.pk) for stage in stages}
    assert by_stage[str(stages[0].pk)]["nps"]["n"] == 5
    assert by_stage[str(stages[1].pk)]["ces"] == {"mean": 4.5, "n": 2}
    assert by_stage[str(stages[2].pk)] == {"nps": None, "csat": None, "ces": None}


def test_every_stage_s_scores_for_one_segment(client_for, bob, answered, stages):
    mobile = scores_of(client_for(bob), answered, "stages/", segment="Mobile")

    assert mobile[str(stages[0].pk)]["nps"]["n"] == 3
    assert mobile[str(stages[0].pk)]["csat"] is None
    assert mobile[str(stages[1].pk)]["ces"]["n"] == 1


def test_a_stage_s_scores_per_segment(client_for, carol, answered, stages):
    rows = scores_of(client_for(carol), answered, "segments/", stage=stages[0].pk)

    assert [row["segment"] for row in rows] == ["", "Desktop", "Mobile"]
    mobile = rows[2]
    assert mobile["nps"] == {"score": 66.7, "n": 3, "promoters": 2, "passives": 1, "detractors": 0}
    assert mobile["csat"] is None and mobile["ces"] is None  # Mobile's CES is on Research
    assert rows[1]["csat"]["n"] == 1


def test_an_unknown_query_parameter_does_not_change_the_answer(client_for, bob, answered):
    # Query strings may carry ?format= and cache busters: they are not filters.
    assert scores_of(client_for(bob), answered, format="json")["nps"]["n"] == 5


def test_answers_on_a_private_card_count_for_nobody_until_the_reveal(
    client_for, bob, carol, journey_map, stages, card
):
    from workshops.models import Card

    answer(bob, journey_map, card=card, scale="nps", score=10)
    Card.objects.filter(pk=card.pk).update(
        private=True
    )  # as an undo during brainstorming leaves it

    for user in (bob, carol):  # its author too: a score must not tell on which stage it is
        assert scores_of(client_for(user), journey_map, stage=stages[0].pk)["nps"] is None
        assert scores_of(client_for(user), journey_map, "stages/")[str(stages[0].pk)]["nps"] is None

    Card.objects.filter(pk=card.pk).update(private=False)
    assert scores_of(client_for(carol), journey_map, stage=stages[0].pk)["nps"]["n"] == 1
