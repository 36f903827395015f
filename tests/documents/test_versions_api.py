"""The living map over REST: versions, restore, JSON export and import, duplicate, compare."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import mapfile, versions
from workshops import services
from workshops.models import JourneyMap, MapEvent, MapVersion


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(journey_map, rest=""):
    return f"/api/maps/{journey_map.pk}/{rest}"


def test_editor_saves_and_lists_versions(client_for, bob, carol, journey_map, card):
    saved = client_for(bob).post(
        url(journey_map, "versions/"), {"name": "Q3 review"}, format="json"
    )
    assert saved.status_code == 201 and saved.json()["name"] == "Q3 review"
    listed = client_for(carol).get(url(journey_map, "versions/")).json()
    assert [v["name"] for v in listed] == ["Q3 review"] and "snapshot" not in listed[0]
    one = client_for(carol).get(url(journey_map, f"versions/{listed[0]['id']}/")).json()
    assert one["snapshot"]["cards"][0]["text"] == "Adds items to the cart"


def test_blank_version_name_is_refused(client_for, bob, journey_map):
    answer = client_for(bob).post(url(journey_map, "versions/"), {"name": " "}, format="json")
    assert answer.status_code == 400 and "name" in answer.json()


def test_restore_answers_with_the_new_revision(client_for, bob, journey_map, stages, lanes, card):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    services.card_delete(actor=bob, map=journey_map, card_id=card.pk)
    answer = client_for(bob).post(url(journey_map, f"versions/{version.pk}/restore/"))
    assert answer.status_code == 200
    journey_map.refresh_from_db()
    assert answer["X-Map-Revision"] == str(journey_map.revision) == str(answer.json()["revision"])
    assert answer.json()["saved_before"]["name"] == "Before restoring “Q3 review”"
    assert list(journey_map.cards.values_list("text", flat=True)) == ["Adds items to the cart"]


def test_restoring_another_workshops_version_is_not_found(
    client_for, alice, mallory, bob, journey_map
):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    theirs = services.workshop_create(actor=mallory, name="Mallory's")
    their_map = services.map_create(actor=mallory, workshop=theirs, title="Theirs")
    through_own_map = client_for(mallory).post(url(their_map, f"versions/{version.pk}/restore/"))
    directly = client_for(mallory).post(url(journey_map, f"versions/{version.pk}/restore/"))
    assert (through_own_map.status_code, directly.status_code) == (404, 404)
    assert not MapEvent.objects.filter(type="map.restored").exists()


def test_viewer_cannot_restore_or_delete(client_for, carol, bob, journey_map):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    assert (
        client_for(carol).post(url(journey_map, f"versions/{version.pk}/restore/")).status_code
        == 403
    )
    assert client_for(bob).delete(url(journey_map, f"versions/{version.pk}/")).status_code == 403
    assert MapVersion.objects.count() == 1


def test_export_then_import_through_the_api(client_for, alice, workshop, journey_map, card):
    exported = client_for(alice).get(url(journey_map, "export.json"))
    assert exported.status_code == 200
    assert exported["Content-Disposition"] == 'attachment; filename="online-shopping.json"'
    upload = SimpleUploadedFile("map.json", exported.content, content_type="application/json")
    answer = client_for(alice).post(
        f"/api/workshops/{workshop.pk}/maps/import/",
        {"file": upload, "title": "Imported"},
        format="multipart",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["title"] == "Imported"
    assert [c["text"] for c in answer.json()["cards"]] == ["Adds items to the cart"]


def test_import_names_the_problem_and_creates_nothing(client_for, alice, workshop, journey_map):
    document = mapfile.map_export(journey_map)
    document["version"] = 2
    upload = SimpleUploadedFile("map.json", json.dumps(document).encode())
    answer = client_for(alice).post(
        f"/api/workshops/{workshop.pk}/maps/import/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "version": ["version 2 is not supported; this server reads version 1."]
    }
    assert JourneyMap.objects.count() == 1


def test_duplicate_and_compare(client_for, alice, journey_map, card):
    copy = client_for(alice).post(
        url(journey_map, "duplicate/"), {"title": "Future", "state": "future"}, format="json"
    )
    assert copy.status_code == 201 and copy.json()["state"] == "future"
    compared = client_for(alice).get(url(journey_map, f"compare/?with={copy.json()['id']}"))
    assert compared.status_code == 200
    assert compared.json()["counts"] == {
        "added": 0,
        "removed": 0,
        "moved": 0,
        "changed": 0,
        "same": 1,
    }


def test_compare_with_a_version(client_for, bob, carol, journey_map, card):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Adds items to cart")
    compared = client_for(carol).get(url(journey_map, f"compare/?version={version.pk}")).json()
    assert compared["left"] == "Q3 review (revision 2)"
    assert compared["counts"]["changed"] == 1


def test_compare_with_a_foreign_map_is_not_found(client_for, alice, mallory, journey_map):
    theirs = services.workshop_create(actor=mallory, name="Mallory's")
    their_map = services.map_create(actor=mallory, workshop=theirs, title="Theirs")
    assert (
        client_for(alice).get(url(journey_map, f"compare/?with={their_map.pk}")).status_code == 404
    )


def test_facilitator_marks_reviewed(client_for, alice, bob, journey_map):
    assert client_for(bob).post(url(journey_map, "reviewed/")).status_code == 403
    assert client_for(alice).post(url(journey_map, "reviewed/")).status_code == 200
    journey_map.refresh_from_db()
    assert journey_map.reviewed_at is not None
