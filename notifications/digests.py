"""The weekly run (`manage.py send_digests`, started by a timer): an e-mail to each facilitator
of the maps whose quarterly review is due and of the evidence that went stale (per map: how many
pieces, on which stages), and `map.review_due` for the webhooks that want it.

Once a week at most, however often it runs: a digest sent is noted per person and week
(DigestSent), an announcement per map and week (ReviewDueNotice), each claimed before it goes,
so that two runs at once do not both send. A digest that fails to go releases its claim, and
the next run tries again.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from evidence.coverage import board_evidence
from workshops.models import JourneyMap, Role
from workshops.services.maps import review_due

from . import payloads
from .deliveries import announce, deliveries_prune, wanting
from .models import DigestSent, Event, ReviewDueNotice
from .preferences import unsubscribe_token

logger = logging.getLogger(__name__)


def week_of(day: datetime.date) -> datetime.date:
    """The Monday that starts the week of `day`."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class MapNote:
    """What a digest says of one map."""

    map: JourneyMap
    due: bool
    stale: dict  # {"pieces": n, "stages": [{"id", "title", "pieces"}]}

    @property
    def worth_saying(self) -> bool:
        return self.due or bool(self.stale["pieces"])


@dataclass
class WeeklyRun:
    now: datetime.datetime
    sent: list = field(default_factory=list)  # the people mailed
    failed: list = field(default_factory=list)
    announced: list = field(default_factory=list)  # maps whose review_due went out
    notes: dict = field(default_factory=dict)  # map id -> MapNote, each map read once

    @property
    def week(self) -> datetime.date:
        return week_of(timezone.localdate(self.now))


def stale_evidence(journey_map: JourneyMap, today: datetime.date) -> dict:
    """Pieces collected longer ago than the map's stale age, per stage (its cards' included),
    counted as the board counts them (no one's private card)."""
    counts = board_evidence(journey_map, today)["stages"]
    stages = [
        {"id": stage.pk, "title": stage.title, "pieces": counts[stage.pk]["stale"]}
        for stage in journey_map.stages.all()
        if counts.get(stage.pk, {}).get("stale")
    ]
    return {"pieces": sum(stage["pieces"] for stage in stages), "stages": stages}


def note_of(run: WeeklyRun, journey_map: JourneyMap) -> MapNote:
    if journey_map.pk not in run.notes:
        today = timezone.localdate(run.now)
        run.notes[journey_map.pk] = MapNote(
            map=journey_map,
            due=review_due(journey_map, run.now),
            stale=stale_evidence(journey_map, today),
        )
    return run.notes[journey_map.pk]


def weekly_run(now=None) -> WeeklyRun:
    run = WeeklyRun(now=now or timezone.now())
    for person in _facilitators():
        _digest(run, person)
    _announce_reviews(run)
    deliveries_prune(run.now)
    return run


# --- the digests -----------------------------------------------------------------------------


def _facilitators():
    """Active people with an address who facilitate a workshop and have not turned it off."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=Role.FACILITATOR)
        .exclude(email="")
        .exclude(digest_preference__weekly_digest=False)
        .distinct()
        .order_by("pk")
    )


def maps_of(person):
    return (
        JourneyMap.objects.filter(
            workshop__memberships__user=person, workshop__memberships__role=Role.FACILITATOR
        )
        .select_related("workshop")
        .order_by("workshop__name", "workshop_id", "title", "pk")
    )


def _digest(run: WeeklyRun, person) -> None:
    notes = [note for m in maps_of(person) if (note := note_of(run, m)).worth_saying]
    if not notes or not _claim_digest(person, run.week):
        return  # nothing to say this week, or said already
    try:
        digest_message(person, notes).send()
    except Exception:
        # Released, so that the next run tries again; the others still get theirs.
        DigestSent.objects.filter(user=person, week=run.week).delete()
        logger.exception("The digest for user %s could not be sent", person.pk)
        run.failed.append(person)
        return
    run.sent.append(person)


def _claim_digest(person, week: datetime.date) -> bool:
    with transaction.atomic():
        return DigestSent.objects.get_or_create(user=person, week=week)[1]


def digest_message(person, notes: list[MapNote]) -> EmailMultiAlternatives:
    unsubscribe = payloads.site_url(
        reverse("notifications-unsubscribe", args=[unsubscribe_token(person)])
    )
    context = {
        "person": person,
        "workshops": _by_workshop(notes),
        "due": sum(1 for note in notes if note.due),
        "stale": sum(note.stale["pieces"] for note in notes),
        "unsubscribe_url": unsubscribe,
        "settings_url": payloads.site_url(reverse("notifications-preferences")),
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("notifications/digest_subject.txt", context).strip(),
        body=render_to_string("notifications/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        # One-click unsubscribe (RFC 8058): mail clients offer it beside the sender.
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("notifications/digest.html", context), "text/html")
    return message


def _by_workshop(notes: list[MapNote]) -> list[dict]:
    groups: dict[int, dict] = {}
    for note in notes:
        workshop = note.map.workshop
        group = groups.setdefault(workshop.pk, {"workshop": workshop, "maps": []})
        group["maps"].append(
            {
                "note": note,
                "url": payloads.site_url(reverse("map-board", args=[note.map.pk])),
            }
        )
    return list(groups.values())


# --- map.review_due for the webhooks ---------------------------------------------------------


def _announce_reviews(run: WeeklyRun) -> None:
    candidates = (
        JourneyMap.objects.filter(workshop__webhooks__active=True)
        .select_related("workshop")
        .distinct()
        .order_by("pk")
    )
    for journey_map in candidates:
        if not wanting(journey_map.workshop_id, Event.MAP_REVIEW_DUE):
            continue
        note = note_of(run, journey_map)
        if note.due and _claim_review_notice(journey_map, run.week):
            message = payloads.review_due_message(
                journey_map, week=run.week, at=run.now, stale=note.stale
            )
            announce(message)
            run.announced.append(journey_map)


def _claim_review_notice(journey_map: JourneyMap, week: datetime.date) -> bool:
    with transaction.atomic():
        return ReviewDueNotice.objects.get_or_create(map=journey_map, week=week)[1]
