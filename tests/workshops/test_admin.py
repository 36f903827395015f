"""The admin, held to the one rule of the architecture: every write goes through a service, so
an edit made there bumps the revision, lands in the history and reaches open boards."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from workshops import services
from workshops.models import Card, JourneyMap, MapEvent, Role, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(client, db):
    root = User.objects.create_superuser("root", password="password")
    client.force_login(root)
    client.root = root
    return client


def card_form(card, **changes):
    return {
        "stage": card.stage_id,
        "lane": card.lane_id,
        "position": card.position,
        "text": card.text,
        "channel": card.channel,
        "emotion_score": "",
        "severity": "",
        **changes,
    }


def test_editing_a_card_in_the_admin_goes_through_the_service(admin_client_for, card, journey_map):
    journey_map.refresh_from_db()
    before = journey_map.revision
    url = reverse("admin:workshops_card_change", args=[card.pk])
    response = admin_client_for.post(url, card_form(card, text="Uses the cart as a wishlist"))
    assert response.status_code == 302
    card.refresh_from_db()
    journey_map.refresh_from_db()
    assert card.text == "Uses the cart as a wishlist"
    assert journey_map.revision == before + 1
    event = journey_map.events.get(revision=journey_map.revision)
    assert event.type == "card.updated" and event.actor == admin_client_for.root


def test_moving_a_card_in_the_admin_is_a_card_move(admin_client_for, card, journey_map, stages):
    url = reverse("admin:workshops_card_change", args=[card.pk])
    admin_client_for.post(url, card_form(card, stage=stages[2].pk))
    card.refresh_from_db()
    assert card.stage == stages[2]
    assert journey_map.events.latest("revision").type == "card.moved"


def test_an_invalid_card_edit_in_the_admin_changes_nothing(admin_client_for, card, journey_map):
    journey_map.refresh_from_db()
    before = journey_map.revision
    url = reverse("admin:workshops_card_change", args=[card.pk])
    # A severity belongs to pain points only; this card is an action.
    response = admin_client_for.post(url, card_form(card, text="Changed", severity=2), follow=True)
    assert "Not saved" in response.content.decode()
    card.refresh_from_db()
    journey_map.refresh_from_db()
    assert (card.text, card.severity) == ("Adds items to the cart", None)
    assert journey_map.revision == before


def test_adding_a_card_in_the_admin_records_an_event(admin_client_for, journey_map, stages, lanes):
    response = admin_client_for.post(
        reverse("admin:workshops_card_add"),
        {
            "map": journey_map.pk,
            "stage": stages[1].pk,
            "lane": lanes["emotions"].pk,
            "position": "",
            "text": "Unsure",
            "channel": "",
            "emotion_score": -1,
            "severity": "",
        },
    )
    assert response.status_code == 302
    card = Card.objects.get(text="Unsure")
    assert card.emotion_score == -1 and card.author == admin_client_for.root
    assert journey_map.events.latest("revision").type == "card.created"


def test_deleting_a_card_in_the_admin_records_an_event(admin_client_for, card, journey_map):
    url = reverse("admin:workshops_card_delete", args=[card.pk])
    admin_client_for.post(url, {"post": "yes"})
    assert not Card.objects.filter(pk=card.pk).exists()
    assert journey_map.events.latest("revision").type == "card.deleted"


def test_bulk_deleting_cards_in_the_admin_records_one_event_each(
    admin_client_for, card, bob, journey_map, stages, lanes
):
    other = services.card_create(
        actor=bob, map=journey_map, stage_id=stages[1].pk, lane_id=lanes["thoughts"].pk, text="Hmm"
    ).payload["card"]["id"]
    admin_client_for.post(
        reverse("admin:workshops_card_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [card.pk, other],
            "post": "yes",
        },
    )
    assert not journey_map.cards.exists()
    assert journey_map.events.filter(type="card.deleted").count() == 2


def test_adding_a_map_in_the_admin_uses_its_template(admin_client_for, workshop):
    response = admin_client_for.post(
        reverse("admin:workshops_journeymap_add"),
        {
            "workshop": workshop.pk,
            "title": "From the admin",
            "description": "",
            "persona": "",
            "state": "current",
            "template": "b2b",
        },
    )
    assert response.status_code == 302
    journey_map = JourneyMap.objects.get(title="From the admin")
    assert journey_map.stages.count() == 7 and journey_map.lanes.count() == 8
    assert journey_map.events.get().type == "map.created"


def test_renaming_a_map_in_the_admin_bumps_its_revision(admin_client_for, journey_map):
    url = reverse("admin:workshops_journeymap_change", args=[journey_map.pk])
    admin_client_for.post(
        url, {"title": "Renamed", "description": "", "persona": "", "state": "current"}
    )
    journey_map.refresh_from_db()
    assert journey_map.title == "Renamed"
    assert journey_map.events.latest("revision").type == "map.updated"


def test_the_admin_keeps_the_last_facilitator(admin_client_for, alice, workshop):
    membership = workshop.memberships.get(user=alice)
    url = reverse("admin:workshops_membership_change", args=[membership.pk])
    response = admin_client_for.post(url, {"role": "viewer"}, follow=True)
    assert "at least one facilitator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.FACILITATOR


def test_adding_a_workshop_in_the_admin_makes_the_admin_its_facilitator(admin_client_for):
    response = admin_client_for.post(
        reverse("admin:workshops_workshop_add"), {"name": "Admin workshop", "description": ""}
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get(name="Admin workshop")
    assert workshop.memberships.get().user == admin_client_for.root


def test_map_events_are_read_only_in_the_admin(admin_client_for, journey_map):
    event = MapEvent.objects.get(map=journey_map)
    assert admin_client_for.get(reverse("admin:workshops_mapevent_changelist")).status_code == 200
    url = reverse("admin:workshops_mapevent_change", args=[event.pk])
    admin_client_for.post(url, {"type": "forged"})
    event.refresh_from_db()
    assert event.type == "map.created"
    assert admin_client_for.get(reverse("admin:workshops_mapevent_add")).status_code == 403


@pytest.mark.parametrize(
    "model",
    ["workshop", "membership", "persona", "journeymap", "stage", "lane", "card", "mapevent"],
)
def test_admin_pages_render(admin_client_for, card, model):
    assert admin_client_for.get(reverse(f"admin:workshops_{model}_changelist")).status_code == 200
    if model != "mapevent":
        assert admin_client_for.get(reverse(f"admin:workshops_{model}_add")).status_code == 200
