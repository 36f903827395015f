"""The webhooks API: only a workshop's facilitators register, read and change its endpoints; a
URL that is not http(s) or points at a refused address is a clear 400; the secret is shown at
creation and on request, never in a listing."""

import pytest

from notifications.models import Delivery, DeliveryStatus, Webhook
from workshops import services

pytestmark = pytest.mark.django_db

URL = "https://receiver.example/hooks/cjm"


def webhooks_url(workshop) -> str:
    return f"/api/workshops/{workshop.pk}/webhooks/"


def register(client, workshop, **fields):
    body = {"url": URL, "events": ["version.saved", "vote.closed"], **fields}
    return client.post(webhooks_url(workshop), body, format="json")


@pytest.fixture
def webhook(alice, workshop, client_for):
    response = register(client_for(alice), workshop)
    assert response.status_code == 201, response.data
    return Webhook.objects.get(pk=response.data["id"])


def test_a_facilitator_registers_a_webhook_and_sees_its_secret_once(alice, workshop, client_for):
    client = client_for(alice)
    made = register(client, workshop)
    assert made.status_code == 201, made.data
    assert made.data["events"] == ["version.saved", "vote.closed"]
    assert made.data["format"] == "json" and made.data["active"] is True
    assert len(made.data["secret"]) == 64
    listed = client.get(webhooks_url(workshop)).data
    assert [entry["id"] for entry in listed] == [made.data["id"]]
    assert "secret" not in listed[0]
    detail = client.get(f"{webhooks_url(workshop)}{made.data['id']}/").data
    assert "secret" not in detail
    asked = client.get(f"{webhooks_url(workshop)}{made.data['id']}/secret/")
    assert asked.data == {"secret": made.data["secret"]}


def test_a_slack_url_gets_slacks_format(alice, workshop, client_for):
    made = register(
        client_for(alice),
        workshop,
        url="https://hooks.slack.com/services/T000/B000/XXXX",
        events=["vote.closed"],
    )
    assert made.status_code == 201, made.data
    assert made.data["format"] == "slack"


@pytest.mark.parametrize(
    "url, why",
    [
        ("ftp://receiver.example/hook", "Only http:// and https://"),
        ("javascript:alert(1)", "Only http:// and https://"),
        ("http://127.0.0.1:8000/hook", "public addresses only"),
        ("http://10.0.0.8/hook", "public addresses only"),
        ("http://169.254.169.254/latest/meta-data/", "public addresses only"),
        ("http://[::1]:9000/hook", "public addresses only"),
        ("http://localhost/hook", "public addresses only"),
    ],
)
def test_a_url_that_is_not_http_or_points_at_a_refused_address_is_a_400(
    alice, workshop, client_for, url, why
):
    refused = register(client_for(alice), workshop, url=url)
    assert refused.status_code == 400
    assert why in refused.data["url"][0]
    assert not Webhook.objects.exists()


def test_unknown_events_are_refused(alice, workshop, client_for):
    refused = register(client_for(alice), workshop, events=["card.created"])
    assert refused.status_code == 400 and "events" in refused.data
    empty = register(client_for(alice), workshop, events=[])
    assert empty.status_code == 400 and "events" in empty.data


def test_a_facilitator_changes_turns_off_and_deletes_a_webhook(
    alice, workshop, client_for, webhook
):
    client = client_for(alice)
    url = f"{webhooks_url(workshop)}{webhook.pk}/"
    changed = client.patch(url, {"events": ["map.review_due"], "active": False}, format="json")
    assert changed.status_code == 200, changed.data
    assert (changed.data["events"], changed.data["active"]) == (["map.review_due"], False)
    refused = client.patch(url, {"url": "http://192.168.0.10/"}, format="json")
    assert refused.status_code == 400
    assert Webhook.objects.get(pk=webhook.pk).url == URL
    assert client.delete(url).status_code == 204
    assert not Webhook.objects.exists()


def test_renewing_the_secret_replaces_it(alice, workshop, client_for, webhook):
    renewed = client_for(alice).post(f"{webhooks_url(workshop)}{webhook.pk}/secret/")
    assert renewed.status_code == 200
    assert renewed.data["secret"] != webhook.secret
    assert Webhook.objects.get(pk=webhook.pk).secret == renewed.data["secret"]


@pytest.mark.parametrize(
    "who, status", [("bob", 403), ("carol", 403), ("mallory", 404), (None, 401)]
)
def test_only_facilitators_manage_webhooks(request, workshop, client_for, webhook, who, status):
    client = client_for(request.getfixturevalue(who) if who else None)
    base = webhooks_url(workshop)
    one = f"{base}{webhook.pk}/"
    answers = [
        client.get(base),
        register(client, workshop),
        client.get(one),
        client.patch(one, {"active": False}, format="json"),
        client.delete(one),
        client.get(f"{one}secret/"),
        client.post(f"{one}secret/"),
        client.post(f"{one}test/"),
        client.get(f"{one}deliveries/"),
    ]
    assert [answer.status_code for answer in answers] == [status] * len(answers)
    assert Webhook.objects.get(pk=webhook.pk).active and Webhook.objects.count() == 1


def test_another_workshops_webhook_is_not_found(alice, bob, workshop, client_for, webhook):
    other = services.workshop_create(actor=bob, name="Bob's own")
    client = client_for(bob)
    assert client.get(f"{webhooks_url(other)}{webhook.pk}/").status_code == 404
    assert client.delete(f"{webhooks_url(other)}{webhook.pk}/").status_code == 404


def test_a_delivery_still_being_tried_is_not_resent(alice, workshop, client_for, webhook):
    waiting = Delivery.objects.create(
        webhook=webhook, event_id="version-1", event_type="version.saved", body="{}"
    )
    url = f"{webhooks_url(workshop)}{webhook.pk}/deliveries/{waiting.pk}/resend/"
    refused = client_for(alice).post(url)
    assert refused.status_code == 400 and "still being tried" in refused.data["delivery"][0]
    Delivery.objects.filter(pk=waiting.pk).update(status=DeliveryStatus.FAILED)
    resent = client_for(alice).post(url)
    assert resent.status_code == 202
    assert resent.data["resend_of"] == waiting.pk and resent.data["event_id"] == "version-1"
