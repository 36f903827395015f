"""A map as a JSON file (docs/map-format.md): export then import gives back the same map, evidence
and pictures included; a bad file is refused with the problem named, and nothing is created."""

import base64
import copy
import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from documents import mapfile
from evidence import services as evidence_services
from evidence.models import Evidence
from workshops import services
from workshops.models import Card, JourneyMap, MapEvent


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(color="orange", size=(120, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def full_map(alice, bob, workshop, journey_map, stages, lanes):
    """A map with cards of every kind of extra, and evidence of every kind, a picture too."""
    services.persona_create(actor=alice, workshop=workshop, name="Busy buyer")
    persona = workshop.personas.get()
    services.map_update(
        actor=alice, map=journey_map, persona=persona.pk, description="Spring campaign"
    )

    def card(stage, lane, text, **extra):
        event = services.card_create(
            actor=bob,
            map=journey_map,
            stage_id=stages[stage].pk,
            lane_id=lanes[lane].pk,
            text=text,
            **extra,
        )
        return event.payload["card"]["id"]

    card(0, "actions", "Sees the spring ad", channel="Instagram")
    card(0, "actions", "Follows the brand")
    card(1, "emotions", "Curious", emotion_score=1)
    pain = card(2, "pain_points", "Shipping costs show up late", severity=3)

    def attach(**values):
        evidence_services.evidence_attach(actor=bob, map=journey_map, **values)

    attach(
        kind="metric",
        stage_id=stages[3].pk,
        name="Buy Policy clicks",
        value=4.5,
        unit="%",
        baseline=3,
        target=5,
        period="Q3",
        source="GA4",
        sample_size=12000,
        collected_on=datetime.date(2026, 9, 30),
    )
    attach(kind="survey", card_id=pain, question="What stopped you?", answer="Shipping", score=3)
    attach(kind="quote", stage_id=stages[1].pk, text="I compare three shops", who="Returning")
    attach(
        kind="recording",
        stage_id=stages[2].pk,
        url="https://www.youtube.com/watch?v=abc",
        start_seconds=83,
        note="Hesitates at checkout",
    )
    attach(
        kind="image",
        stage_id=stages[2].pk,
        caption="Checkout heatmap",
        image=SimpleUploadedFile("heat.png", png(), content_type="image/png"),
    )
    return journey_map


def test_export_names_stages_and_cards_by_local_keys(full_map):
    document = mapfile.map_export(full_map)
    assert document["format"] == "cjm-map" and document["version"] == 1
    assert document["map"]["persona"] == "Busy buyer"
    assert document["stages"][0] == {
        "key": "st-1",
        "origin": full_map.stages.first().pk,
        "title": "Awareness",
        "description": "",
    }
    first = document["cards"][0]
    assert (first["stage"], first["lane"], first["text"]) == ("st-1", "ln-2", "Sees the spring ad")
    survey = next(piece for piece in document["evidence"] if piece["kind"] == "survey")
    assert survey["card"] == "cd-4"


def test_round_trip_is_exact(alice, workshop, full_map):
    exported = mapfile.map_export(full_map)
    as_read = json.loads(json.dumps(exported))  # as a file gives it back
    copy_ = mapfile.map_import(actor=alice, workshop=workshop, data=as_read)
    again = mapfile.map_export(copy_)
    assert copy_.pk != full_map.pk
    assert mapfile.without_origins(again) == mapfile.without_origins(exported)
    assert again["source"]["map"] == copy_.pk


def test_round_trip_brings_the_picture_back(alice, workshop, full_map):
    exported = mapfile.map_export(full_map)
    copy_ = mapfile.map_import(actor=alice, workshop=workshop, data=exported)
    piece = Evidence.objects.get(map=copy_, kind="image")
    assert piece.image.read() == base64.b64decode(
        next(p for p in exported["evidence"] if p["kind"] == "image")["image"]["data"]
    )
    assert piece.thumbnail and (piece.width, piece.height) == (120, 80)


def test_import_is_one_map_created_event(alice, workshop, full_map):
    copy_ = mapfile.map_import(actor=alice, workshop=workshop, data=mapfile.map_export(full_map))
    events = list(MapEvent.objects.filter(map=copy_))
    assert [(e.revision, e.type) for e in events] == [(1, "map.created")]
    assert copy_.revision == 1 and events[0].payload["imported"] is True


def test_private_cards_are_never_exported(bob, full_map, stages, lanes):
    services.card_create(
        actor=bob,
        map=full_map,
        stage_id=stages[0].pk,
        lane_id=lanes["thoughts"].pk,
        text="My secret idea",
    )
    Card.objects.filter(text="My secret idea").update(private=True)
    texts = [card["text"] for card in mapfile.map_export(full_map)["cards"]]
    assert "Sees the spring ad" in texts and "My secret idea" not in texts


def test_editor_cannot_import(bob, workshop, full_map):
    with pytest.raises(PermissionDenied):
        mapfile.map_import(actor=bob, workshop=workshop, data=mapfile.map_export(full_map))


# --- bad files: the problem named, nothing created -------------------------------------------


def refused(alice, workshop, data) -> dict:
    maps_before, files_before = JourneyMap.objects.count(), Evidence.objects.count()
    with pytest.raises(ValidationError) as caught:
        mapfile.map_import(actor=alice, workshop=workshop, data=data)
    assert (JourneyMap.objects.count(), Evidence.objects.count()) == (maps_before, files_before)
    return caught.value.message_dict


@pytest.fixture
def document(full_map):
    return mapfile.map_export(full_map)


def test_wrong_version_is_refused(alice, workshop, document):
    document["version"] = 2
    assert refused(alice, workshop, document) == {
        "version": ["version 2 is not supported; this server reads version 1."]
    }


def test_not_a_map_file_is_refused(alice, workshop, document):
    document["format"] = "trello-board"
    assert "format" in refused(alice, workshop, document)


def test_missing_fields_are_named(alice, workshop, document):
    del document["stages"]
    assert refused(alice, workshop, document) == {"stages": ["Missing: stages must be a list."]}


def test_missing_card_field_is_named(alice, workshop, document):
    del document["cards"][1]["lane"]
    assert refused(alice, workshop, document) == {"cards[1].lane": ["This field is missing."]}


def test_missing_map_title_is_named(alice, workshop, document):
    del document["map"]["title"]
    assert refused(alice, workshop, document) == {"map.title": ["This field is missing."]}


def test_unknown_stage_reference_is_named(alice, workshop, document):
    document["cards"][3]["stage"] = "st-9"
    assert refused(alice, workshop, document) == {
        "cards[3].stage": ["no stage 'st-9' in this file"]
    }


def test_a_reference_that_is_not_a_key_is_named(alice, workshop, document):
    document["cards"][0]["lane"] = ["ln-2"]
    assert refused(alice, workshop, document) == {
        "cards[0].lane": ["no lane ['ln-2'] in this file"]
    }


def test_unknown_card_reference_of_evidence_is_named(alice, workshop, document):
    index = next(i for i, p in enumerate(document["evidence"]) if p["kind"] == "survey")
    document["evidence"][index]["card"] = "cd-99"
    assert refused(alice, workshop, document) == {
        f"evidence[{index}].card": ["no card 'cd-99' in this file"]
    }


def test_service_rules_hold_in_a_file(alice, workshop, document):
    document["cards"][0]["emotion_score"] = 2  # an actions card has no feeling
    assert refused(alice, workshop, document) == {
        "cards[0].emotion_score": ["Only cards in an emotions lane have an emotion score."]
    }


def test_evidence_rules_hold_in_a_file(alice, workshop, document):
    index = next(i for i, p in enumerate(document["evidence"]) if p["kind"] == "recording")
    document["evidence"][index]["url"] = "javascript:alert(1)"
    errors = refused(alice, workshop, document)
    assert errors == {
        f"evidence[{index}].url": ["Only http:// and https:// links can be attached."]
    }


def test_bad_image_is_refused(alice, workshop, document, media_root):
    index = next(i for i, p in enumerate(document["evidence"]) if p["kind"] == "image")
    document["evidence"][index]["image"]["data"] = base64.b64encode(b"<svg></svg>").decode()
    files_before = sorted(media_root.rglob("*"))
    errors = refused(alice, workshop, document)
    assert errors == {
        f"evidence[{index}].image": [
            "This file is not an image we accept (PNG, JPEG, WebP or GIF)."
        ]
    }
    assert sorted(media_root.rglob("*")) == files_before


def test_image_with_a_wrong_content_type_is_refused(alice, workshop, document):
    index = next(i for i, p in enumerate(document["evidence"]) if p["kind"] == "image")
    document["evidence"][index]["image"]["content_type"] = "image/jpeg"
    errors = refused(alice, workshop, document)
    assert errors == {
        f"evidence[{index}].image.content_type": ["Says image/jpeg but the data is image/png."]
    }


def test_a_bad_piece_after_a_good_picture_leaves_no_file(alice, workshop, document, media_root):
    files_before = sorted(media_root.rglob("*"))
    document["evidence"].append(copy.deepcopy(document["evidence"][-1]))
    document["evidence"][-1]["key"] = "ev-1"  # the key of the first piece: used twice
    errors = refused(alice, workshop, document)
    assert list(errors) == [f"evidence[{len(document['evidence']) - 1}].key"]
    assert sorted(media_root.rglob("*")) == files_before


def test_oversize_file_is_refused(settings):
    raw = b" " * (mapfile.MAX_BYTES + 1)
    with pytest.raises(ValidationError) as caught:
        mapfile.read_document(raw)
    assert caught.value.message_dict == {"file": ["The file is 25.0 MB; the limit is 25 MB."]}


def test_unknown_persona_is_named(alice, workshop, document):
    document["map"]["persona"] = "Nobody"
    assert list(refused(alice, workshop, document)) == ["map.persona"]


def test_a_file_past_the_map_size_limit_is_refused_whole(alice, workshop, document, settings):
    settings.MAP_MAX_CARDS = len(document["cards"]) - 1
    maps_before = JourneyMap.objects.count()

    with pytest.raises(ValidationError) as refused:
        mapfile.map_import(actor=alice, workshop=workshop, data=document)

    assert "at most" in " ".join(refused.value.messages)
    assert JourneyMap.objects.count() == maps_before  # no half-made map
