"""Erasing an account on request (privacy/erasure.py): the person goes, the maps stay whole,
what they made attributed to "a former member"; the last facilitator of a workshop is kept
until another one is appointed."""

import json

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from knox.models import AuthToken

from documents import versions
from evidence import services as evidence_services
from evidence.models import Evidence
from notifications import webhooks
from notifications.models import Delivery
from privacy.erasure import FORMER_MEMBER, account_erase, is_erased
from workshops import services
from workshops.models import Card, Comment, Guest, MapEvent, MapVersion, Membership, Mention, Role
from workshops.serializers import card_data
from workshops.services import accounts, comments, invites

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def bobs_map(bob, journey_map, stages, card):
    """Bob's card (the `card` fixture) and a quote of his on Alice's map."""
    evidence_services.evidence_attach(
        actor=bob, map=journey_map, kind="quote", stage_id=stages[0].pk, text="Sizes run small"
    )
    return journey_map


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_erasure_leaves_the_map_whole_and_its_work_unnamed(bob, bobs_map, card):
    cards, pieces = Card.objects.count(), Evidence.objects.count()

    account_erase(user=bob)

    assert (Card.objects.count(), Evidence.objects.count()) == (cards, pieces)
    card.refresh_from_db()
    assert card_data(card)["author_name"] == FORMER_MEMBER
    assert Evidence.objects.get().added_by_id == bob.pk


def test_the_history_no_longer_holds_the_name(bob, bobs_map):
    named = [
        event.payload
        for event in MapEvent.objects.filter(map=bobs_map)
        if "Bob" in json.dumps(event.payload)
    ]
    assert named  # the card's event stored its author's name

    account_erase(user=bob)

    stored = json.dumps([event.payload for event in MapEvent.objects.filter(map=bobs_map)])
    assert "Bob" not in stored and FORMER_MEMBER in stored


def test_the_person_and_their_ways_in_are_gone(bob, workshop, bobs_map):
    accounts.token_create(user=bob)
    logged_in(bob)

    counts = account_erase(user=bob)

    bob.refresh_from_db()
    assert bob.username.startswith("former-member-") and is_erased(bob)
    assert (bob.first_name, bob.last_name, bob.email) == (FORMER_MEMBER, "", "")
    assert not bob.has_usable_password() and not bob.is_active
    assert not Membership.objects.filter(user=bob).exists()
    assert not AuthToken.objects.filter(user=bob).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]
    assert counts["memberships"] == 1 and counts["tokens"] == 1 and counts["sessions"] == 1
    attempt = RequestFactory().post("/accounts/login/")
    assert authenticate(request=attempt, username="bob", password="password") is None


def test_comments_and_mentions_in_history_and_versions_no_longer_name_them(
    alice, bob, journey_map, card
):
    comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="Three visits?")
    comments.comment_create(actor=alice, map=journey_map, card_id=card.pk, text="@bob yes")
    version = versions.version_save(actor=alice, map=journey_map, name="With comments")
    assert "bob" in json.dumps(MapVersion.objects.get(pk=version.pk).snapshot).lower()

    account_erase(user=bob)

    bob.refresh_from_db()
    snapshot = json.dumps(MapVersion.objects.get(pk=version.pk).snapshot)
    history = json.dumps([event.payload for event in MapEvent.objects.filter(map=journey_map)])
    for stored in (snapshot, history):
        assert '"bob"' not in stored and "Bob" not in stored and FORMER_MEMBER in stored
    assert not Mention.objects.filter(user=bob).exists()
    journey_map.refresh_from_db()
    versions.version_restore(actor=alice, map=journey_map, version=version)
    restored = Comment.objects.get(map=journey_map, text="Three visits?")
    assert restored.author == bob  # the placeholder account, found again by its username


def test_the_last_facilitator_of_a_workshop_is_not_erased(alice, bob, workshop):
    with pytest.raises(ValidationError) as refused:
        account_erase(user=alice)

    assert "last facilitator of “Retail journeys”" in refused.value.messages[0]
    alice.refresh_from_db()
    assert alice.username == "alice" and Membership.objects.filter(user=alice).exists()


def test_once_another_facilitator_is_appointed_the_erasure_goes_ahead(alice, bob, workshop):
    services.membership_set(actor=alice, workshop=workshop, user=bob, role=Role.FACILITATOR)

    account_erase(user=alice)

    alice.refresh_from_db()
    assert is_erased(alice)


def test_a_staff_member_cannot_erase_their_own_account(carol):
    with pytest.raises(ValidationError):
        account_erase(user=carol, by=carol)


def test_an_account_is_erased_once(bob):
    account_erase(user=bob)

    with pytest.raises(ValidationError):
        account_erase(user=bob)


def test_a_guests_display_name_goes_with_the_guest_account(alice, workshop):
    invite = invites.invite_create(actor=alice, workshop=workshop, role=Role.EDITOR, expires="7d")
    guest = invites.guest_join(invite=invite, display_name="Lena from marketing")

    account_erase(user=guest.user)

    guest = Guest.objects.get(pk=guest.pk)
    assert guest.display_name == FORMER_MEMBER
    assert guest.user.get_full_name() == FORMER_MEMBER


@pytest.mark.django_db(transaction=True)  # the webhook's worker checks its connection
def test_webhook_deliveries_of_their_changes_no_longer_name_them(
    settings, alice, bob, workshop, journey_map, receiver, run_tasks
):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on 127.0.0.1
    webhooks.webhook_create(
        actor=alice, workshop=workshop, url=receiver.url(), events=["version.saved"]
    )
    versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    run_tasks()
    receiver.wait_for(1)
    assert json.loads(Delivery.objects.get().body)["actor"] == "Bob"  # the log keeps it

    account_erase(user=bob)

    assert json.loads(Delivery.objects.get().body)["actor"] == FORMER_MEMBER


# --- the ways staff erase -----------------------------------------------------------------


@pytest.fixture
def staff_client(db):
    root = User.objects.create_superuser("root", password="password")
    return logged_in(root)


def erase_in_admin(client, user, **extra):
    return client.post(
        "/admin/auth/user/", {"action": "erase", "_selected_action": [user.pk], **extra}
    )


def test_the_admin_asks_before_it_erases(staff_client, bob):
    asked = erase_in_admin(staff_client, bob)

    assert asked.status_code == 200 and b"Yes, erase" in asked.content
    bob.refresh_from_db()
    assert bob.username == "bob"


def test_the_admin_erases_once_confirmed(staff_client, bob):
    done = erase_in_admin(staff_client, bob, confirmed="yes")

    assert done.status_code == 302
    bob.refresh_from_db()
    assert is_erased(bob)


def test_the_admin_says_why_it_did_not_erase(staff_client, alice, workshop):
    done = erase_in_admin(staff_client, alice, confirmed="yes")

    followed = staff_client.get(done["Location"])
    assert "not erased" in followed.content.decode()
    alice.refresh_from_db()
    assert alice.username == "alice"


def test_the_admin_offers_no_plain_delete_of_an_account(staff_client, bob):
    assert staff_client.get(f"/admin/auth/user/{bob.pk}/delete/").status_code in (302, 403)
    assert User.objects.filter(pk=bob.pk).exists()


def test_the_command_erases_and_says_what_went(bob, bobs_map, capsys):
    call_command("erase_account", "bob")

    assert "Erased 'bob'" in capsys.readouterr().out
    bob.refresh_from_db()
    assert is_erased(bob)


def test_the_command_refuses_the_last_facilitator(alice, workshop):
    with pytest.raises(CommandError, match="last facilitator"):
        call_command("erase_account", "alice")
