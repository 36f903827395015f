"""Gathering a map for its executive PDF: plain rows and numbers for the print templates, in a
fixed number of queries whatever the map's size."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from evidence import scores
from evidence.coverage import map_coverage
from evidence.models import LAYER_OF, Layer
from workshops.models import JourneyMap, LaneKind
from workshops.serializers import display_name
from workshops.services import voting

from ..curve import emotion_by_stage, emotion_curve
from ..numbers import number, signed
from . import picks
from .evidence import (
    evidence_sections,
    key_metrics,
    map_scores_line,
    on_cards,
    shown_queryset,
    stage_scores,
)
from .fetcher import MEDIA_PREFIX
from .opportunities import opportunity_rows
from .options import ExportOptions

MAX_STAGES_PER_PAGE = 6


TOP_PAIN_POINTS = 5


KEY_METRICS = 6


SEVERITY_LABELS = {1: "Low", 2: "Medium", 3: "High"}


@dataclass
class PainPoint:
    card: object
    stage: object
    evidence: list = field(default_factory=list)  # the kind of each piece on this card
    stage_pieces: int = 0  # the pieces on its whole stage
    votes: int = 0  # dots in the map's last revealed vote (workshops/services/voting.py)

    @property
    def severity(self) -> int:
        return self.card.severity or 0

    @property
    def rank_key(self):
        # Severity first, then the team's votes, then how well the pain is evidenced.
        return (-self.severity, -self.votes, -len(self.evidence), self.stage.position)

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, "Unrated")

    @property
    def evidence_note(self) -> str:
        if self.evidence:
            layers = sorted({LAYER_OF[kind].label.lower() for kind in self.evidence})
            return f"Evidenced: {_count(len(self.evidence), 'piece')} ({', '.join(layers)})"
        if self.stage_pieces:
            return f"No evidence on this card; its stage has {_count(self.stage_pieces, 'piece')}"
        return "Assumption: no evidence attached yet"


def _count(n: int, noun: str) -> str:
    return f"{number(n)} {noun}{'' if n == 1 else 's'}"


def gather(journey_map: JourneyMap, options: ExportOptions = ExportOptions()) -> dict:
    """Everything the print template shows, in a fixed number of queries whatever the number
    of pieces of evidence (picks.py)."""
    journey_map = JourneyMap.objects.with_board().get(pk=journey_map.pk)
    stages, lanes, cards = _board(journey_map, options)
    cells = defaultdict(list)
    for card in cards:
        cells[card.stage_id, card.lane_id].append(card)
    shown_evidence = shown_queryset(journey_map, {lane.pk for lane in lanes})
    counts = picks.counted(shown_evidence)
    coverage = map_coverage(journey_map)
    votes = voting.latest_ranking(journey_map)
    ranked = pain_points(stages, cards, lanes, counts.cards, coverage, votes)
    return {
        "map": journey_map,
        "workshop": journey_map.workshop,
        "persona": journey_map.persona,
        "persona_photo": MEDIA_PREFIX + journey_map.persona.photo.name
        if journey_map.persona_id and journey_map.persona.photo
        else "",
        "options": options,
        "comparison": options.comparison,
        "lang": settings.LANGUAGE_CODE.split("-")[0],
        "exported_at": timezone.now(),
        "contributors": contributors(journey_map),
        "stages": stages,
        "lanes": lanes,
        "card_count": len(cards),
        "pain_points": ranked[:TOP_PAIN_POINTS],
        "pain_count": len(ranked),
        "map_pages": map_pages(stages, lanes, cells, emotion_by_stage(stages, cards, lanes)),
        "layer_labels": Layer.labels,
        "coverage_percent": coverage["summary"]["percent"] if stages else None,
        "evidence_count": coverage["summary"]["pieces"],
        "map_scores": map_scores_line(scores.scores(shown_evidence)),
        "opportunities": opportunity_rows(journey_map, cards, lanes),
        **_evidence(shown_evidence, stages, cards, counts, coverage, options),
    }


def _board(journey_map: JourneyMap, options: ExportOptions) -> tuple[list, list, list]:
    """The stages (numbered as the reader counts), the lanes chosen and their cards."""
    stages = list(journey_map.stages.all())
    for place, stage in enumerate(stages, start=1):
        stage.number = place  # positions may have gaps; the reader counts 1, 2, 3
    lanes = [
        lane
        for lane in journey_map.lanes.all()
        if options.lane_ids is None or lane.pk in options.lane_ids
    ]
    shown = {lane.pk for lane in lanes}
    cards = [card for card in journey_map.cards.all() if card.lane_id in shown]
    for card in cards:
        if card.emotion_score is not None:
            card.score_label = signed(card.emotion_score)
    return stages, lanes, cards


def _evidence(shown_evidence, stages, cards, counts, coverage, options: ExportOptions) -> dict:
    """The evidence sections (the summary's coverage table reads them too) and key metrics.
    Without the evidence pages, no piece is chosen for them."""
    cards_shown = {card.pk: card for card in cards}
    chosen = picks.picked(shown_evidence) if options.include_evidence else []
    key = on_cards(picks.key_pieces(shown_evidence, KEY_METRICS), cards_shown)
    scored = stage_scores(shown_evidence)
    return {
        "evidence_sections": evidence_sections(
            stages, counts, on_cards(chosen, cards_shown), coverage, scored
        ),
        "key_metrics": key_metrics(key, stages),
    }


def contributors(journey_map: JourneyMap) -> list[str]:
    """Everyone who changed the map, as its history records them."""
    users = get_user_model().objects.filter(
        pk__in=journey_map.events.exclude(actor=None).values("actor")
    )
    return sorted((display_name(user) for user in users), key=str.casefold)


def pain_points(stages, cards, lanes, card_kinds: dict, coverage, votes=None) -> list[PainPoint]:
    """`card_kinds`: {card id: Counter of its pieces' kinds} (picks.counted)."""
    votes = votes or {}
    pain_lanes = {lane.pk for lane in lanes if lane.kind == LaneKind.PAIN_POINTS}
    by_id = {stage.pk: stage for stage in stages}
    on_stage = {entry["stage"]: entry["total"] for entry in coverage["stages"]}
    found = [
        PainPoint(
            card=card,
            stage=by_id[card.stage_id],
            evidence=list(card_kinds[card.pk].elements()) if card.pk in card_kinds else [],
            stage_pieces=on_stage.get(card.stage_id, 0),
            votes=votes.get(card.pk, 0),
        )
        for card in cards
        if card.lane_id in pain_lanes
    ]
    return sorted(found, key=lambda point: point.rank_key)


def chunks(count: int, most: int = MAX_STAGES_PER_PAGE) -> list[range]:
    """Split stages into balanced page-wide groups: 7 gives 4 + 3, not 6 + 1."""
    if count == 0:
        return []
    pages = -(-count // most)
    size = -(-count // pages)
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def map_pages(stages, lanes, cells, emotions) -> list[dict]:
    has_curve = any(lane.kind == LaneKind.EMOTIONS for lane in lanes) and any(
        value is not None for value in emotions
    )
    pages = []
    for group in chunks(len(stages)):
        rows = [
            {"lane": lane, "cells": [cells[stages[i].pk, lane.pk] for i in group]} for lane in lanes
        ]
        pages.append(
            {
                "first": group.start + 1,
                "last": group.stop,
                "stages": [stages[i] for i in group],
                "rows": rows,
                "curve": emotion_curve(emotions, group) if has_curve else None,
                "curve_after": _curve_row_index(lanes),
            }
        )
    return pages


def _curve_row_index(lanes) -> int:
    """The curve goes right under the first emotions lane."""
    for index, lane in enumerate(lanes):
        if lane.kind == LaneKind.EMOTIONS:
            return index
    return len(lanes) - 1
