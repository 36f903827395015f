"""The pages of a living map: versions, a version read-only, restore with confirmation, compare,
duplicate and import on the workshop page, and the quarterly review reminder."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from documents import mapfile, versions
from workshops import services
from workshops.models import JourneyMap, MapVersion


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def client(user) -> Client:
    logged_in = Client()
    logged_in.force_login(user)
    return logged_in


def test_editor_saves_a_version_from_the_page(bob, journey_map, card):
    answer = client(bob).post(
        f"/maps/{journey_map.pk}/versions/", {"name": "Q3 review"}, follow=True
    )
    assert "Saved the map as “Q3 review”." in answer.content.decode()
    assert MapVersion.objects.get().name == "Q3 review"


def test_version_is_shown_read_only(carol, bob, journey_map, card):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Changed since")
    page = client(carol).get(f"/maps/{journey_map.pk}/versions/{version.pk}/").content.decode()
    assert "Read-only" in page and "Adds items to the cart" in page
    assert "Changed since" not in page and "Restore…" not in page  # a viewer cannot restore


def test_restore_asks_first_then_restores(bob, journey_map, card):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    services.card_delete(actor=bob, map=journey_map, card_id=card.pk)
    url = f"/maps/{journey_map.pk}/versions/{version.pk}/restore/"
    assert "Restore this version" in client(bob).get(url).content.decode()
    assert not journey_map.cards.exists()
    answer = client(bob).post(url)
    assert answer.status_code == 302 and answer["Location"] == f"/maps/{journey_map.pk}/"
    assert list(journey_map.cards.values_list("text", flat=True)) == ["Adds items to the cart"]


def test_version_of_another_workshops_map_is_not_found(mallory, bob, journey_map):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    theirs = services.workshop_create(actor=mallory, name="Mallory's")
    their_map = services.map_create(actor=mallory, workshop=theirs, title="Theirs")
    url = f"/maps/{their_map.pk}/versions/{version.pk}/restore/"
    assert client(mallory).post(url).status_code == 404
    assert client(mallory).get(f"/maps/{their_map.pk}/versions/{version.pk}/").status_code == 404


def test_compare_page_marks_changes_in_words(bob, carol, journey_map, stages, lanes, card):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Adds items to cart")
    services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[1].pk,
        lane_id=lanes["actions"].pk,
        text="Searches before buying",
    )
    page = client(carol).get(f"/maps/{journey_map.pk}/compare/?with=version-{version.pk}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 added" in text and "1 changed" in text
    assert "Searches before buying" in text and "<del>Adds items to the cart</del>" in text
    assert f"compare_version={version.pk}" in text  # the PDF with this comparison


def test_compare_page_names_a_bad_choice(carol, journey_map):
    page = client(carol).get(f"/maps/{journey_map.pk}/compare/?with=elsewhere-3")
    assert page.status_code == 400
    assert "Choose a map or a version to compare with." in page.content.decode()


def test_workshop_page_duplicates_and_imports(alice, workshop, journey_map, card):
    answer = client(alice).post(
        f"/maps/{journey_map.pk}/duplicate/",
        {"title": "Online shopping (future state)", "state": "future"},
    )
    future = JourneyMap.objects.get(title="Online shopping (future state)")
    assert answer["Location"] == f"/maps/{future.pk}/" and future.state == "future"
    upload = SimpleUploadedFile("map.json", json.dumps(mapfile.map_export(journey_map)).encode())
    answer = client(alice).post(f"/workshops/{workshop.pk}/maps/import/", {"file": upload})
    assert JourneyMap.objects.filter(title="Online shopping").count() == 2


def test_a_refused_import_says_why_and_creates_nothing(alice, workshop, journey_map):
    document = mapfile.map_export(journey_map)
    document["version"] = 2
    upload = SimpleUploadedFile("map.json", json.dumps(document).encode())
    page = (
        client(alice)
        .post(f"/workshops/{workshop.pk}/maps/import/", {"file": upload}, follow=True)
        .content.decode()
    )
    assert "The map was not imported. Nothing was changed." in page
    assert "version 2 is not supported; this server reads version 1." in page
    assert JourneyMap.objects.count() == 1


def test_workshop_page_reminds_of_a_map_not_reviewed_for_a_quarter(
    alice, carol, workshop, journey_map
):
    long_ago = timezone.now() - datetime.timedelta(days=120)
    JourneyMap.objects.filter(pk=journey_map.pk).update(created_at=long_ago)
    page = client(carol).get(f"/workshops/{workshop.pk}/").content.decode()
    assert "Review due: created" in page and long_ago.strftime("%-d %b %Y") in page
    client(alice).post(f"/maps/{journey_map.pk}/reviewed/")
    assert "Review due" not in client(carol).get(f"/workshops/{workshop.pk}/").content.decode()


def test_compare_page_tells_a_moved_card_where_it_came_from(
    bob, carol, journey_map, stages, lanes, card
):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    services.card_move(
        actor=bob,
        map=journey_map,
        card_id=card.pk,
        stage_id=stages[2].pk,
        lane_id=lanes["actions"].pk,
        position=0,
    )
    page = client(carol).get(f"/maps/{journey_map.pk}/compare/?with=version-{version.pk}")
    text = page.content.decode()
    assert "1 moved" in text and "from Awareness / Customer actions" in text
    assert "0 removed" in text and "0 added" in text
