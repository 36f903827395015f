"""The facilitator's webhooks pages and a person's e-mail page: built like the others (forms that
call the services, no inline script or style), linked from the workshop page, and closed to
whoever does not facilitate."""

import re

import pytest
from django.test import Client

from notifications import preferences, webhooks
from notifications.models import Delivery, DeliveryStatus, Webhook

pytestmark = pytest.mark.django_db

URL = "https://receiver.example/hooks/cjm"


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def without_inline_code(html: str) -> bool:
    scripts = re.findall(r"<script\b[^>]*>", html)
    return "style=" not in html and "<style" not in html and all("src=" in s for s in scripts)


@pytest.fixture
def webhook(alice, workshop):
    return webhooks.webhook_create(
        actor=alice, workshop=workshop, url=URL, events=["version.saved"]
    )


def test_the_workshop_page_links_facilitators_to_the_webhooks(alice, bob, workshop):
    link = f'href="/workshops/{workshop.pk}/webhooks/"'
    assert link in client_as(alice).get(f"/workshops/{workshop.pk}/").content.decode()
    assert link not in client_as(bob).get(f"/workshops/{workshop.pk}/").content.decode()


def test_a_facilitator_adds_a_webhook_and_sees_its_secret_once(alice, workshop):
    client = client_as(alice)
    page = client.get(f"/workshops/{workshop.pk}/webhooks/")
    assert page.status_code == 200 and without_inline_code(page.content.decode())

    added = client.post(
        f"/workshops/{workshop.pk}/webhooks/",
        {"url": URL, "events": ["vote.closed", "map.review_due"], "format": "", "active": "on"},
    )
    webhook = Webhook.objects.get()
    assert added.status_code == 302 and added["Location"].endswith(f"/webhooks/{webhook.pk}/")
    assert webhook.events == ["vote.closed", "map.review_due"] and webhook.active
    first = client.get(added["Location"]).content.decode()
    assert webhook.secret in first and without_inline_code(first)
    assert webhook.secret not in client.get(added["Location"]).content.decode()  # once

    shown = client.post(f"/workshops/{workshop.pk}/webhooks/{webhook.pk}/secret/", follow=True)
    assert webhook.secret in shown.content.decode()


def test_a_refused_url_comes_back_on_the_form(alice, workshop):
    refused = client_as(alice).post(
        f"/workshops/{workshop.pk}/webhooks/",
        {"url": "http://169.254.169.254/latest/", "events": ["vote.closed"]},
    )
    assert refused.status_code == 400
    assert "public addresses only" in refused.content.decode()
    assert not Webhook.objects.exists()


def test_a_facilitator_changes_turns_off_resends_and_deletes(alice, workshop, webhook):
    client = client_as(alice)
    page = f"/workshops/{workshop.pk}/webhooks/{webhook.pk}/"
    saved = client.post(page, {"url": URL, "events": ["vote.closed"], "format": "json"})
    assert saved.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.events, webhook.active) == (["vote.closed"], False)  # unticked: off

    failed = Delivery.objects.create(
        webhook=webhook,
        event_id="version-7",
        event_type="version.saved",
        body="{}",
        status=DeliveryStatus.FAILED,
        reason="The receiver answered 500.",
    )
    listed = client.get(page).content.decode()
    assert "The receiver answered 500." in listed and "Resend" in listed
    refused = client.post(f"{page}deliveries/{failed.pk}/resend/", follow=True)
    assert "This webhook is off" in refused.content.decode()
    webhooks.webhook_update(actor=alice, webhook=webhook, active=True)
    client.post(f"{page}deliveries/{failed.pk}/resend/")
    assert Delivery.objects.filter(resend_of=failed, event_id="version-7").exists()

    assert client.post(f"{page}delete/").status_code == 302
    assert not Webhook.objects.exists()


@pytest.mark.parametrize("who, status", [("bob", 403), ("carol", 403), ("mallory", 404)])
def test_only_facilitators_open_the_webhooks_pages(request, workshop, webhook, who, status):
    client = client_as(request.getfixturevalue(who))
    base = f"/workshops/{workshop.pk}/webhooks/"
    answers = [
        client.get(base),
        client.post(base, {"url": URL, "events": ["vote.closed"]}),
        client.get(f"{base}{webhook.pk}/"),
        client.post(f"{base}{webhook.pk}/secret/"),
        client.post(f"{base}{webhook.pk}/test/"),
        client.post(f"{base}{webhook.pk}/delete/"),
    ]
    assert [answer.status_code for answer in answers] == [status] * len(answers)
    assert Webhook.objects.count() == 1
    assert webhook.secret not in "".join(answer.content.decode() for answer in answers)


def test_a_person_sets_their_address_and_turns_the_digest_off(bob):
    client = client_as(bob)
    page = client.get("/notifications/")
    assert page.status_code == 200 and without_inline_code(page.content.decode())
    assert 'href="/notifications/"' in page.content.decode()  # in the account menu

    refused = client.post("/notifications/", {"email": "not an address", "weekly_digest": "on"})
    assert refused.status_code == 400
    saved = client.post("/notifications/", {"email": "bob@example.org"})
    assert saved.status_code == 302
    bob.refresh_from_db()
    assert bob.email == "bob@example.org" and not preferences.digest_wanted(bob)


def test_the_email_page_needs_a_login():
    assert Client().get("/notifications/").status_code == 302
