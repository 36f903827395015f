"""Dot voting and private brainstorming, through the services: who may do what, what is refused,
and what each person's board shows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from workshops import services
from workshops.models import Card, JourneyMap, MapEvent, Vote, VoteRound
from workshops.services import voting

pytestmark = pytest.mark.django_db


def add_card(actor, journey_map, stage, lane, text):
    event = services.card_create(
        actor=actor, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
    )
    return event.payload["card"]["id"]


@pytest.fixture
def pains(bob, journey_map, stages, lanes):
    """Two pain points and an opportunity to vote on."""
    return [
        add_card(bob, journey_map, stages[0], lanes["pain_points"], "Shipping costs hidden"),
        add_card(bob, journey_map, stages[1], lanes["pain_points"], "Search finds nothing"),
        add_card(bob, journey_map, stages[1], lanes["opportunities"], "Wishlist reminders"),
    ]


def open_vote(alice, journey_map, dots=3) -> int:
    return round_of(voting.vote_open(actor=alice, map=journey_map, dots_per_person=dots))


def round_of(event) -> int:
    return event.payload["vote"]["round"]


def refused(call, **kwargs):
    """Run a refused change; return its message and check that nothing changed."""
    journey_map = kwargs["map"]
    revision = JourneyMap.objects.get(pk=journey_map.pk).revision
    counts = (VoteRound.objects.count(), Vote.objects.count(), MapEvent.objects.count())
    with pytest.raises((ValidationError, PermissionDenied)) as error:
        call(**kwargs)
    assert JourneyMap.objects.get(pk=journey_map.pk).revision == revision
    assert (VoteRound.objects.count(), Vote.objects.count(), MapEvent.objects.count()) == counts
    return " ".join(getattr(error.value, "messages", [str(error.value)]))


# --- dot voting -----------------------------------------------------------------------------


def test_facilitator_opens_a_vote_as_one_recorded_change(alice, journey_map):
    before = journey_map.revision
    event = voting.vote_open(actor=alice, map=journey_map, dots_per_person=5)
    assert event.type == "vote.opened" and event.revision == before + 1
    assert event.payload["vote"]["dots_per_person"] == 5
    assert event.payload["vote"]["status"] == "open"


@pytest.mark.parametrize("user", ["bob", "carol"])
def test_only_a_facilitator_opens_a_vote(request, user, journey_map):
    message = refused(
        voting.vote_open, actor=request.getfixturevalue(user), map=journey_map, dots_per_person=3
    )
    assert "Only a facilitator can open a vote" in message


@pytest.mark.parametrize("dots", [0, 21, -1, True, "3"])
def test_dots_per_person_must_be_from_1_to_20(alice, journey_map, dots):
    message = refused(voting.vote_open, actor=alice, map=journey_map, dots_per_person=dots)
    assert "from 1 to 20" in message


def test_a_second_vote_is_refused_while_one_is_open(alice, journey_map):
    open_vote(alice, journey_map)
    message = refused(voting.vote_open, actor=alice, map=journey_map, dots_per_person=2)
    assert "already open" in message


def test_participants_and_viewers_place_dots_several_on_one_card(
    alice, bob, carol, journey_map, pains
):
    round_id = open_vote(alice, journey_map, dots=3)
    voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
    event = voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
    assert event.payload["mine"] == [{"card": pains[0], "dots": 2}]
    assert event.payload["dots_left"] == 1
    event = voting.vote_place(actor=carol, map=journey_map, round_id=round_id, card_id=pains[2])
    assert event.payload["mine"] == [{"card": pains[2], "dots": 1}]
    assert event.payload["dots_left"] == 2


def test_more_dots_than_allowed_are_refused(alice, bob, journey_map, pains):
    round_id = open_vote(alice, journey_map, dots=2)
    for card_id in pains[:2]:
        voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=card_id)
    message = refused(
        voting.vote_place, actor=bob, map=journey_map, round_id=round_id, card_id=pains[2]
    )
    assert "placed all 2 of your dots" in message


def test_only_pain_points_and_opportunities_take_dots(alice, bob, journey_map, pains, card):
    round_id = open_vote(alice, journey_map)
    message = refused(
        voting.vote_place, actor=bob, map=journey_map, round_id=round_id, card_id=card.pk
    )
    assert "Only pain points and opportunities take dots" in message


def test_a_dot_taken_back_can_be_placed_again(alice, bob, journey_map, pains):
    round_id = open_vote(alice, journey_map, dots=1)
    voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
    event = voting.vote_remove(actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
    assert event.payload == {
        "card": pains[0],
        "round": round_id,
        "mine": [],
        "dots_left": 1,
        "_owner": bob.pk,
    }
    voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[1])


def test_taking_back_a_dot_you_did_not_place_is_refused(alice, bob, carol, journey_map, pains):
    round_id = open_vote(alice, journey_map)
    voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
    message = refused(
        voting.vote_remove, actor=carol, map=journey_map, round_id=round_id, card_id=pains[0]
    )
    assert "You have no dot on this card" in message


def test_dots_on_a_closed_round_are_refused(alice, bob, journey_map, pains):
    round_id = open_vote(alice, journey_map)
    voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
    voting.vote_close(actor=alice, map=journey_map, round_id=round_id)
    for call in (voting.vote_place, voting.vote_remove):
        message = refused(call, actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
        assert "This vote is closed" in message


def test_closing_twice_is_refused(alice, journey_map):
    round_id = open_vote(alice, journey_map)
    voting.vote_close(actor=alice, map=journey_map, round_id=round_id)
    message = refused(voting.vote_close, actor=alice, map=journey_map, round_id=round_id)
    assert "This vote is not open" in message


def test_only_a_facilitator_closes_a_vote(alice, bob, journey_map):
    round_id = open_vote(alice, journey_map)
    message = refused(voting.vote_close, actor=bob, map=journey_map, round_id=round_id)
    assert "Only a facilitator can close a vote" in message


def test_closing_reveals_the_ranking_most_dots_first(alice, bob, carol, journey_map, pains):
    round_id = open_vote(alice, journey_map, dots=3)
    for voter, card_id in [
        (bob, pains[1]),
        (bob, pains[1]),
        (carol, pains[1]),
        (carol, pains[0]),
        (alice, pains[2]),
        (alice, pains[0]),
    ]:
        voting.vote_place(actor=voter, map=journey_map, round_id=round_id, card_id=card_id)
    event = voting.vote_close(actor=alice, map=journey_map, round_id=round_id)
    assert event.payload["vote"]["ranking"] == [
        {"card": pains[1], "votes": 3},
        {"card": pains[0], "votes": 2},
        {"card": pains[2], "votes": 1},
    ]
    assert voting.latest_ranking(journey_map) == {pains[1]: 3, pains[0]: 2, pains[2]: 1}


def test_a_card_deleted_during_the_vote_gives_its_dots_back(alice, bob, journey_map, pains):
    round_id = open_vote(alice, journey_map, dots=2)
    voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
    voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
    services.card_delete(actor=alice, map=journey_map, card_id=pains[0])
    assert voting.board_state(journey_map, bob)["vote"]["dots_left"] == 2
    voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[1])


def test_each_board_knows_only_its_own_dots_until_the_close(alice, bob, carol, journey_map, pains):
    round_id = open_vote(alice, journey_map, dots=2)
    voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
    carols = voting.board_state(journey_map, carol)["vote"]
    assert carols["mine"] == [] and carols["dots_left"] == 2 and "ranking" not in carols
    assert voting.board_state(journey_map, bob)["vote"]["mine"] == [{"card": pains[0], "dots": 1}]
    voting.vote_close(actor=alice, map=journey_map, round_id=round_id)
    assert voting.board_state(journey_map, carol)["vote"]["ranking"] == [
        {"card": pains[0], "votes": 1}
    ]


# --- private brainstorming ------------------------------------------------------------------


def test_cards_made_during_private_brainstorming_are_private(
    alice, bob, journey_map, stages, lanes
):
    before = add_card(bob, journey_map, stages[0], lanes["actions"], "Public before")
    voting.private_start(actor=alice, map=journey_map)
    during = add_card(bob, journey_map, stages[0], lanes["actions"], "Private idea")
    assert not Card.objects.get(pk=before).private
    assert Card.objects.get(pk=during).private


def test_only_the_author_sees_touches_a_private_card(alice, bob, journey_map, stages, lanes):
    voting.private_start(actor=alice, map=journey_map)
    secret = add_card(bob, journey_map, stages[0], lanes["actions"], "Private idea")
    services.card_update(actor=bob, map=journey_map, card_id=secret, text="Better idea")
    services.card_move(
        actor=bob,
        map=journey_map,
        card_id=secret,
        stage_id=stages[1].pk,
        lane_id=lanes["actions"].pk,
        position=0,
    )
    nowhere = refused(services.card_update, actor=alice, map=journey_map, card_id=999999, text="x")
    for call, extra in [
        (services.card_update, {"text": "Mine now"}),
        (services.card_delete, {}),
        (
            services.card_move,
            {"stage_id": stages[0].pk, "lane_id": lanes["actions"].pk, "position": 0},
        ),
    ]:
        message = refused(call, actor=alice, map=journey_map, card_id=secret, **extra)
        # The same answer as for a card that does not exist: its existence does not leak.
        assert message == nowhere.replace("999999", str(secret))
    assert Card.objects.get(pk=secret).text == "Better idea"


def test_only_a_facilitator_starts_and_reveals_private_brainstorming(alice, bob, journey_map):
    assert "Only a facilitator can start" in refused(
        voting.private_start, actor=bob, map=journey_map
    )
    voting.private_start(actor=alice, map=journey_map)
    assert "Only a facilitator can reveal" in refused(
        voting.private_reveal, actor=bob, map=journey_map
    )


def test_the_reveal_makes_every_private_card_public_in_one_change(
    alice, bob, carol, journey_map, stages, lanes
):
    voting.private_start(actor=alice, map=journey_map)
    ideas = [
        add_card(bob, journey_map, stages[0], lanes["actions"], "Idea one"),
        add_card(alice, journey_map, stages[0], lanes["actions"], "Idea two"),
    ]
    before = JourneyMap.objects.get(pk=journey_map.pk).revision
    event = voting.private_reveal(actor=alice, map=journey_map)
    assert event.revision == before + 1 and event.type == "private.revealed"
    assert sorted(card["id"] for card in event.payload["cards"]) == sorted(ideas)
    assert event.payload["cells"] == [
        {"stage": stages[0].pk, "lane": lanes["actions"].pk, "card_ids": ideas}
    ]
    assert not Card.objects.filter(private=True).exists()
    assert not JourneyMap.objects.get(pk=journey_map.pk).controls["private"]
    carols = JourneyMap.objects.with_board(viewer=carol).get(pk=journey_map.pk)
    assert {card.pk for card in carols.cards.all()} == set(ideas)


def test_private_brainstorming_refuses_a_second_start_and_a_reveal_when_off(alice, journey_map):
    assert "not on" in refused(voting.private_reveal, actor=alice, map=journey_map)
    voting.private_start(actor=alice, map=journey_map)
    assert "already on" in refused(voting.private_start, actor=alice, map=journey_map)


def test_votes_and_private_brainstorming_do_not_overlap(alice, journey_map):
    round_id = open_vote(alice, journey_map)
    assert "Close the vote" in refused(voting.private_start, actor=alice, map=journey_map)
    voting.vote_close(actor=alice, map=journey_map, round_id=round_id)
    voting.private_start(actor=alice, map=journey_map)
    assert "Reveal the private cards" in refused(
        voting.vote_open, actor=alice, map=journey_map, dots_per_person=3
    )


def test_private_mode_keeps_the_other_board_controls(alice, journey_map):
    JourneyMap.objects.filter(pk=journey_map.pk).update(controls={"locked": False, "timer": None})
    journey_map.refresh_from_db()
    voting.private_start(actor=alice, map=journey_map)
    assert JourneyMap.objects.get(pk=journey_map.pk).controls == {
        "locked": False,
        "timer": None,
        "private": True,
    }


def test_dots_go_on_a_locked_board(alice, bob, journey_map, pains):
    round_id = open_vote(alice, journey_map)
    JourneyMap.objects.filter(pk=journey_map.pk).update(controls={"locked": True})
    event = voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
    assert event.payload["dots_left"] == 2


def test_a_deleted_stage_names_its_private_cards_to_their_author_alone(
    alice, bob, carol, journey_map, stages, lanes
):
    from workshops.realtime.broadcast import event_message

    public = add_card(alice, journey_map, stages[0], lanes["actions"], "Public")
    voting.private_start(actor=alice, map=journey_map)
    secret = add_card(bob, journey_map, stages[0], lanes["actions"], "Private idea")
    event = services.stage_delete(actor=alice, map=journey_map, stage_id=stages[0].pk)

    def cards_for(user):
        return [card["id"] for card in event_message(event, viewer=user.pk)["payload"]["cards"]]

    assert cards_for(alice) == cards_for(carol) == [public]
    assert sorted(cards_for(bob)) == sorted([public, secret])
    assert "_private" not in event_message(event, viewer=bob.pk)["payload"]


def test_evidence_waits_for_the_reveal_even_from_the_author(alice, bob, journey_map, stages, lanes):
    from evidence import services as evidence

    voting.private_start(actor=alice, map=journey_map)
    secret = add_card(bob, journey_map, stages[0], lanes["actions"], "Private idea")
    with pytest.raises(ValidationError, match=f"No card {secret} on this map"):
        evidence.evidence_attach(
            actor=bob, map=journey_map, kind="quote", card_id=secret, text="A customer said so"
        )
    voting.private_reveal(actor=alice, map=journey_map)
    evidence.evidence_attach(
        actor=bob, map=journey_map, kind="quote", card_id=secret, text="A customer said so"
    )
