"""The everyday screens of a workshop day: renaming the workshop, editing and deleting personas,
archiving, restoring and deleting maps (each asked first), invite links for a map and as a QR
code, the error pages, the icon and the guide."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
from django.urls import path, reverse

import cjm.urls
from workshops import services
from workshops.models import JourneyMap, MapEvent, Persona
from workshops.services import invites

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(workshop):
    return reverse("workshop-detail", args=[workshop.pk])


# --- the workshop ---------------------------------------------------------------------------


def test_facilitator_renames_the_workshop_and_its_description(alice, workshop):
    response = client_as(alice).post(
        reverse("workshop-update", args=[workshop.pk]),
        {"workshop-name": "Autumn retail", "workshop-description": "Q4 checkout review"},
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert (workshop.name, workshop.description) == ("Autumn retail", "Q4 checkout review")


def test_a_blank_workshop_name_is_refused_on_the_page(alice, workshop):
    response = client_as(alice).post(
        reverse("workshop-update", args=[workshop.pk]), {"workshop-name": "  "}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.name == "Retail journeys"


def test_an_editor_cannot_rename_the_workshop(bob, workshop):
    response = client_as(bob).post(
        reverse("workshop-update", args=[workshop.pk]), {"workshop-name": "Mine now"}
    )
    assert response.status_code == 403


def test_the_workshop_page_and_the_board_link_the_facilitators_guide(
    alice, workshop, journey_map, client
):
    page = client_as(alice).get(detail_url(workshop)).content.decode()
    assert reverse("help-facilitating") in page
    board = client_as(alice).get(reverse("map-board", args=[journey_map.pk])).content.decode()
    assert reverse("help-facilitating") in board
    guide = client.get(reverse("help-facilitating"))
    assert guide["Content-Type"].startswith("text/plain")
    assert "# Facilitating a workshop" in guide.content.decode()


def test_a_blank_workshop_says_how_to_start(alice, bob, workshop):
    facilitator = client_as(alice).get(detail_url(workshop)).content.decode()
    assert "Start from a template" in facilitator
    editor = client_as(bob).get(detail_url(workshop)).content.decode()
    assert "The facilitator has not made a map yet" in editor


# --- personas -------------------------------------------------------------------------------


@pytest.fixture
def persona(alice, workshop):
    return services.persona_create(actor=alice, workshop=workshop, name="Mia", segment="Mobile")


def test_facilitator_edits_a_persona_on_the_workshop_page(alice, workshop, persona):
    page = client_as(alice).get(detail_url(workshop)).content.decode()
    assert f'name="persona-{persona.pk}-name"' in page
    response = client_as(alice).post(
        reverse("workshop-persona-update", args=[workshop.pk, persona.pk]),
        {f"persona-{persona.pk}-name": "Mia, 34", f"persona-{persona.pk}-goals": "Buy in 2 taps"},
    )
    assert response.status_code == 302
    persona.refresh_from_db()
    assert (persona.name, persona.goals) == ("Mia, 34", "Buy in 2 taps")


def test_a_refused_persona_edit_shows_its_error_next_to_the_field(alice, workshop, persona):
    response = client_as(alice).post(
        reverse("workshop-persona-update", args=[workshop.pk, persona.pk]),
        {f"persona-{persona.pk}-name": ""},
    )
    assert response.status_code == 400
    assert re.search(r"<details class=\"inline-edit\" open>", response.content.decode())
    persona.refresh_from_db()
    assert persona.name == "Mia"


def test_deleting_a_persona_asks_first_then_deletes(alice, workshop, persona, journey_map):
    services.map_update(actor=alice, map=journey_map, persona=persona.pk)
    url = reverse("workshop-persona-delete", args=[workshop.pk, persona.pk])
    asked = client_as(alice).get(url)
    assert asked.status_code == 200
    assert "1 map is about Mia" in asked.content.decode()
    assert Persona.objects.filter(pk=persona.pk).exists()
    assert client_as(alice).post(url).status_code == 302
    assert not Persona.objects.filter(pk=persona.pk).exists()
    journey_map.refresh_from_db()
    assert journey_map.persona is None


def test_an_editor_cannot_delete_a_persona(bob, workshop, persona):
    url = reverse("workshop-persona-delete", args=[workshop.pk, persona.pk])
    assert client_as(bob).post(url).status_code == 403
    assert Persona.objects.filter(pk=persona.pk).exists()


# --- archiving and deleting maps ------------------------------------------------------------


def test_archiving_a_map_moves_it_under_archived_and_records_the_change(
    alice, workshop, journey_map
):
    response = client_as(alice).post(reverse("map-archive", args=[journey_map.pk]))
    assert response.status_code == 302
    journey_map.refresh_from_db()
    assert journey_map.archived_at is not None
    page = client_as(alice).get(detail_url(workshop))
    assert list(page.context["maps"]) == []
    assert list(page.context["archived_maps"]) == [journey_map]
    assert "Archived maps" in page.content.decode()
    assert MapEvent.objects.filter(map=journey_map, type="map.archived").exists()


def test_restoring_an_archived_map_brings_it_back(alice, workshop, journey_map):
    services.map_archive(actor=alice, map=journey_map)
    client_as(alice).post(reverse("map-unarchive", args=[journey_map.pk]))
    journey_map.refresh_from_db()
    assert journey_map.archived_at is None
    page = client_as(alice).get(detail_url(workshop))
    assert list(page.context["maps"]) == [journey_map]
    types = list(journey_map.events.values_list("type", flat=True))
    assert types[-2:] == ["map.archived", "map.unarchived"]


def test_only_facilitators_archive_maps(bob, journey_map):
    assert client_as(bob).post(reverse("map-archive", args=[journey_map.pk])).status_code == 403
    journey_map.refresh_from_db()
    assert journey_map.archived_at is None


def test_archiving_an_archived_map_says_so_and_changes_nothing(alice, journey_map):
    services.map_archive(actor=alice, map=journey_map)
    revision = JourneyMap.objects.get(pk=journey_map.pk).revision
    response = client_as(alice).post(reverse("map-archive", args=[journey_map.pk]), follow=True)
    assert "already archived" in response.content.decode()
    assert JourneyMap.objects.get(pk=journey_map.pk).revision == revision


def test_deleting_a_map_asks_first_then_deletes(alice, journey_map, card):
    url = reverse("map-delete", args=[journey_map.pk])
    asked = client_as(alice).get(url)
    assert asked.status_code == 200
    text = asked.content.decode()
    assert "Its 1 card" in text and "archive it" in text
    assert JourneyMap.objects.filter(pk=journey_map.pk).exists()
    assert client_as(alice).post(url).status_code == 302
    assert not JourneyMap.objects.filter(pk=journey_map.pk).exists()


def test_an_editor_cannot_delete_a_map(bob, journey_map):
    assert client_as(bob).post(reverse("map-delete", args=[journey_map.pk])).status_code == 403
    assert JourneyMap.objects.filter(pk=journey_map.pk).exists()


def test_the_api_lists_archived_maps_only_when_asked(alice, workshop, journey_map, client_for):
    other = services.map_create(actor=alice, workshop=workshop, title="Insurer", template="b2b")
    api = client_for(alice)
    assert api.post(f"/api/maps/{journey_map.pk}/archive/").status_code == 200
    in_use = api.get(f"/api/maps/?workshop={workshop.pk}").json()
    archived = api.get(f"/api/maps/?workshop={workshop.pk}&archived=true").json()
    assert [m["id"] for m in in_use] == [other.pk]
    assert [m["id"] for m in archived] == [journey_map.pk]
    assert archived[0]["archived_at"] is not None
    assert api.delete(f"/api/maps/{journey_map.pk}/archive/").status_code == 200
    assert len(api.get(f"/api/maps/?workshop={workshop.pk}").json()) == 2


def test_the_api_refuses_an_editor_archiving(bob, journey_map, client_for):
    assert client_for(bob).post(f"/api/maps/{journey_map.pk}/archive/").status_code == 403


# --- versions -------------------------------------------------------------------------------


def test_deleting_a_version_asks_first(alice, journey_map):
    from documents import versions

    version = versions.version_save(actor=alice, map=journey_map, name="Q3 review")
    url = reverse("map-version-delete", args=[journey_map.pk, version.pk])
    listing = client_as(alice).get(reverse("map-versions", args=[journey_map.pk]))
    assert f'href="{url}"' in listing.content.decode()
    asked = client_as(alice).get(url)
    assert asked.status_code == 200
    assert "Delete the version “Q3 review”?" in asked.content.decode()
    assert journey_map.versions.filter(pk=version.pk).exists()
    assert client_as(alice).post(url).status_code == 302
    assert not journey_map.versions.filter(pk=version.pk).exists()


# --- invite links ---------------------------------------------------------------------------


def test_an_invite_for_a_map_lands_the_guest_on_its_board(alice, workshop, journey_map):
    response = client_as(alice).post(
        reverse("workshop-invite-create", args=[workshop.pk]),
        {"role": "editor", "expires": "1d", "map": journey_map.pk},
    )
    assert response.status_code == 302
    invite = workshop.invites.get()
    assert invite.map == journey_map
    guest = Client()
    joined = guest.post(reverse("join-guest", args=[invite.token]), {"display_name": "Dana"})
    assert joined.url == reverse("map-board", args=[journey_map.pk])


def test_a_member_joining_by_a_map_invite_lands_on_its_board(alice, mallory, workshop, journey_map):
    invite = invites.invite_create(
        actor=alice, workshop=workshop, role="viewer", expires="1d", map_id=journey_map.pk
    )
    joined = client_as(mallory).post(reverse("join", args=[invite.token]))
    assert joined.url == reverse("map-board", args=[journey_map.pk])


def test_an_invite_without_a_map_lands_on_the_workshop_page(alice, mallory, workshop):
    invite = invites.invite_create(actor=alice, workshop=workshop, role="viewer", expires="1d")
    joined = client_as(mallory).post(reverse("join", args=[invite.token]))
    assert joined.url == detail_url(workshop)


def test_an_invite_cannot_name_a_map_of_another_workshop(alice, mallory, journey_map):
    elsewhere = services.workshop_create(actor=alice, name="Insurer journeys")
    with pytest.raises(Exception) as refusal:
        invites.invite_create(
            actor=alice, workshop=elsewhere, role="viewer", expires="1d", map_id=journey_map.pk
        )
    assert "map" in refusal.value.message_dict


def test_the_api_makes_an_invite_for_a_map(alice, workshop, journey_map, client_for):
    body = {"role": "editor", "expires": "1d", "map": journey_map.pk}
    answer = client_for(alice).post(f"/api/workshops/{workshop.pk}/invites/", body, format="json")
    assert answer.status_code == 201
    assert answer.json()["map"] == journey_map.pk


def test_the_qr_code_page_draws_the_link_as_a_large_svg(alice, workshop, journey_map):
    invite = invites.invite_create(
        actor=alice, workshop=workshop, role="editor", expires="1d", map_id=journey_map.pk
    )
    page = client_as(alice).get(reverse("workshop-invite-qr", args=[workshop.pk, invite.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    svg = re.search(r"<svg [^>]*>.*?</svg>", html, re.S).group(0)
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    height = int(re.search(r'height="(\d+)"', svg).group(1))
    modules = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    assert width == height == modules * 12 and width >= 400  # scannable from a seat
    assert re.search(r'<path [^>]*d="M[\d .hvm-]+"', svg)  # the modules are drawn
    assert f"/join/{invite.token}/" in html  # and the link, large, beside it
    assert "Online shopping" in html


def test_only_the_facilitator_sees_an_invite_as_a_qr_code(alice, bob, workshop):
    invite = invites.invite_create(actor=alice, workshop=workshop, role="editor", expires="1d")
    url = reverse("workshop-invite-qr", args=[workshop.pk, invite.pk])
    assert client_as(bob).get(url).status_code == 403


# --- error pages and the icon ---------------------------------------------------------------


def test_an_unknown_page_answers_the_sites_404_page(alice, settings):
    settings.DEBUG = False
    response = client_as(alice).get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Page not found" in text and "Go to your workshops" in text
    assert 'rel="icon"' in text


def test_an_unknown_api_url_still_answers_json(alice, settings):
    settings.DEBUG = False
    response = client_as(alice).get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def boom(request):
    raise RuntimeError("a fault on purpose")


# The project's URLs and two that fail, for the tests below (pytest.mark.urls).
urlpatterns = [*cjm.urls.urlpatterns, path("boom/", boom), path("api/boom/", boom)]


@pytest.mark.urls(__name__)
def test_a_server_error_answers_the_sites_500_page(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong on our side" in text and 'rel="icon"' in text


@pytest.mark.urls(__name__)
def test_a_server_error_in_the_api_answers_json(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/api/boom/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}


def test_the_favicon_is_served_at_the_root(client):
    # Static files are the server's to serve (WhiteNoise, Daphne's handler): here, the redirect
    # to the icon's static URL, and the icon that URL names.
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == staticfiles_storage.url("img/favicon.ico")
    icon = Path(finders.find("img/favicon.ico")).read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert Path(finders.find("img/favicon.png")).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_page_links_the_icons(client):
    page = client.get(reverse("login")).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg"', page)
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.png"', page)


def test_archiving_is_told_in_words_in_messages(alice, journey_map):
    from workshops import history

    services.map_archive(actor=alice, map=journey_map)
    services.map_unarchive(actor=alice, map=journey_map)
    archived, back = journey_map.events.order_by("revision")[1:3]
    assert history.describe(archived) == "archived the map"
    assert history.describe(back) == "brought the map back from the archive"


def test_the_workshop_list_counts_the_maps_in_use(alice, workshop, journey_map):
    services.map_create(actor=alice, workshop=workshop, title="Insurer", template="b2b")
    services.map_archive(actor=alice, map=journey_map)
    listed = client_as(alice).get(reverse("workshop-list")).context["workshops"]
    assert [w.map_count for w in listed] == [1]


def test_an_archived_map_is_never_due_for_its_quarterly_review(alice, journey_map):
    import datetime

    from django.utils import timezone

    later = timezone.now() + datetime.timedelta(days=200)
    assert services.review_due(journey_map, later)
    services.map_archive(actor=alice, map=journey_map)
    journey_map.refresh_from_db()
    assert not services.review_due(journey_map, later)


def test_the_newest_invite_link_is_listed_first(alice, workshop, journey_map):
    first = invites.invite_create(
        actor=alice, workshop=workshop, role="editor", expires="7d", map_id=journey_map.pk
    )
    newest = invites.invite_create(actor=alice, workshop=workshop, role="viewer", expires="1d")
    listed = client_as(alice).get(detail_url(workshop)).context["invites"]
    assert [invite.pk for invite in listed] == [newest.pk, first.pk]
