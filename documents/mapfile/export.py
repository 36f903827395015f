"""A map as a cjm-map document, evidence and pictures included.

Stages, lanes, cards and evidence refer to each other by keys local to the file ("st-1",
"ln-2", "cd-3"), never by database ids; `origin` says which row each came from, so a version
can be restored onto the same rows and compared card by card. Unrevealed private cards
(private brainstorming) are someone's own until revealed: they are never exported, and so never
versioned, duplicated or compared.
"""

import base64

from django.utils import timezone

from evidence import fields as evidence_fields
from evidence import images
from evidence.models import Evidence, Kind
from workshops.models import JourneyMap

from .comments import export_comments
from .format import CARD_FIELDS, FORMAT, VERSION
from .work import export_links, export_opportunities


def map_export(map: JourneyMap) -> dict:
    """The map as a cjm-map document, evidence and pictures included."""
    journey_map = JourneyMap.objects.with_board().get(pk=map.pk)
    stages = list(journey_map.stages.all())
    lanes = list(journey_map.lanes.all())
    stage_keys = {stage.pk: f"st-{n}" for n, stage in enumerate(stages, start=1)}
    lane_keys = {lane.pk: f"ln-{n}" for n, lane in enumerate(lanes, start=1)}
    cards = _export_order([c for c in journey_map.cards.all() if not c.private], stages, lanes)
    card_keys = {card.pk: f"cd-{n}" for n, card in enumerate(cards, start=1)}
    return {
        "format": FORMAT,
        "version": VERSION,
        "source": {
            "map": journey_map.pk,
            "revision": journey_map.revision,
            "exported_at": timezone.now().isoformat(),
        },
        "map": _export_map(journey_map),
        "stages": [
            {
                "key": stage_keys[s.pk],
                "origin": s.pk,
                "title": s.title,
                "description": s.description,
            }
            for s in stages
        ],
        "lanes": [
            {"key": lane_keys[lane.pk], "origin": lane.pk, "title": lane.title, "kind": lane.kind}
            for lane in lanes
        ],
        "cards": [
            {
                "key": card_keys[c.pk],
                "origin": c.pk,
                "stage": stage_keys[c.stage_id],
                "lane": lane_keys[c.lane_id],
                **{f: getattr(c, f) for f in CARD_FIELDS},
            }
            for c in cards
        ],
        "evidence": _export_evidence(journey_map, stage_keys, card_keys),
        "comments": export_comments(journey_map, stage_keys, card_keys),
        "links": export_links(journey_map, card_keys),
        "opportunities": export_opportunities(journey_map, card_keys),
    }


def _export_map(journey_map: JourneyMap) -> dict:
    return {
        "origin": journey_map.pk,
        "title": journey_map.title,
        "description": journey_map.description,
        "state": journey_map.state,
        "persona": journey_map.persona.name if journey_map.persona_id else None,
    }


def _export_order(cards: list, stages: list, lanes: list) -> list:
    """Cards stage by stage, lane by lane, in their order within the cell."""
    stage_index = {stage.pk: i for i, stage in enumerate(stages)}
    lane_index = {lane.pk: i for i, lane in enumerate(lanes)}
    return sorted(
        cards, key=lambda c: (stage_index[c.stage_id], lane_index[c.lane_id], c.position, c.pk)
    )


def _export_evidence(journey_map, stage_keys: dict, card_keys: dict) -> list:
    pieces = Evidence.objects.filter(map=journey_map).order_by("created_at", "id")
    exported = []
    for piece in pieces:
        if piece.card_id is not None and piece.card_id not in card_keys:
            continue  # on a private card
        place = (
            {"card": card_keys[piece.card_id]}
            if piece.card_id
            else {"stage": stage_keys[piece.stage_id]}
        )
        key = f"ev-{len(exported) + 1}"
        exported.append(
            {"key": key, "origin": piece.pk, "kind": piece.kind, **place, **_evidence_values(piece)}
        )
    return exported


def _evidence_values(piece: Evidence) -> dict:
    values = {
        name: getattr(piece, name)
        for name in (*evidence_fields.COMMON, *evidence_fields.FIELDS[piece.kind])
    }
    values["collected_on"] = piece.collected_on.isoformat() if piece.collected_on else None
    if piece.kind == Kind.IMAGE:
        with piece.image.open("rb") as handle:
            data = handle.read()
        values["image"] = {
            "content_type": images.content_type(piece.image.name),
            "data": base64.b64encode(data).decode("ascii"),
        }
    return values


def without_origins(document: dict) -> dict:
    """The document less what differs between two exports of the same content by design:
    `source` (map id, revision, time of export) and each item's `origin` (database ids)."""
    strip = {"origin"}
    return {
        key: (
            [{k: v for k, v in item.items() if k not in strip} for item in value]
            if isinstance(value, list)
            else {k: v for k, v in value.items() if k not in strip}
            if key == "map"
            else value
        )
        for key, value in document.items()
        if key != "source"
    }
