"""How long personal data is kept (privacy/retention.py): the daily prune deletes what is past
its retention and says what it pruned; stale evidence goes as a change of its map."""

import datetime

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken

from cjm.settings import env_days
from evidence import services as evidence_services
from evidence.models import Evidence
from privacy import retention
from tests.live import headers_for, next_of, open_board
from workshops.models import AuditEvent, AuditKind, JourneyMap
from workshops.services import accounts

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def audit_entry(days_old: int) -> AuditEvent:
    entry = AuditEvent.objects.create(kind=AuditKind.REFUSED, username="bob", path="/api/")
    AuditEvent.objects.filter(pk=entry.pk).update(
        at=timezone.now() - datetime.timedelta(days=days_old)
    )
    return entry


def quote(bob, journey_map, stage, *, collected_days_ago: int):
    return evidence_services.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="quote",
        stage_id=stage.pk,
        text=f"Said {collected_days_ago} days ago",
        collected_on=days_ago(collected_days_ago),
    )


def test_the_audit_log_is_kept_for_its_retention_then_pruned(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old, young = audit_entry(31), audit_entry(29)

    pruned = retention.prune()

    assert pruned["audit_entries"] == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [young.pk]
    assert old.pk not in AuditEvent.objects.values_list("pk", flat=True)


def test_evidence_is_kept_for_as_long_as_its_map_by_default(bob, journey_map, stages):
    quote(bob, journey_map, stages[0], collected_days_ago=3000)

    assert retention.prune()["evidence"] == 0
    assert Evidence.objects.count() == 1


def test_evidence_past_its_retention_goes_as_one_change_of_its_map(
    settings, bob, journey_map, stages
):
    settings.EVIDENCE_RETENTION_DAYS = 365
    quote(bob, journey_map, stages[0], collected_days_ago=400)
    quote(bob, journey_map, stages[1], collected_days_ago=500)
    quote(bob, journey_map, stages[1], collected_days_ago=10)
    revision = JourneyMap.objects.get(pk=journey_map.pk).revision

    assert retention.prune()["evidence"] == 2

    assert list(Evidence.objects.values_list("text", flat=True)) == ["Said 10 days ago"]
    journey_map.refresh_from_db()
    assert journey_map.revision == revision + 1
    event = journey_map.events.get(revision=journey_map.revision)
    assert (event.type, event.actor, event.payload["count"]) == ("evidence.pruned", None, 2)


@pytest.mark.django_db(transaction=True)  # the board hears a change once it commits
def test_the_open_board_hears_of_the_prune(settings, bob, carol, journey_map, stages):
    settings.EVIDENCE_RETENTION_DAYS = 30
    quote(bob, journey_map, stages[0], collected_days_ago=40)
    headers = headers_for(carol)

    async def scenario():
        board, _ = await open_board(headers, journey_map.pk)
        try:
            await database_sync_to_async(retention.prune)()
            event = await next_of(board, "event")
            assert event["event"] == "evidence.pruned"
            assert event["payload"]["evidence"]["stages"][str(stages[0].pk)]["total"] == 0
        finally:
            await board.disconnect()

    async_to_sync(scenario)()


def test_expired_sessions_and_tokens_go(bob):
    session = SessionStore()
    session.set_expiry(-1)
    session.create()
    token, _ = accounts.token_create(user=bob)
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(days=1))

    pruned = retention.prune()

    assert (pruned["sessions"], pruned["tokens"]) == (1, 1)


def test_the_command_says_what_it_pruned_and_a_rerun_prunes_nothing(settings, capsys):
    settings.AUDIT_RETENTION_DAYS = 30
    audit_entry(90)

    call_command("prune_personal_data")
    first = capsys.readouterr().out
    call_command("prune_personal_data")
    second = capsys.readouterr().out

    assert "1 audit log entries" in first and "Pruned 1 in all." in first
    assert "Nothing was due." in second


def test_a_retention_that_is_not_a_number_of_days_is_refused(monkeypatch):
    monkeypatch.setenv("EVIDENCE_RETENTION_DAYS", "-5")

    with pytest.raises(ImproperlyConfigured, match="EVIDENCE_RETENTION_DAYS"):
        env_days("EVIDENCE_RETENTION_DAYS", 0)
