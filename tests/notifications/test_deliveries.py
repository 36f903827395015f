"""Webhook deliveries through the real background worker to a real HTTP receiver on a local
port: signed, retried with backoff (the queue's clock moved, never slept), in Slack's format
for Slack, logged, and refused or cut short where they must be."""

import hashlib
import hmac
import itertools
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from documents import versions
from evidence import imports
from evidence import services as evidence_services
from notifications import deliveries, webhooks
from notifications.models import Delivery, DeliveryStatus
from workshops import services
from workshops.services import voting

pytestmark = pytest.mark.django_db(transaction=True)  # the worker checks its connection


@pytest.fixture
def hook(alice, workshop, receiver, allow_private):
    """Alice's endpoint on the local receiver, for saved versions and closed votes."""

    def make(**fields):
        options = {"url": receiver.url(), "events": ["version.saved", "vote.closed"], **fields}
        return webhooks.webhook_create(actor=alice, workshop=workshop, **options)

    return make


def signed(secret: str, received) -> bool:
    """What docs/webhooks.md tells a receiver to check."""
    timestamp = received.headers["X-CJM-Timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + received.body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(received.headers["X-CJM-Signature"], f"sha256={expected}")


def pain_points(bob, journey_map, stages, lanes, *texts) -> list[int]:
    made = [
        services.card_create(
            actor=bob,
            map=journey_map,
            stage_id=stages[2].pk,
            lane_id=lanes["pain_points"].pk,
            text=text,
        )
        for text in texts
    ]
    return [event.payload["card"]["id"] for event in made]


def closed_vote(alice, bob, carol, journey_map, dots: dict[int, int]) -> None:
    """A vote in which Bob and Carol place `dots` (card id: how many), then Alice closes it."""
    opened = voting.vote_open(actor=alice, map=journey_map, dots_per_person=5)
    round_id = opened.payload["vote"]["round"]
    voters = itertools.cycle([bob, carol])
    for card_id, count in dots.items():
        for _ in range(count):
            voting.vote_place(
                actor=next(voters), map=journey_map, round_id=round_id, card_id=card_id
            )
    voting.vote_close(actor=alice, map=journey_map, round_id=round_id)


def test_a_saved_version_is_delivered_signed(bob, journey_map, hook, receiver, run_tasks):
    webhook = hook()
    versions.version_save(actor=bob, map=journey_map, name="Q3 review")

    run_tasks()

    [received] = receiver.wait_for(1)
    assert received.path == "/hooks/cjm"
    assert received.headers["Content-Type"] == "application/json"
    assert received.headers["X-CJM-Event"] == "version.saved"
    assert signed(webhook.secret, received)
    assert not signed("another secret", received)
    message = json.loads(received.body)
    assert message["type"] == "version.saved"
    assert message["id"] == received.headers["X-CJM-Event-Id"]
    assert message["map"]["id"] == journey_map.pk
    assert message["map"]["url"].endswith(f"/maps/{journey_map.pk}/")
    assert message["workshop"]["name"] == "Retail journeys"
    assert message["actor"] == "Bob"
    assert message["data"]["version"]["name"] == "Q3 review"
    assert message["data"]["previous"] is None
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)


def test_a_version_tells_its_metric_changes_since_the_last(
    bob, journey_map, stages, hook, receiver, run_tasks
):
    hook(events=["version.saved"])
    conversion = {"kind": "metric", "stage_id": stages[3].pk, "name": "Lead form conversion"}
    evidence_services.evidence_attach(actor=bob, map=journey_map, **conversion, value=0.84)
    versions.version_save(actor=bob, map=journey_map, name="Before the redesign")
    evidence_services.evidence_attach(actor=bob, map=journey_map, **conversion, value=1.2)
    versions.version_save(actor=bob, map=journey_map, name="After the redesign")

    run_tasks()

    later = [json.loads(r.body) for r in receiver.wait_for(2)]
    [after] = [m for m in later if m["data"]["version"]["name"] == "After the redesign"]
    assert after["data"]["previous"]["name"] == "Before the redesign"
    [change] = after["data"]["metric_changes"]
    assert change["name"] == "Lead form conversion"
    assert (change["before"], change["after"]) == (0.84, 1.2)
    assert change["stage"] == stages[3].title
    assert change["change_percent"] == pytest.approx(42.9, abs=0.1)


def test_a_closed_vote_sends_its_top_cards_with_their_texts_and_dots(
    alice, bob, carol, journey_map, stages, lanes, hook, receiver, run_tasks
):
    hook(events=["vote.closed"])
    first, second = pain_points(bob, journey_map, stages, lanes, "Account required", "No tracking")
    closed_vote(alice, bob, carol, journey_map, {first: 2, second: 3})

    run_tasks()

    [received] = receiver.wait_for(1)
    data = json.loads(received.body)["data"]
    assert [(card["text"], card["dots"]) for card in data["top"]] == [
        ("No tracking", 3),
        ("Account required", 2),
    ]
    assert (data["dots"], data["cards_with_dots"]) == (5, 2)
    assert data["top"][0]["lane"] == lanes["pain_points"].title


def test_a_failed_delivery_is_tried_again_with_backoff_until_it_passes(
    bob, journey_map, hook, receiver, run_tasks, run_tasks_later
):
    receiver.answer(500, 500)
    hook()
    versions.version_save(actor=bob, map=journey_map, name="Q3 review")

    run_tasks()
    receiver.wait_for(1)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("retrying", 1, 500)
    assert "The receiver answered 500" in delivery.reason
    assert delivery.next_attempt_at - delivery.attempted_at == timedelta(minutes=1)
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert retry.run_after == delivery.next_attempt_at

    run_tasks()  # not due yet: nothing is sent
    assert len(receiver.received) == 1

    run_tasks_later(timedelta(minutes=1))
    receiver.wait_for(2)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retrying", 2)
    assert delivery.next_attempt_at - delivery.attempted_at == timedelta(minutes=5)

    run_tasks_later(timedelta(minutes=5))
    tries = receiver.wait_for(3)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)
    assert delivery.next_attempt_at is None
    assert len({received.body for received in tries}) == 1  # the same bytes every time
    assert len({received.headers["X-CJM-Event-Id"] for received in tries}) == 1


def test_a_delivery_gives_up_after_five_tries_in_about_an_hour(
    bob, journey_map, hook, receiver, run_tasks, run_tasks_later
):
    receiver.answer(*[503] * 5)
    hook()
    versions.version_save(actor=bob, map=journey_map, name="Q3 review")

    run_tasks()
    for _ in range(4):
        run_tasks_later(timedelta(hours=1))

    assert len(receiver.wait_for(5)) == 5
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 5, 503)
    assert sum(deliveries.RETRY_AFTER, timedelta()) == timedelta(minutes=61)
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_slack_endpoint_gets_slacks_own_message(
    alice, bob, carol, journey_map, stages, lanes, hook, receiver, run_tasks
):
    hook(format="slack", events=["vote.closed"])
    texts = ["Account required", "No tracking", "Sizes unclear", "Slow <delivery> & returns"]
    cards = pain_points(bob, journey_map, stages, lanes, *texts)
    closed_vote(alice, bob, carol, journey_map, dict(zip(cards, [1, 4, 2, 3], strict=True)))

    run_tasks()

    [received] = receiver.wait_for(1)
    message = json.loads(received.body)
    assert set(message) == {"text", "blocks"}
    assert "Dot vote closed" in message["text"] and journey_map.title in message["text"]
    header, section, context = message["blocks"]
    assert header["type"] == "header" and header["text"]["type"] == "plain_text"
    assert section["type"] == "section" and section["text"]["type"] == "mrkdwn"
    lines = section["text"]["text"].splitlines()
    assert lines[1].startswith("1. *No tracking*: 4 dots")
    assert lines[2].startswith("2. *Slow &lt;delivery&gt; &amp; returns*: 3 dots")  # escaped
    assert lines[3].startswith("3. *Sizes unclear*: 2 dots")
    assert "Account required" not in section["text"]["text"]  # the top three only
    board = f"/maps/{journey_map.pk}/|Open the board>"
    assert context["type"] == "context" and board in context["elements"][0]["text"]


def test_a_refused_address_is_a_logged_failure_and_not_retried(
    settings, bob, journey_map, hook, receiver, run_tasks
):
    hook()
    settings.WEBHOOK_ALLOW_PRIVATE = False  # registered on a LAN install, then turned off
    versions.version_save(actor=bob, map=journey_map, name="Q3 review")

    run_tasks()

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.reason.startswith("Refused: 127.0.0.1 resolves to 127.0.0.1")
    assert receiver.received == []
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_redirect_is_not_followed(bob, journey_map, hook, receiver, run_tasks):
    receiver.answer(302)
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data/"
    hook()
    versions.version_save(actor=bob, map=journey_map, name="Q3 review")

    run_tasks()

    assert len(receiver.wait_for(1)) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_code) == ("failed", 302)
    assert "not followed" in delivery.reason


def test_a_receiver_that_does_not_answer_in_time_is_cut_short(
    settings, bob, journey_map, hook, receiver, run_tasks
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    receiver.hold()
    hook()
    versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    started = timezone.now()

    run_tasks()

    assert timezone.now() - started < timedelta(seconds=5)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.reason) == ("retrying", "No answer within 1 s.")


def test_an_inactive_or_uninterested_endpoint_gets_nothing(
    alice, bob, journey_map, hook, receiver, run_tasks
):
    off = hook(active=False)
    hook(events=["vote.closed"])
    versions.version_save(actor=bob, map=journey_map, name="Q3 review")

    run_tasks()

    assert receiver.received == [] and not Delivery.objects.exists()
    webhooks.webhook_update(actor=alice, webhook=off, active=True)
    versions.version_save(actor=bob, map=journey_map, name="Q4 review")
    run_tasks()
    assert len(receiver.wait_for(1)) == 1


def test_a_facilitator_sends_a_test_and_resends_a_delivery(
    alice, hook, receiver, run_tasks, client_for, workshop
):
    webhook = hook()
    base = f"/api/workshops/{workshop.pk}/webhooks/{webhook.pk}/"
    started = client_for(alice).post(f"{base}test/")
    assert started.status_code == 202 and started.data["status"] == "pending"
    run_tasks()
    listed = client_for(alice).get(f"{base}deliveries/").data
    assert [(d["event_type"], d["status"], d["response_code"]) for d in listed] == [
        ("webhook.test", "delivered", 200)
    ]

    resent = client_for(alice).post(f"{base}deliveries/{listed[0]['id']}/resend/")
    assert resent.status_code == 202
    run_tasks()

    first, second = receiver.wait_for(2)
    assert first.body == second.body
    assert first.headers["X-CJM-Event-Id"] == second.headers["X-CJM-Event-Id"]
    assert first.headers["X-CJM-Delivery"] != second.headers["X-CJM-Delivery"]
    assert signed(webhook.secret, second)


SURVEY_CSV = (
    "Question,Answer,NPS,Segment,Stage\r\n"
    "How likely are you to recommend us?,Easy to find my size,9,Returning,Decision\r\n"
    "How likely are you to recommend us?,Slow delivery,3,New,Purchase\r\n"
)


def test_an_import_is_announced_once_the_worker_has_written_it(
    bob, journey_map, stages, hook, receiver, run_tasks
):
    hook(events=["evidence.imported"])
    imports.import_start(
        actor=bob,
        map=journey_map,
        data=SURVEY_CSV.encode(),
        file_name="hotjar.csv",
        mapping={"Question": "question", "Answer": "answer", "NPS": "score"},
        kind="survey",
        stage_column="Stage",
    )

    run_tasks()  # the import, then its announcement, then the delivery

    [received] = receiver.wait_for(1)
    message = json.loads(received.body)
    assert (message["type"], message["actor"]) == ("evidence.imported", "Bob")
    assert (message["data"]["kind"], message["data"]["count"]) == ("survey", 2)
    assert sorted(stage["title"] for stage in message["data"]["stages"]) == [
        "Decision",
        "Purchase",
    ]
