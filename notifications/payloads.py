"""What a webhook delivery says (docs/webhooks.md): an envelope (event id, type, timestamp, the
workshop and map with links) around the event's data.

Map events are read as the board reads them for nobody in particular,
broadcast.event_message(event, viewer=None): a secret change (someone's dot, a private card) is
hidden there, and so it is here; card texts come from the cards anyone on the board may see.
"""

import datetime
import json
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from documents.compare import compare_boards
from workshops.models import Card, JourneyMap, MapEvent, MapVersion
from workshops.realtime.broadcast import event_message
from workshops.serializers import display_name

from .models import TEST_EVENT, Event

TOP_CARDS = 5  # of a closed vote, in the JSON; Slack shows three
METRIC_CHANGES = 20


def site_url(path: str) -> str:
    """An absolute link for a reader outside the site (a webhook, an e-mail)."""
    return settings.SITE_URL.rstrip("/") + path


def iso(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def encode(message: dict) -> str:
    """The body as it is sent and signed: compact JSON, UTF-8."""
    return json.dumps(message, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def envelope(*, event_id: str, type: str, at, workshop, map, actor: str, data: dict) -> dict:
    return {
        "id": event_id,
        "type": type,
        "timestamp": iso(at),
        "workshop": {
            "id": workshop.pk,
            "name": workshop.name,
            "url": site_url(reverse("workshop-detail", args=[workshop.pk])),
        },
        "map": map_part(map) if map is not None else None,
        "actor": actor or None,
        "data": data,
    }


def map_part(journey_map: JourneyMap) -> dict:
    return {
        "id": journey_map.pk,
        "title": journey_map.title,
        "url": site_url(reverse("map-board", args=[journey_map.pk])),
    }


# --- map events ------------------------------------------------------------------------------


def map_event_message(event: MapEvent) -> dict | None:
    """The message of a map event an endpoint may ask for; None for others, and for an event
    nobody in particular may read."""
    seen = event_message(event, viewer=None)
    build = MAP_EVENT_DATA.get(seen["event"])
    if build is None:
        return None
    journey_map = JourneyMap.objects.select_related("workshop").get(pk=event.map_id)
    return envelope(
        event_id=f"map-{event.map_id}-revision-{event.revision}",
        type=seen["event"],
        at=event.created_at,
        workshop=journey_map.workshop,
        map=journey_map,
        actor=seen["actor"]["name"],
        data=build(seen["payload"], journey_map),
    )


def _vote_closed(payload: dict, journey_map: JourneyMap) -> dict:
    vote = payload.get("vote") or {}
    ranking = vote.get("ranking") or []
    top = ranking[:TOP_CARDS]
    cards = (
        Card.objects.visible_to(None)
        .filter(map=journey_map)
        .select_related("stage", "lane")
        .in_bulk([row["card"] for row in top])
    )
    return {
        "round": vote.get("round"),
        "dots_per_person": vote.get("dots_per_person"),
        "closed_at": vote.get("closed_at"),
        "cards_with_dots": len(ranking),
        "dots": sum(row["votes"] for row in ranking),
        # A card deleted since the vote closed is left out: its text is gone.
        "top": [_ranked(cards[row["card"]], row["votes"]) for row in top if row["card"] in cards],
    }


def _ranked(card: Card, dots: int) -> dict:
    return {
        "card": card.pk,
        "text": card.text,
        "stage": card.stage.title,
        "lane": card.lane.title,
        "dots": dots,
    }


def _evidence_imported(payload: dict, journey_map: JourneyMap) -> dict:
    per_stage = {int(stage): n for stage, n in (payload.get("stages") or {}).items()}
    titles = dict(journey_map.stages.filter(pk__in=per_stage).values_list("pk", "title"))
    return {
        "kind": payload.get("kind"),
        "count": payload.get("count"),
        "stages": [
            {"id": stage, "title": titles[stage], "pieces": n}
            for stage, n in per_stage.items()
            if stage in titles
        ],
    }


MAP_EVENT_DATA = {Event.VOTE_CLOSED: _vote_closed, Event.EVIDENCE_IMPORTED: _evidence_imported}


# --- a version saved -------------------------------------------------------------------------


def version_message(version: MapVersion) -> dict:
    """A saved version, with its metric changes against the version saved before it."""
    journey_map = JourneyMap.objects.select_related("workshop").get(pk=version.map_id)
    previous = journey_map.versions.filter(pk__lt=version.pk).order_by("-pk").first()
    return envelope(
        event_id=f"version-{version.pk}",
        type=Event.VERSION_SAVED,
        at=version.created_at,
        workshop=journey_map.workshop,
        map=journey_map,
        actor=display_name(version.created_by),
        data={
            "version": _version_part(version),
            "previous": _version_part(previous) if previous else None,
            "metric_changes": metric_changes(previous, version) if previous else [],
        },
    )


def _version_part(version: MapVersion) -> dict:
    return {
        "id": version.pk,
        "name": version.name,
        "revision": version.revision,
        "url": site_url(reverse("map-version", args=[version.map_id, version.pk])),
    }


def metric_changes(previous: MapVersion, version: MapVersion) -> list[dict]:
    """The metrics that differ between two versions, as the compare page shows them."""
    rows = compare_boards(previous.snapshot, version.snapshot)["metrics"]
    changed = [row for row in rows if row["status"] != "both" or row["before"] != row["after"]]
    fields = ("stage", "name", "unit", "status", "before", "after", "change_percent", "text")
    return [{field: row[field] for field in fields} for row in changed[:METRIC_CHANGES]]


# --- the weekly reminder and the test --------------------------------------------------------


def review_due_message(journey_map: JourneyMap, *, week: datetime.date, at, stale: dict) -> dict:
    """`stale`: {"pieces": n, "stages": [{"id", "title", "pieces"}]} (digests.stale_evidence)."""
    return envelope(
        event_id=f"review-due-{journey_map.pk}-{week.isoformat()}",
        type=Event.MAP_REVIEW_DUE,
        at=at,
        workshop=journey_map.workshop,
        map=journey_map,
        actor="",
        data={
            "reviewed_at": iso(journey_map.reviewed_at),
            "created_at": iso(journey_map.created_at),
            "stale_evidence": stale,
        },
    )


def test_message(webhook, *, actor, at) -> dict:
    return envelope(
        event_id=f"test-{uuid.uuid4().hex}",
        type=TEST_EVENT,
        at=at,
        workshop=webhook.workshop,
        map=None,
        actor=display_name(actor),
        data={"events": list(webhook.events)},
    )
