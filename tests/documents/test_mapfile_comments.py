"""Comments in the map file (docs/map-format.md, `comments[]`): exported with their card or
stage, read back, kept by a restore, never of a private card; a file from before comments reads
as a map without any."""

import json

import pytest
from django.core.exceptions import ValidationError

from documents import mapfile, versions
from workshops import services
from workshops.models import Comment
from workshops.services import comments, voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussed(alice, bob, journey_map, card, stages):
    comments.comment_create(
        actor=alice, map=journey_map, card_id=card.pk, text="@bob is this the wishlist?"
    )
    event = comments.comment_create(
        actor=bob, map=journey_map, stage_id=stages[1].pk, text="Need GA4 funnels here"
    )
    comments.comment_resolve(
        actor=alice, map=journey_map, comment_id=event.payload["comment"]["id"]
    )
    return journey_map


def test_export_writes_each_comment_with_its_place_and_author(discussed):
    document = mapfile.map_export(discussed)

    on_card, on_stage = document["comments"]
    assert on_card["card"] == "cd-1" and on_card["author"] == "alice"
    assert on_card["text"] == "@bob is this the wishlist?" and on_card["resolved"] is False
    assert on_stage["stage"] == "st-2" and on_stage["resolved"] is True
    assert on_stage["author_name"] == "Bob"


def test_round_trip_brings_the_comments_back(alice, workshop, discussed):
    exported = json.loads(json.dumps(mapfile.map_export(discussed)))

    copy_ = mapfile.map_import(actor=alice, workshop=workshop, data=exported)

    again = mapfile.map_export(copy_)
    assert (
        mapfile.without_origins(again)["comments"] == mapfile.without_origins(exported)["comments"]
    )
    assert copy_.comments.count() == 2


def test_an_import_mentions_nobody(alice, workshop, discussed):
    exported = json.loads(json.dumps(mapfile.map_export(discussed)))

    copy_ = mapfile.map_import(actor=alice, workshop=workshop, data=exported)

    assert not Comment.objects.filter(map=copy_, mentions__isnull=False).exists()


def test_a_file_from_before_comments_reads_as_a_map_without_any(alice, workshop, discussed):
    exported = json.loads(json.dumps(mapfile.map_export(discussed)))
    del exported["comments"]

    copy_ = mapfile.map_import(actor=alice, workshop=workshop, data=exported)

    assert copy_.cards.count() == 1 and not copy_.comments.exists()


def test_an_author_who_is_no_member_comes_in_as_nobody(alice, workshop, discussed):
    exported = json.loads(json.dumps(mapfile.map_export(discussed)))
    exported["comments"][0]["author"] = "someone-elsewhere"

    copy_ = mapfile.map_import(actor=alice, workshop=workshop, data=exported)

    assert copy_.comments.order_by("pk").first().author is None


def test_a_comment_in_a_file_is_checked_like_one_typed(alice, workshop, discussed):
    exported = json.loads(json.dumps(mapfile.map_export(discussed)))
    exported["comments"][1]["text"] = "x" * 2001
    exported["comments"][0]["card"] = "cd-99"

    with pytest.raises(ValidationError) as error:
        mapfile.map_import(actor=alice, workshop=workshop, data=exported)

    assert list(error.value.message_dict) == ["comments[0].card"]
    exported["comments"][0]["card"] = "cd-1"
    with pytest.raises(ValidationError) as error:
        mapfile.map_import(actor=alice, workshop=workshop, data=exported)
    assert list(error.value.message_dict) == ["comments[1].text"]


def test_a_comment_on_a_private_card_is_never_exported(alice, bob, journey_map, stages, lanes):
    voting.private_start(actor=alice, map=journey_map)
    event = services.card_create(
        actor=bob, map=journey_map, stage_id=stages[0].pk, lane_id=lanes["actions"].pk, text="Me"
    )
    comments.comment_create(
        actor=bob, map=journey_map, card_id=event.payload["card"]["id"], text="Secret"
    )

    assert mapfile.map_export(journey_map)["comments"] == []


def test_restoring_a_version_brings_its_comments_back(alice, bob, discussed):
    version = versions.version_save(actor=bob, map=discussed, name="Before")
    thread = list(discussed.comments.order_by("pk").values_list("pk", "text", "resolved"))
    first = thread[0][0]
    comments.comment_update(actor=alice, map=discussed, comment_id=first, text="Changed")
    comments.comment_create(actor=bob, map=discussed, card_id=discussed.cards.get().pk, text="New")

    versions.version_restore(actor=bob, map=discussed, version=version)

    assert list(discussed.comments.order_by("pk").values_list("pk", "text", "resolved")) == thread
