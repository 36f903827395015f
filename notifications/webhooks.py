"""Every write of a workshop's webhook endpoints, facilitators only: register, change,
deactivate, delete, show or renew the secret, send a test, resend a delivery.

A URL is checked when it is registered (http or https, no address a webhook may not reach:
addresses.py) and again at every delivery, since a name's addresses can change.
"""

import secrets

from django.shortcuts import get_object_or_404
from django.utils import timezone

from workshops.access import require_role
from workshops.models import Role, Workshop
from workshops.services.checks import boolean, choice, only, refuse

from . import addresses, payloads
from .deliveries import WAITING, deliveries_create, delivery_again
from .models import Delivery, Event, Format, Webhook
from .slack import is_slack_url

WEBHOOKS_PER_WORKSHOP = 20
CHANGEABLE = ("url", "events", "format", "active")


def _facilitator(actor, workshop: Workshop) -> None:
    require_role(actor, workshop, Role.FACILITATOR)


def webhooks_of(actor, workshop: Workshop):
    _facilitator(actor, workshop)
    return workshop.webhooks.all()


def webhook_for(actor, workshop: Workshop, webhook_id) -> Webhook:
    """One of the workshop's endpoints, for its facilitator; another workshop's is a 404."""
    _facilitator(actor, workshop)
    return get_object_or_404(
        Webhook.objects.select_related("workshop"), workshop=workshop, pk=webhook_id
    )


def new_secret() -> str:
    return secrets.token_hex(32)


def webhook_create(*, actor, workshop: Workshop, url, events, format=None, active=True) -> Webhook:
    _facilitator(actor, workshop)
    if workshop.webhooks.count() >= WEBHOOKS_PER_WORKSHOP:
        refuse("url", f"A workshop has at most {WEBHOOKS_PER_WORKSHOP} webhooks.")
    url = _url(url)
    return Webhook.objects.create(
        workshop=workshop,
        url=url,
        events=_events(events),
        format=_format(format, url),
        active=boolean("active", active),
        secret=new_secret(),
        created_by=actor,
    )


def webhook_update(*, actor, webhook: Webhook, **changes) -> Webhook:
    _facilitator(actor, webhook.workshop)
    only(changes, CHANGEABLE)
    if "url" in changes:
        webhook.url = _url(changes["url"])
    if "events" in changes:
        webhook.events = _events(changes["events"])
    if "format" in changes:
        webhook.format = _format(changes["format"], webhook.url)
    if "active" in changes:
        webhook.active = boolean("active", changes["active"])
    webhook.save()
    return webhook


def webhook_delete(*, actor, webhook: Webhook) -> None:
    _facilitator(actor, webhook.workshop)
    webhook.delete()  # its deliveries with it; tasks still queued for them find nothing


def webhook_secret_renew(*, actor, webhook: Webhook) -> Webhook:
    """A new secret; the old one signs nothing from now on (tries already queued included)."""
    _facilitator(actor, webhook.workshop)
    webhook.secret = new_secret()
    webhook.save(update_fields=["secret"])
    return webhook


def webhook_test(*, actor, webhook: Webhook) -> Delivery:
    """Send a `webhook.test` message now, whatever events the endpoint asked for."""
    _facilitator(actor, webhook.workshop)
    if not webhook.active:
        refuse("active", "This webhook is off: turn it on to send it a test.")
    message = payloads.test_message(webhook, actor=actor, at=timezone.now())
    return deliveries_create(message, [webhook])[0]


def deliveries_of(actor, webhook: Webhook):
    _facilitator(actor, webhook.workshop)
    return webhook.deliveries.all()


def delivery_for(actor, webhook: Webhook, delivery_id) -> Delivery:
    _facilitator(actor, webhook.workshop)
    return get_object_or_404(webhook.deliveries.select_related("webhook"), pk=delivery_id)


def delivery_resend(*, actor, delivery: Delivery) -> Delivery:
    """Send a delivery's message again, as a new delivery with the same event id."""
    _facilitator(actor, delivery.webhook.workshop)
    if delivery.status in WAITING:
        refuse("delivery", "This delivery is still being tried: wait for its outcome.")
    if not delivery.webhook.active:
        refuse("delivery", "This webhook is off: turn it on to send it anything.")
    return delivery_again(delivery)


# --- the checks ------------------------------------------------------------------------------


def _url(url) -> str:
    try:
        return addresses.url_check(url)
    except addresses.Refused as refusal:
        refuse("url", str(refusal))


def _events(events) -> list[str]:
    if not isinstance(events, list) or not events:
        refuse("events", f"Choose one or more of {', '.join(Event.values)}.")
    for event in events:
        if not isinstance(event, str):
            refuse("events", "Each event is a name such as vote.closed.")
        choice("events", event, Event)
    return [event for event in Event.values if event in events]  # in a steady order, once each


def _format(format, url: str) -> str:
    if format is None or format == "":
        return Format.SLACK if is_slack_url(url) else Format.JSON
    return choice("format", format, Format)
