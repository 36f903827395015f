"""Deliveries of webhook messages, in the background worker: one Django task per try.

An event that some endpoint wants is announced by a task (`announce_map_event`,
`announce_version`) that builds its message once and makes a Delivery per endpoint, its body
fixed then. Each Delivery is tried by the `deliver` task: signed, POSTed to a checked address,
and on failure tried again later, the task queued again with `run_after`: five tries over about
an hour. Every try is noted on the Delivery (status, time, response code, a short reason), which
is what the facilitator sees, and can send again.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from workshops.models import MapEvent, MapVersion

from . import addresses, outgoing, payloads
from .models import Delivery, DeliveryStatus, Format, Webhook
from .slack import slack_message

# After the 1st, 2nd, 3rd and 4th failed try: the 5th and last comes about an hour after the 1st.
RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=40),
)
MAX_TRIES = len(RETRY_AFTER) + 1
WAITING = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
USER_AGENT = "cjm-webhooks/1"
KEPT_FOR = timedelta(days=30)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """X-CJM-Signature: HMAC-SHA256, keyed with the endpoint's secret, of the timestamp, a dot
    and the raw body (docs/webhooks.md)."""
    signed = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


# --- announcing: which endpoints hear of what -----------------------------------------------


def wanting(workshop_id: int, event_type: str) -> list[Webhook]:
    # A workshop has a handful of endpoints: filtered here, the same on every database (SQLite
    # has no JSON containment lookup).
    active = Webhook.objects.filter(workshop_id=workshop_id, active=True)
    return [webhook for webhook in active if event_type in webhook.events]


def announce(message: dict) -> list[Delivery]:
    """Deliver a message to every active endpoint of its workshop that wants its type."""
    return deliveries_create(message, wanting(message["workshop"]["id"], message["type"]))


def deliveries_create(message: dict, webhooks) -> list[Delivery]:
    made = []
    for webhook in webhooks:
        body = slack_message(message) if webhook.format == Format.SLACK else message
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    webhook=webhook,
                    event_id=message["id"],
                    event_type=message["type"],
                    body=payloads.encode(body),
                )
                # Committed together: the worker never picks up one without the other.
                deliver.enqueue(delivery.pk)
        except IntegrityError:
            continue  # announced already: a worker ran this announcement twice
        made.append(delivery)
    return made


@task()
def announce_map_event(event_id: int) -> None:
    event = MapEvent.objects.select_related("actor").filter(pk=event_id).first()
    message = event and payloads.map_event_message(event)
    if message:  # None: its map was deleted since, or the event is not for endpoints
        announce(message)


@task()
def announce_version(version_id: int) -> None:
    version = MapVersion.objects.select_related("created_by").filter(pk=version_id).first()
    if version is not None:  # deleted since
        announce(payloads.version_message(version))


# --- one try -----------------------------------------------------------------------------


@task()
def deliver(delivery_id: int) -> None:
    """The background task of one try (run by cjm/worker.py's thread, or manage.py db_worker)."""
    delivery_attempt(delivery_id)


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    final: bool  # no use trying again
    reason: str
    code: int | None = None


def delivery_attempt(delivery_id: int) -> Delivery | None:
    delivery = (
        Delivery.objects.select_related("webhook").filter(pk=delivery_id, status__in=WAITING)
    ).first()
    if delivery is None:
        return None  # deleted with its endpoint, or tried already by a task run twice
    if not delivery.webhook.active:
        outcome = Outcome(False, True, "Not sent: the endpoint was deactivated.")
    else:
        outcome = _try(delivery)
    return _noted(delivery, outcome)


def _try(delivery: Delivery) -> Outcome:
    try:
        target = addresses.target_of(delivery.webhook.url)
        reachable = addresses.allowed_addresses(target)
    except addresses.Refused as refusal:
        return Outcome(False, True, f"Refused: {refusal}")
    except addresses.Unresolved as unresolved:
        return Outcome(False, False, str(unresolved))
    body = delivery.body.encode("utf-8")
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    try:
        answer = outgoing.post(target, reachable, body, _headers(delivery, body), timeout)
    except outgoing.Unreachable as failure:
        return Outcome(False, False, str(failure))
    return _judged(answer)


def _headers(delivery: Delivery, body: bytes) -> dict:
    timestamp = str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-CJM-Event": delivery.event_type,
        "X-CJM-Event-Id": delivery.event_id,
        "X-CJM-Delivery": str(delivery.pk),
        "X-CJM-Timestamp": timestamp,
        "X-CJM-Signature": signature(delivery.webhook.secret, timestamp, body),
    }


def _judged(answer: outgoing.Answer) -> Outcome:
    status = answer.status
    said = " ".join(answer.text.split())[:100]
    if 200 <= status < 300:
        return Outcome(True, True, "", status)
    if 300 <= status < 400:
        reason = f"Redirected ({status}), not followed: give the URL it redirects to."
        return Outcome(False, True, reason, status)
    reason = f"The receiver answered {status}" + (f": {said}" if said else ".")
    # A server error, a timeout or "too many" may pass; another refusal will not by itself.
    again = status >= 500 or status in (408, 425, 429)
    return Outcome(False, not again, reason, status)


def _noted(delivery: Delivery, outcome: Outcome) -> Delivery:
    now = timezone.now()
    delivery.attempts += 1
    delivery.attempted_at, delivery.response_code = now, outcome.code
    delivery.reason, delivery.next_attempt_at = outcome.reason[:200], None
    if outcome.delivered:
        delivery.status = DeliveryStatus.DELIVERED
    elif outcome.final or delivery.attempts >= MAX_TRIES:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = now + RETRY_AFTER[delivery.attempts - 1]
    with transaction.atomic():
        delivery.save()
        if delivery.status == DeliveryStatus.RETRYING:
            deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return delivery


def delivery_again(delivery: Delivery) -> Delivery:
    """A new delivery of the same bytes and event id (receivers may drop what they have seen)."""
    with transaction.atomic():
        again = Delivery.objects.create(
            webhook=delivery.webhook,
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            body=delivery.body,
            resent=True,
            resend_of=delivery,
        )
        deliver.enqueue(again.pk)
    return again


def deliveries_prune(now=None) -> int:
    """Forget finished deliveries older than KEPT_FOR; returns how many."""
    before = (now or timezone.now()) - KEPT_FOR
    finished = Delivery.objects.exclude(status__in=WAITING).filter(created_at__lt=before)
    return finished.delete()[0]
