"""Named versions: save a snapshot, restore it as one new change that keeps the history, duplicate
a map to draft its future state, and the quarterly review reminder."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from documents import versions
from evidence import services as evidence_services
from evidence.models import Evidence
from workshops import services
from workshops.models import Card, JourneyMap, MapVersion


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def add(actor, journey_map, stage, lane, text):
    event = services.card_create(
        actor=actor, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
    )
    return event.payload["card"]["id"]


def texts(journey_map):
    return sorted(journey_map.cards.values_list("text", flat=True))


@pytest.fixture
def q3(bob, journey_map, stages, lanes, card):
    evidence_services.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="metric",
        stage_id=stages[3].pk,
        name="Buy Policy clicks",
        value=3,
        unit="%",
    )
    return versions.version_save(actor=bob, map=journey_map, name="  Q3 review ")


def test_save_keeps_a_named_snapshot_of_the_map(q3, journey_map):
    assert q3.name == "Q3 review"
    assert q3.revision == journey_map.revision
    assert [c["text"] for c in q3.snapshot["cards"]] == ["Adds items to the cart"]
    assert q3.snapshot["evidence"][0]["name"] == "Buy Policy clicks"


def test_saving_changes_nothing_on_the_map(bob, journey_map):
    revision = journey_map.revision
    versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    journey_map.refresh_from_db()
    assert journey_map.revision == revision


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_version_needs_a_name_of_1_to_200_characters(bob, journey_map, name):
    with pytest.raises(ValidationError):
        versions.version_save(actor=bob, map=journey_map, name=name)
    assert not MapVersion.objects.exists()


def test_viewer_cannot_save_a_version(carol, journey_map):
    with pytest.raises(PermissionDenied):
        versions.version_save(actor=carol, map=journey_map, name="Q3 review")


def test_restore_brings_back_cards_and_evidence(bob, q3, journey_map, stages, lanes, card):
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Buys at once")
    add(bob, journey_map, stages[1], lanes["thoughts"], "Is this cheaper elsewhere?")
    Evidence.objects.filter(map=journey_map).delete()
    versions.version_restore(actor=bob, map=journey_map, version=q3)
    assert texts(journey_map) == ["Adds items to the cart"]
    assert journey_map.cards.get().pk == card.pk  # the same card, not a copy
    assert list(Evidence.objects.filter(map=journey_map).values_list("name", "value")) == [
        ("Buy Policy clicks", 3.0)
    ]


def test_restore_keeps_history(bob, q3, journey_map, stages, lanes):
    add(bob, journey_map, stages[1], lanes["thoughts"], "Is this cheaper elsewhere?")
    before = list(journey_map.events.values_list("revision", "type"))
    event = versions.version_restore(actor=bob, map=journey_map, version=q3)
    after = list(journey_map.events.values_list("revision", "type"))
    assert after == before + [(before[-1][0] + 1, "map.restored")]  # one event, history kept
    assert event.payload["version"]["name"] == "Q3 review"
    assert [c["text"] for c in event.payload["board"]["cards"]] == ["Adds items to the cart"]
    assert event.payload["board"]["revision"] == event.revision


def test_what_a_restore_removes_is_saved_first(bob, q3, journey_map, stages, lanes):
    add(bob, journey_map, stages[1], lanes["thoughts"], "Is this cheaper elsewhere?")
    versions.version_restore(actor=bob, map=journey_map, version=q3)
    saved = MapVersion.objects.get(name="Before restoring “Q3 review”")
    assert "Is this cheaper elsewhere?" in [c["text"] for c in saved.snapshot["cards"]]
    versions.version_restore(actor=bob, map=journey_map, version=saved)
    assert texts(journey_map) == ["Adds items to the cart", "Is this cheaper elsewhere?"]


def test_a_resent_restore_is_answered_and_saves_nothing_more(bob, q3, journey_map, stages, lanes):
    add(bob, journey_map, stages[1], lanes["thoughts"], "Is this cheaper elsewhere?")
    first = versions.version_restore(actor=bob, map=journey_map, version=q3, op_id="restore-1")

    again = versions.version_restore(actor=bob, map=journey_map, version=q3, op_id="restore-1")

    assert again.pk == first.pk
    assert MapVersion.objects.filter(name__startswith="Before restoring").count() == 1


def test_restore_of_another_workshops_map_version_is_not_found(alice, mallory, q3):
    theirs = services.workshop_create(actor=mallory, name="Mallory's")
    their_map = services.map_create(actor=mallory, workshop=theirs, title="Theirs")
    with pytest.raises(Http404):
        versions.version_for(mallory, their_map, q3.pk)  # a version of Alice's map, by its id
    with pytest.raises(Http404):
        versions.version_for(mallory, q3.map, q3.pk)  # not a member of Alice's workshop


def test_viewer_cannot_restore(carol, q3, journey_map):
    with pytest.raises(PermissionDenied):
        versions.version_restore(actor=carol, map=journey_map, version=q3)
    assert not MapVersion.objects.filter(name__startswith="Before").exists()


def test_restore_waits_for_private_cards_to_be_revealed(bob, q3, journey_map, stages, lanes):
    secret = add(bob, journey_map, stages[0], lanes["thoughts"], "My own idea")
    Card.objects.filter(pk=secret).update(private=True)
    with pytest.raises(ValidationError):
        versions.version_restore(actor=bob, map=journey_map, version=q3)
    assert Card.objects.filter(pk=secret).exists()


def test_only_a_facilitator_deletes_a_version(alice, bob, q3):
    with pytest.raises(PermissionDenied):
        versions.version_delete(actor=bob, version=q3)
    versions.version_delete(actor=alice, version=q3)
    assert not MapVersion.objects.exists()


def test_duplicate_copies_stages_lanes_cards_and_evidence(alice, q3, journey_map):
    future = versions.map_duplicate(
        actor=alice, map=journey_map, title="Online shopping (future)", state="future"
    )
    assert future.pk != journey_map.pk and future.state == "future"
    assert list(future.stages.values_list("title", flat=True)) == list(
        journey_map.stages.values_list("title", flat=True)
    )
    assert texts(future) == texts(journey_map)
    assert Evidence.objects.filter(map=future).count() == 1
    assert future.events.get().payload["duplicated_from"] == journey_map.pk


def test_editor_cannot_duplicate(bob, journey_map):
    with pytest.raises(PermissionDenied):
        versions.map_duplicate(actor=bob, map=journey_map, title="Copy")
    assert JourneyMap.objects.count() == 1


def test_review_reminder_after_a_quarter(alice, journey_map):
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=92)
    JourneyMap.objects.filter(pk=journey_map.pk).update(created_at=long_ago)
    journey_map.refresh_from_db()
    assert services.review_due(journey_map, now)
    event = services.map_mark_reviewed(actor=alice, map=journey_map)
    journey_map.refresh_from_db()
    assert not services.review_due(journey_map, now)
    assert event.type == "map.reviewed" and event.revision == journey_map.revision
    assert services.review_due(journey_map, now + datetime.timedelta(days=92))


def test_editor_cannot_mark_reviewed(bob, journey_map):
    with pytest.raises(PermissionDenied):
        services.map_mark_reviewed(actor=bob, map=journey_map)


def test_a_restore_stops_others_undoing_what_it_replaced(alice, bob, q3, journey_map, card):
    from workshops.services import undo

    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Wishlist")
    versions.version_restore(actor=alice, map=journey_map, version=q3)
    with pytest.raises(undo.UndoRefused):
        undo.change_undo(actor=bob, map=journey_map)
    assert journey_map.cards.get().text == "Adds items to the cart"


def test_an_edit_begun_before_a_restore_is_a_conflict(bob, q3, journey_map, card):
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Wishlist")
    begun_at = journey_map.revision
    versions.version_restore(actor=bob, map=journey_map, version=q3)
    with pytest.raises(services.EditConflict):
        services.card_update(
            actor=bob,
            map=journey_map,
            card_id=card.pk,
            text="Wishlist, two",
            base_revision=begun_at,
        )


def test_the_history_names_the_version_restored(alice, bob, q3, journey_map):
    from workshops import history

    event = versions.version_restore(actor=bob, map=journey_map, version=q3)
    assert history.describe(event) == "restored the version “Q3 review”"
