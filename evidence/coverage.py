"""How well a map is evidenced: per stage and layer, per card, and for the whole map.

A stage counts its own evidence and its cards'. Everything is counted by the database in one
grouped query, whatever the number of pieces; the stages and cards come from the map's
prefetched board (JourneyMap.objects.with_board(viewer)): the cards its reader may see.

Evidence on a private card (one brought back by an undo during private brainstorming) counts
for nobody, its author included, until the reveal: a count must not tell that a hidden card
exists, nor on which stage.
"""

import datetime
from collections import Counter

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import LAYER_OF, Evidence, Layer

STALE_AFTER_DAYS = 90  # the default age at which a piece is flagged as stale
BOARD_EVIDENCE_HELP = (
    "Evidence per stage (its cards' included) and per card: pieces per layer, total, and stale "
    "ones (collected before stale_before); see docs/evidence.md."
)


def _counts(journey_map, stale_before: datetime.date | None = None) -> list[dict]:
    """(stage, card, kind, n, stale) rows; a card's evidence is on the card's current stage."""
    counted = {"n": Count("id")}
    if stale_before:
        counted["stale"] = Count("id", filter=Q(collected_on__lt=stale_before))
    return list(
        Evidence.objects.filter(map=journey_map)
        .exclude(card__private=True)
        .values("kind", "card_id", on_stage=Coalesce("card__stage_id", "stage_id"))
        .annotate(**counted)
        .order_by()
    )


def evidence_counts(journey_map) -> dict:
    """{"stages": {stage id: n}, "cards": {card id: n}} with zeros, for the board's nested GET."""
    stages = {stage.pk: 0 for stage in journey_map.stages.all()}
    cards = {card.pk: 0 for card in journey_map.cards.all()}
    for row in _counts(journey_map):
        stages[row["on_stage"]] = stages.get(row["on_stage"], 0) + row["n"]
        if row["card_id"] is not None:
            cards[row["card_id"]] = cards.get(row["card_id"], 0) + row["n"]
    return {"stages": stages, "cards": cards}


def stale_after_days(journey_map) -> int:
    return journey_map.controls.get("stale_after_days", STALE_AFTER_DAYS)


def board_evidence(journey_map, today: datetime.date | None = None) -> dict:
    """What the live board draws: per stage (its cards' included) and per card, pieces per
    layer, `total` and `stale` (collected before `stale_before`). One grouped query."""
    days = stale_after_days(journey_map)
    stale_before = (today or timezone.localdate()) - datetime.timedelta(days=days)
    stages = {stage.pk: _tally() for stage in journey_map.stages.all()}
    cards = {card.pk: _tally() for card in journey_map.cards.all()}
    for row in _counts(journey_map, stale_before):
        _add(stages.setdefault(row["on_stage"], _tally()), row)
        if row["card_id"] in cards:  # only the cards on this board (no one's private card)
            _add(cards[row["card_id"]], row)
    return {
        "stale_after_days": days,
        "stale_before": stale_before.isoformat(),
        "stages": stages,
        "cards": cards,
    }


def _tally() -> dict:
    return {**{layer: 0 for layer in Layer.values}, "total": 0, "stale": 0}


def _add(tally: dict, row: dict):
    tally[LAYER_OF[row["kind"]]] += row["n"]
    tally["total"] += row["n"]
    tally["stale"] += row["stale"]


def map_coverage(journey_map) -> dict:
    """`journey_map` from JourneyMap.objects.with_board(viewer): its cards are the viewer's."""
    stage_list = list(journey_map.stages.all())
    card_ids = [card.pk for card in journey_map.cards.all()]
    by_stage = {stage.pk: Counter() for stage in stage_list}
    by_card = Counter()
    for row in _counts(journey_map):
        by_stage.setdefault(row["on_stage"], Counter())[LAYER_OF[row["kind"]]] += row["n"]
        if row["card_id"] is not None:
            by_card[row["card_id"]] += row["n"]
    stages = [_stage_entry(stage, by_stage[stage.pk]) for stage in stage_list]
    return {
        "stages": stages,
        "cards": {card_id: by_card[card_id] for card_id in card_ids},
        "summary": _summary(stages, card_ids, by_card),
    }


def _stage_entry(stage, layers: Counter) -> dict:
    counts = {layer: layers[layer] for layer in Layer.values}
    return {
        "stage": stage.pk,
        "title": stage.title,
        "layers": counts,
        "total": sum(counts.values()),
        "evidenced_layers": sum(1 for n in counts.values() if n),
        "assumption": not any(counts.values()),
    }


def _summary(stages: list[dict], card_ids: list[int], by_card: Counter) -> dict:
    cells = len(stages) * len(Layer.values)
    evidenced_cells = sum(stage["evidenced_layers"] for stage in stages)
    return {
        "pieces": sum(stage["total"] for stage in stages),
        "by_layer": {
            layer: sum(stage["layers"][layer] for stage in stages) for layer in Layer.values
        },
        "stages": len(stages),
        "evidenced_stages": sum(1 for stage in stages if not stage["assumption"]),
        "stage_layers": cells,
        "evidenced_stage_layers": evidenced_cells,
        # Share of (stage, layer) cells with at least one piece: the board's and PDF's headline.
        "percent": round(100 * evidenced_cells / cells) if cells else 0,
        "cards": len(card_ids),
        "evidenced_cards": sum(1 for card_id in card_ids if by_card[card_id]),
    }
