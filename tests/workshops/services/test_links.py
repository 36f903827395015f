"""An opportunity names the pain points it answers, across the stages of its map: each link
is a change of the map, undone like any other, and gone and back with its cards."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from workshops import services
from workshops.board import board_data, board_of
from workshops.models import Card, CardLink, MapEvent
from workshops.services import change_undo
from workshops.services.links import link_create, link_delete


def add(user, journey_map, stage, lane, text):
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
    )
    return Card.objects.get(pk=event.payload["card"]["id"])


@pytest.fixture
def pain(bob, journey_map, stages, lanes):
    return add(bob, journey_map, stages[1], lanes["pain_points"], "No size guide")


@pytest.fixture
def idea(bob, journey_map, stages, lanes):
    return add(bob, journey_map, stages[3], lanes["opportunities"], "Add a size guide")


def refusal(error) -> dict:
    return error.value.message_dict


def test_an_opportunity_answers_a_pain_point_of_another_stage(bob, journey_map, pain, idea):
    event = link_create(actor=bob, map=journey_map, opportunity_id=idea.pk, pain_point_id=pain.pk)

    assert event.type == "link.created"
    assert event.payload["link"] == {
        "id": CardLink.objects.get().pk,
        "opportunity": idea.pk,
        "pain_point": pain.pk,
    }
    assert list(pain.answered_by.values_list("opportunity", flat=True)) == [idea.pk]


def test_a_viewer_cannot_link_cards(carol, journey_map, pain, idea):
    with pytest.raises(PermissionDenied):
        link_create(actor=carol, map=journey_map, opportunity_id=idea.pk, pain_point_id=pain.pk)
    assert not CardLink.objects.exists()


def test_a_card_of_another_map_is_refused_naming_its_field(
    alice, bob, workshop, journey_map, pain, idea
):
    other = services.map_create(actor=alice, workshop=workshop, title="Returns", template="b2c")
    lanes = {lane.kind: lane for lane in other.lanes.all()}
    elsewhere = add(bob, other, other.stages.first(), lanes["pain_points"], "Slow refunds")
    revision = journey_map.revision

    with pytest.raises(ValidationError) as refused:
        link_create(actor=bob, map=journey_map, opportunity_id=idea.pk, pain_point_id=elsewhere.pk)

    assert "pain_point" in refusal(refused)
    assert not CardLink.objects.exists()
    assert MapEvent.objects.filter(map=journey_map).count() == revision


def test_a_duplicate_link_is_refused(bob, journey_map, pain, idea):
    link_create(actor=bob, map=journey_map, opportunity_id=idea.pk, pain_point_id=pain.pk)

    with pytest.raises(ValidationError) as refused:
        link_create(actor=bob, map=journey_map, opportunity_id=idea.pk, pain_point_id=pain.pk)

    assert "already answers" in refusal(refused)["pain_point"][0]
    assert CardLink.objects.count() == 1


def test_a_link_both_ways_is_refused_as_a_cycle(bob, journey_map, lanes, stages, pain, idea):
    link_create(actor=bob, map=journey_map, opportunity_id=idea.pk, pain_point_id=pain.pk)
    # The two cards swap lanes: linking them again the other way would make a cycle.
    services.card_move(
        actor=bob,
        map=journey_map,
        card_id=idea.pk,
        stage_id=stages[3].pk,
        lane_id=lanes["pain_points"].pk,
        position=0,
    )
    services.card_move(
        actor=bob,
        map=journey_map,
        card_id=pain.pk,
        stage_id=stages[1].pk,
        lane_id=lanes["opportunities"].pk,
        position=0,
    )

    with pytest.raises(ValidationError) as refused:
        link_create(actor=bob, map=journey_map, opportunity_id=pain.pk, pain_point_id=idea.pk)

    assert "cycle" in refusal(refused)["pain_point"][0]


def test_only_an_opportunity_answers_and_only_a_pain_point_is_answered(
    bob, journey_map, card, pain, idea
):
    with pytest.raises(ValidationError) as refused:
        link_create(actor=bob, map=journey_map, opportunity_id=card.pk, pain_point_id=pain.pk)
    assert "opportunity" in refusal(refused)

    with pytest.raises(ValidationError) as refused:
        link_create(actor=bob, map=journey_map, opportunity_id=idea.pk, pain_point_id=card.pk)
    assert "pain_point" in refusal(refused)


def test_undo_takes_a_new_link_away_and_redo_brings_it_back(bob, journey_map, pain, idea):
    link_create(actor=bob, map=journey_map, opportunity_id=idea.pk, pain_point_id=pain.pk)

    undone = change_undo(actor=bob, map=journey_map)
    assert undone.type == "link.deleted"
    assert not CardLink.objects.exists()

    services.change_redo(actor=bob, map=journey_map)
    assert CardLink.objects.filter(opportunity=idea, pain_point=pain).exists()


def test_undo_of_a_removed_link_puts_it_back(bob, journey_map, pain, idea):
    created = link_create(actor=bob, map=journey_map, opportunity_id=idea.pk, pain_point_id=pain.pk)
    link_delete(actor=bob, map=journey_map, link_id=created.payload["link"]["id"])

    change_undo(actor=bob, map=journey_map)

    assert CardLink.objects.filter(opportunity=idea, pain_point=pain).exists()


def test_a_deleted_card_takes_its_links_and_undo_brings_them_back(bob, journey_map, pain, idea):
    link_create(actor=bob, map=journey_map, opportunity_id=idea.pk, pain_point_id=pain.pk)
    services.card_delete(actor=bob, map=journey_map, card_id=pain.pk)
    assert not CardLink.objects.exists()

    event = change_undo(actor=bob, map=journey_map)

    link = CardLink.objects.get()
    assert (link.opportunity_id, link.pain_point_id) == (idea.pk, pain.pk)
    assert event.payload["links"] == [
        {"id": link.pk, "opportunity": idea.pk, "pain_point": pain.pk}
    ]


def test_the_board_carries_the_links_between_cards_its_viewer_sees(
    bob, carol, journey_map, pain, idea
):
    link_create(actor=bob, map=journey_map, opportunity_id=idea.pk, pain_point_id=pain.pk)

    board = board_data(board_of(journey_map.pk, carol), carol)

    links = board["links"].values()
    assert [(x["opportunity"], x["pain_point"]) for x in links] == [(idea.pk, pain.pk)]
