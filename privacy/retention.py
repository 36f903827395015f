"""How long personal data is kept: the daily prune (`manage.py prune_personal_data`, run by a
timer; docs/privacy.md).

- Evidence collected more than EVIDENCE_RETENTION_DAYS ago (a piece without a date: added that
  long ago), when the operator sets it; by default evidence is kept for as long as its map.
  Each map's stale pieces go as one change of the map (evidence.services.evidence_prune_stale).
- The audit log (AuditEvent) and django-axes' login records, after AUDIT_RETENTION_DAYS.
- Sessions and API tokens that have expired (they no longer work; their rows still say who
  logged in from where).

Each run prunes what has come due since the last one and says how much of each kind went; a
second run in a row prunes nothing.
"""

import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from knox.models import AuthToken

from evidence import services as evidence
from workshops.models import AuditEvent, JourneyMap

KINDS = {
    "evidence": "pieces of evidence past the evidence retention",
    "audit_entries": "audit log entries",
    "login_records": "login records (made, failed, lockouts)",
    "sessions": "expired sessions",
    "tokens": "expired API tokens",
}


def prune(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete what is past its retention; how many of each kind (KINDS) went."""
    now = now or timezone.now()
    audit_before = now - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    return {
        "evidence": _prune_evidence(now),
        "audit_entries": AuditEvent.objects.filter(at__lt=audit_before).delete()[0],
        "login_records": _prune_logins(audit_before),
        "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
        "tokens": AuthToken.objects.filter(expiry__lt=now).delete()[0],
    }


def evidence_cutoff(now: datetime.datetime) -> datetime.date | None:
    """The day before which evidence goes, or None when it is kept (the default)."""
    days = settings.EVIDENCE_RETENTION_DAYS
    return timezone.localdate(now) - datetime.timedelta(days=days) if days else None


def _prune_evidence(now: datetime.datetime) -> int:
    before = evidence_cutoff(now)
    if before is None:
        return 0
    maps = evidence.evidence_collected_before(before).values("map").distinct()
    return sum(
        evidence.evidence_prune_stale(map=journey_map, collected_before=before)
        for journey_map in JourneyMap.objects.filter(pk__in=maps).select_related("workshop")
    )


def _prune_logins(before: datetime.datetime) -> int:
    return sum(
        model.objects.filter(attempt_time__lt=before).delete()[0]
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    )
