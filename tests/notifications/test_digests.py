"""The weekly run (`manage.py send_digests`): each facilitator gets one e-mail a week, through a
real SMTP server, of the maps due for review and the evidence gone stale; the unsubscribe link
and the preference turn it off; the same run sends map.review_due to the webhooks that want it."""

import datetime
import email
import json
import re
from email import policy

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from evidence import services as evidence_services
from notifications import preferences, webhooks
from notifications.digests import week_of, weekly_run
from notifications.models import Delivery, DigestSent
from workshops import services
from workshops.models import JourneyMap

pytestmark = pytest.mark.django_db(transaction=True)  # the worker checks its connection

LONG_AGO = datetime.timedelta(days=120)


@pytest.fixture
def due_map(alice, bob, journey_map, stages):
    """Alice's map: made four months ago and never reviewed, with evidence from last year."""
    alice.email = "alice@example.org"
    alice.save()
    for stage, name in ((stages[0], "Reach"), (stages[0], "Visits"), (stages[2], "Searchers")):
        evidence_services.evidence_attach(
            actor=bob,
            map=journey_map,
            kind="metric",
            stage_id=stage.pk,
            name=name,
            value=8,
            collected_on=(timezone.localdate() - LONG_AGO).isoformat(),
        )
    JourneyMap.objects.filter(pk=journey_map.pk).update(created_at=timezone.now() - LONG_AGO)
    return JourneyMap.objects.get(pk=journey_map.pk)


def read(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.original_content, policy=policy.default)


def test_a_facilitator_gets_the_weekly_digest_by_smtp(due_map, stages, smtp_server):
    call_command("send_digests", verbosity=0)

    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["alice@example.org"]
    message = read(envelope)
    assert "1 map due for review" in message["Subject"]
    assert "3 pieces of evidence gone stale" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Retail journeys" in text and "Online shopping" in text
    assert "Due for its quarterly review (never reviewed)" in text
    assert f"{stages[0].title} (2), {stages[2].title} (1)" in text
    assert f"/maps/{due_map.pk}/" in text
    assert message.get_body(("html",)) is not None
    assert message["List-Unsubscribe"].startswith("<http")


def test_the_digest_goes_once_a_week_however_often_the_run_is(due_map, smtp_server):
    call_command("send_digests", verbosity=0)
    call_command("send_digests", verbosity=0)
    assert len(smtp_server.envelopes) == 1
    next_week = timezone.now() + datetime.timedelta(days=7)
    weekly_run(now=next_week)
    assert len(smtp_server.envelopes) == 2
    weeks = sorted(DigestSent.objects.values_list("week", flat=True))
    assert weeks == [week_of(timezone.localdate()), week_of(timezone.localdate(next_week))]


def test_nobody_gets_a_digest_with_nothing_in_it(alice, journey_map, smtp_server):
    alice.email = "alice@example.org"
    alice.save()
    call_command("send_digests", verbosity=0)
    assert smtp_server.envelopes == []


def test_only_facilitators_get_it(due_map, bob, carol, smtp_server):
    for member in (bob, carol):
        member.email = f"{member.username}@example.org"
        member.save()
    call_command("send_digests", verbosity=0)
    assert [envelope.rcpt_tos for envelope in smtp_server.envelopes] == [["alice@example.org"]]


def test_a_person_who_turned_it_off_gets_none(due_map, alice, smtp_server):
    preferences.digest_set(user=alice, on=False)
    call_command("send_digests", verbosity=0)
    assert smtp_server.envelopes == []


def test_the_unsubscribe_link_turns_it_off_without_logging_in(due_map, alice, smtp_server):
    call_command("send_digests", verbosity=0)
    text = read(smtp_server.envelopes[0]).get_body(("plain",)).get_content()
    link = re.search(r"Stop the weekly digest: (\S+)", text).group(1)
    path = link.split("127.0.0.1:8000", 1)[1]
    anonymous = Client()

    asked = anonymous.get(path)
    assert asked.status_code == 200 and b"Stop the weekly digest?" in asked.content
    assert preferences.digest_wanted(alice)  # opening the link (a mail scanner) changes nothing

    done = anonymous.post(path)
    assert done.status_code == 200 and b"Unsubscribed" in done.content
    assert not preferences.digest_wanted(alice)
    assert anonymous.get(path.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404


def test_a_failed_send_is_tried_again_by_the_next_run(due_map, settings, smtp_server):
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},  # nobody listens there
        }
    }
    with pytest.raises(Exception, match="Some digests could not be sent"):
        call_command("send_digests", verbosity=0)
    assert not DigestSent.objects.exists()

    settings.MAILERS = working
    call_command("send_digests", verbosity=0)
    assert len(smtp_server.envelopes) == 1


def test_the_run_sends_review_due_to_the_webhooks_once_a_week(
    alice, workshop, due_map, stages, receiver, allow_private, smtp_server, run_tasks
):
    webhooks.webhook_create(
        actor=alice, workshop=workshop, url=receiver.url(), events=["map.review_due"]
    )
    reviewed = services.map_create(actor=alice, workshop=workshop, title="Insurer", template="b2b")

    call_command("send_digests", verbosity=0)
    call_command("send_digests", verbosity=0)
    run_tasks()

    [received] = receiver.wait_for(1)
    message = json.loads(received.body)
    assert message["type"] == "map.review_due"
    assert message["map"]["id"] == due_map.pk != reviewed.pk
    assert message["data"]["reviewed_at"] is None
    assert message["data"]["stale_evidence"]["pieces"] == 3
    assert [s["title"] for s in message["data"]["stale_evidence"]["stages"]] == [
        stages[0].title,
        stages[2].title,
    ]
    assert Delivery.objects.get().status == "delivered"
