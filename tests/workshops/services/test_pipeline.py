"""The services: every accepted change bumps the revision and the history exactly once and is
broadcast once committed; a refused one changes nothing and sends nothing."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from workshops import services
from workshops.models import Card, JourneyMap, MapEvent, Stage


@pytest.fixture
def other_map(alice, workshop):
    return services.map_create(actor=alice, workshop=workshop, title="Insurer", template="b2b")


def revision_of(journey_map) -> int:
    return JourneyMap.objects.get(pk=journey_map.pk).revision


def positions(queryset) -> list[int]:
    return list(queryset.order_by("position").values_list("position", flat=True))


def add_cards(actor, journey_map, stage, lane, *texts) -> list[int]:
    return [
        services.card_create(
            actor=actor, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
        ).payload["card"]["id"]
        for text in texts
    ]


# --- one revision and one event per accepted change -----------------------------------------

# Each takes (bob, map, stages, lanes, card) and makes one accepted change as the editor.
ACCEPTED = {
    "card_create": lambda u, m, s, ln, c: services.card_create(
        actor=u, map=m, stage_id=s[1].pk, lane_id=ln["thoughts"].pk, text="Is it in stock?"
    ),
    "card_update": lambda u, m, s, ln, c: services.card_update(
        actor=u, map=m, card_id=c.pk, text="New"
    ),
    "card_move": lambda u, m, s, ln, c: services.card_move(
        actor=u, map=m, card_id=c.pk, stage_id=s[2].pk, lane_id=ln["actions"].pk, position=0
    ),
    "card_delete": lambda u, m, s, ln, c: services.card_delete(actor=u, map=m, card_id=c.pk),
    "stage_create": lambda u, m, s, ln, c: services.stage_create(
        actor=u, map=m, title="Repeat", position=1
    ),
    "stage_update": lambda u, m, s, ln, c: services.stage_update(
        actor=u, map=m, stage_id=s[0].pk, title="Discovery"
    ),
    "stage_move": lambda u, m, s, ln, c: services.stage_move(
        actor=u, map=m, stage_id=s[0].pk, position=3
    ),
    "stage_delete": lambda u, m, s, ln, c: services.stage_delete(actor=u, map=m, stage_id=s[0].pk),
    "lane_create": lambda u, m, s, ln, c: services.lane_create(
        actor=u, map=m, title="Data", kind="kpis"
    ),
    "lane_update": lambda u, m, s, ln, c: services.lane_update(
        actor=u, map=m, lane_id=ln["kpis"].pk, title="Numbers"
    ),
    "lane_move": lambda u, m, s, ln, c: services.lane_move(
        actor=u, map=m, lane_id=ln["kpis"].pk, position=0
    ),
    "lane_delete": lambda u, m, s, ln, c: services.lane_delete(
        actor=u, map=m, lane_id=ln["kpis"].pk
    ),
    "map_update": lambda u, m, s, ln, c: services.map_update(actor=u, map=m, title="Buying online"),
}


@pytest.mark.parametrize("change", ACCEPTED)
def test_accepted_change_bumps_revision_and_history_once(
    change, bob, journey_map, stages, lanes, card
):
    before = revision_of(journey_map)
    events_before = MapEvent.objects.filter(map=journey_map).count()

    event = ACCEPTED[change](bob, journey_map, stages, lanes, card)

    assert revision_of(journey_map) == before + 1
    assert MapEvent.objects.filter(map=journey_map).count() == events_before + 1
    assert event.revision == before + 1
    thing, action = change.split("_")
    assert event.type == f"{thing}.{action}d"  # card.created, stage.moved, ...
    assert event.actor == bob


def test_map_update_event_carries_the_new_revision(bob, journey_map):
    # A board merges the payload's map into its own: an older revision there would step it back.
    event = services.map_update(actor=bob, map=journey_map, title="Buying online")

    assert event.payload["map"]["revision"] == event.revision == revision_of(journey_map)


def test_map_create_records_its_first_event(alice, workshop):
    journey_map = services.map_create(
        actor=alice, workshop=workshop, title="Blank", template="blank"
    )

    event = MapEvent.objects.get(map=journey_map)
    assert (event.type, event.revision, event.payload["map"]["revision"]) == ("map.created", 1, 1)
    assert journey_map.stages.count() == 0


# --- refused changes change nothing ---------------------------------------------------------

# Each takes (users, map, other map, stages, lanes, card) and returns (call, expected error, field).
REFUSED = {
    "move to another map's stage": lambda u, m, o, s, ln, c: (
        lambda: services.card_move(
            actor=u["bob"],
            map=m,
            card_id=c.pk,
            stage_id=o.stages.first().pk,
            lane_id=ln["actions"].pk,
            position=0,
        ),
        ValidationError,
        "stage",
    ),
    "move to another map's lane": lambda u, m, o, s, ln, c: (
        lambda: services.card_move(
            actor=u["bob"],
            map=m,
            card_id=c.pk,
            stage_id=s[0].pk,
            lane_id=o.lanes.first().pk,
            position=0,
        ),
        ValidationError,
        "lane",
    ),
    "position out of range": lambda u, m, o, s, ln, c: (
        lambda: services.card_move(
            actor=u["bob"],
            map=m,
            card_id=c.pk,
            stage_id=s[1].pk,
            lane_id=ln["actions"].pk,
            position=1,
        ),
        ValidationError,
        "position",
    ),
    "text too long": lambda u, m, o, s, ln, c: (
        lambda: services.card_update(actor=u["bob"], map=m, card_id=c.pk, text="x" * 2001),
        ValidationError,
        "text",
    ),
    "unknown lane kind": lambda u, m, o, s, ln, c: (
        lambda: services.lane_create(actor=u["bob"], map=m, title="Moods", kind="moods"),
        ValidationError,
        "kind",
    ),
    "emotion score out of range": lambda u, m, o, s, ln, c: (
        lambda: services.card_create(
            actor=u["bob"], map=m, stage_id=s[0].pk, lane_id=ln["emotions"].pk, emotion_score=3
        ),
        ValidationError,
        "emotion_score",
    ),
    "emotion score outside an emotions lane": lambda u, m, o, s, ln, c: (
        lambda: services.card_update(actor=u["bob"], map=m, card_id=c.pk, emotion_score=1),
        ValidationError,
        "emotion_score",
    ),
    "stage move out of range": lambda u, m, o, s, ln, c: (
        lambda: services.stage_move(actor=u["bob"], map=m, stage_id=s[0].pk, position=len(s)),
        ValidationError,
        "position",
    ),
    "viewer edit": lambda u, m, o, s, ln, c: (
        lambda: services.card_update(actor=u["carol"], map=m, card_id=c.pk, text="Mine"),
        PermissionDenied,
        None,
    ),
    "editor sets the state": lambda u, m, o, s, ln, c: (
        lambda: services.map_update(actor=u["bob"], map=m, state="future"),
        PermissionDenied,
        None,
    ),
    "outsider edit": lambda u, m, o, s, ln, c: (
        lambda: services.card_delete(actor=u["mallory"], map=m, card_id=c.pk),
        Http404,
        None,
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_change_changes_nothing(
    case, alice, bob, carol, mallory, journey_map, other_map, stages, lanes, card
):
    users = {"bob": bob, "carol": carol, "mallory": mallory}
    call, error, field = REFUSED[case](users, journey_map, other_map, stages, lanes, card)
    before = revision_of(journey_map)
    events_before = MapEvent.objects.count()
    cards_before = list(Card.objects.values())

    with pytest.raises(error) as refused:
        call()

    if field:
        assert field in refused.value.message_dict
    assert revision_of(journey_map) == before
    assert MapEvent.objects.count() == events_before
    assert list(Card.objects.values()) == cards_before


# --- positions stay dense -------------------------------------------------------------------


def test_positions_stay_dense_after_moves_and_deletes(bob, journey_map, stages, lanes):
    actions, thoughts = lanes["actions"], lanes["thoughts"]
    a, b, c, d = add_cards(bob, journey_map, stages[0], actions, "a", "b", "c", "d")
    services.card_move(
        actor=bob, map=journey_map, card_id=a, stage_id=stages[0].pk, lane_id=actions.pk, position=3
    )
    services.card_move(
        actor=bob,
        map=journey_map,
        card_id=c,
        stage_id=stages[1].pk,
        lane_id=thoughts.pk,
        position=0,
    )
    services.card_delete(actor=bob, map=journey_map, card_id=b)

    source = Card.objects.filter(stage=stages[0], lane=actions)
    assert list(source.order_by("position").values_list("pk", flat=True)) == [d, a]
    assert positions(source) == [0, 1]
    assert positions(Card.objects.filter(stage=stages[1], lane=thoughts)) == [0]


def test_move_within_a_cell_reorders_it(bob, journey_map, stages, lanes):
    a, b, c = add_cards(bob, journey_map, stages[0], lanes["actions"], "a", "b", "c")

    services.card_move(
        actor=bob,
        map=journey_map,
        card_id=c,
        stage_id=stages[0].pk,
        lane_id=lanes["actions"].pk,
        position=0,
    )

    cell = Card.objects.filter(stage=stages[0], lane=lanes["actions"]).order_by("position")
    assert list(cell.values_list("pk", "position")) == [(c, 0), (a, 1), (b, 2)]


def test_stage_positions_stay_dense_after_move_and_delete(bob, journey_map, stages):
    services.stage_move(actor=bob, map=journey_map, stage_id=stages[0].pk, position=len(stages) - 1)
    services.stage_delete(actor=bob, map=journey_map, stage_id=stages[3].pk)

    remaining = Stage.objects.filter(map=journey_map)
    assert positions(remaining) == list(range(len(stages) - 1))
    assert remaining.order_by("position").last().pk == stages[0].pk


def test_stage_delete_keeps_its_cards_in_the_event(bob, journey_map, stages, card):
    event = services.stage_delete(actor=bob, map=journey_map, stage_id=stages[0].pk)

    assert [c["id"] for c in event.payload["cards"]] == [card.pk]
    assert not Card.objects.filter(pk=card.pk).exists()


# --- conflicts on text edits ----------------------------------------------------------------


def test_stale_text_edit_is_refused_with_the_current_value(alice, bob, journey_map, card):
    base = revision_of(journey_map)
    services.card_update(actor=alice, map=journey_map, card_id=card.pk, text="Alice's words")

    with pytest.raises(services.EditConflict) as conflict:
        services.card_update(
            actor=bob, map=journey_map, card_id=card.pk, text="Bob's words", base_revision=base
        )

    assert (conflict.value.field, conflict.value.current) == ("text", "Alice's words")
    assert conflict.value.revision == base + 1
    assert Card.objects.get(pk=card.pk).text == "Alice's words"
    assert revision_of(journey_map) == base + 1


def test_text_edit_on_the_latest_base_is_accepted(alice, bob, journey_map, card):
    services.card_update(actor=alice, map=journey_map, card_id=card.pk, text="Alice's words")
    base = revision_of(journey_map)

    services.card_update(
        actor=bob, map=journey_map, card_id=card.pk, text="Bob's words", base_revision=base
    )

    assert Card.objects.get(pk=card.pk).text == "Bob's words"


def test_stale_base_does_not_block_an_edit_of_another_field(alice, bob, journey_map, stages):
    base = revision_of(journey_map)
    services.stage_update(actor=alice, map=journey_map, stage_id=stages[0].pk, title="Discovery")

    services.stage_update(
        actor=bob,
        map=journey_map,
        stage_id=stages[0].pk,
        description="Ads, word of mouth",
        base_revision=base,
    )

    stage = Stage.objects.get(pk=stages[0].pk)
    assert (stage.title, stage.description) == ("Discovery", "Ads, word of mouth")


def test_stale_map_title_edit_is_a_conflict(alice, bob, journey_map):
    base = revision_of(journey_map)
    services.map_update(actor=alice, map=journey_map, title="Shopping online")

    with pytest.raises(services.EditConflict):
        services.map_update(actor=bob, map=journey_map, title="Buying online", base_revision=base)


# --- op ids ---------------------------------------------------------------------------------


def test_repeated_op_id_is_not_applied_twice(bob, journey_map, stages, lanes):
    def create():
        return services.card_create(
            actor=bob,
            map=journey_map,
            stage_id=stages[0].pk,
            lane_id=lanes["actions"].pk,
            text="Once",
            op_id="k3x9-1",
        )

    first, again = create(), create()

    assert again.pk == first.pk
    assert journey_map.cards.filter(text="Once").count() == 1
    assert revision_of(journey_map) == first.revision


def test_same_op_id_from_another_user_is_their_own(alice, bob, journey_map, stages, lanes):
    for actor in (alice, bob):
        services.card_create(
            actor=actor,
            map=journey_map,
            stage_id=stages[0].pk,
            lane_id=lanes["actions"].pk,
            text="Hello",
            op_id="1",
        )

    assert journey_map.cards.filter(text="Hello").count() == 2


def test_resent_delete_is_answered_with_its_first_event(bob, journey_map, card):
    first = services.card_delete(actor=bob, map=journey_map, card_id=card.pk, op_id="del-1")

    again = services.card_delete(actor=bob, map=journey_map, card_id=card.pk, op_id="del-1")

    assert again.pk == first.pk
    assert revision_of(journey_map) == first.revision


def test_resent_edit_is_not_applied_over_a_later_one(alice, bob, journey_map, card):
    first = services.card_update(
        actor=bob, map=journey_map, card_id=card.pk, text="Bob's", op_id="edit-1"
    )
    services.card_update(actor=alice, map=journey_map, card_id=card.pk, text="Alice's")

    again = services.card_update(
        actor=bob, map=journey_map, card_id=card.pk, text="Bob's", op_id="edit-1"
    )

    assert again.pk == first.pk
    assert Card.objects.get(pk=card.pk).text == "Alice's"
    assert MapEvent.objects.filter(map=journey_map, op_id="edit-1").count() == 1


def test_refused_op_id_can_be_sent_again(bob, journey_map, card):
    with pytest.raises(ValidationError):
        services.card_update(
            actor=bob, map=journey_map, card_id=card.pk, text="x" * 2001, op_id="7"
        )

    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Shorter", op_id="7")

    assert Card.objects.get(pk=card.pk).text == "Shorter"


# --- broadcast on commit --------------------------------------------------------------------


@pytest.fixture
def board_channel(journey_map, in_memory_channel_layer):
    """A channel in the map's group, as an open board would have."""
    layer = get_channel_layer()
    async_to_sync(layer.flush)()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(journey_map.group_name, channel)
    yield channel
    async_to_sync(layer.flush)()


async def _receive(channel, timeout):
    try:
        return await asyncio.wait_for(get_channel_layer().receive(channel), timeout)
    except TimeoutError:
        return None


def received(channel, timeout=0.5):
    return async_to_sync(_receive)(channel, timeout)


def test_accepted_change_is_broadcast_once_committed(
    bob, journey_map, card, board_channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        event = services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Live")
        assert received(board_channel, timeout=0.1) is None  # not before the commit

    for callback in callbacks:
        callback()

    message = received(board_channel)
    assert message["type"] == "map.event"
    assert message["revision"] == event.revision
    assert '"event":"card.updated"' in message["text"] and '"text":"Live"' in message["text"]
    assert received(board_channel, timeout=0.1) is None  # exactly one


def test_refused_change_is_not_broadcast(
    carol, journey_map, card, board_channel, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(PermissionDenied),
    ):
        services.card_update(actor=carol, map=journey_map, card_id=card.pk, text="Mine")

    assert callbacks == []
    assert received(board_channel, timeout=0.1) is None


def test_map_delete_tells_the_board(
    alice, journey_map, board_channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.map_delete(actor=alice, map=journey_map)

    assert received(board_channel)["type"] == "map.deleted"


def test_card_events_carry_the_card_as_the_api_shows_it(bob, journey_map, card):
    from workshops.serializers import CardSerializer

    event = services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Reads reviews")

    card.refresh_from_db()
    assert event.payload["card"] == CardSerializer(card).data
