"""The evidence pages of the PDF: each stage's pieces as printed rows, its survey answers as
the scores they add up to (per scale and per segment, with their n), a few chosen quotes and
written answers, and the key metrics.

Chosen quotes and answers, at most MOST_QUOTED of each per stage: those on pain-point cards
first (what the executive summary ranks), then the longer ones (they say more), then the
earlier ones; the rest are counted ("and 4 more quotes").
"""

from collections import defaultdict
from urllib.parse import urlsplit

from django.db.models import Q, QuerySet

from evidence import providers, scores
from evidence.models import Evidence, Kind, Layer
from workshops.models import JourneyMap

from ..numbers import number, quantity, signed, signed_percent
from .fetcher import MEDIA_PREFIX

MOST_QUOTED = 3


def shown_queryset(journey_map: JourneyMap, lane_ids) -> QuerySet:
    """The map's evidence the PDF may show: on stages, and on the cards it shows (public ones,
    in the lanes chosen). A card left out takes its evidence along, its answers' scores too."""
    on_shown_card = Q(card__private=False, card__lane_id__in=lane_ids)
    return Evidence.objects.filter(map=journey_map).filter(Q(card=None) | on_shown_card)


def evidence_shown(queryset, cards_shown: dict) -> list:
    """The pieces of `queryset` (shown_queryset), each with the card it is on, if any."""
    pieces = queryset.order_by("kind", "created_at", "id")
    shown = []
    for piece in pieces:
        if piece.card_id is None or piece.card_id in cards_shown:
            piece.on_card = cards_shown.get(piece.card_id)
            piece.on_stage = piece.on_card.stage_id if piece.on_card else piece.stage_id
            shown.append(piece)
    return shown


def evidence_sections(stages, pieces, coverage, scored=None, pain_lanes=()) -> list[dict]:
    """`scored`: what stage_scores() found; `pain_lanes`: the ids of the pain-point lanes."""
    scored = scored or {}
    counts = {entry["stage"]: entry for entry in coverage["stages"]}
    by_stage = defaultdict(lambda: defaultdict(list))
    for piece in pieces:
        by_stage[piece.on_stage][piece.kind].append(piece)
    sections = []
    for stage in stages:
        kinds = by_stage[stage.pk]
        layers = counts.get(stage.pk, {}).get("layers", {})
        quotes = chosen(kinds[Kind.QUOTE], "text", pain_lanes)
        answers = chosen([p for p in kinds[Kind.SURVEY] if p.answer], "answer", pain_lanes)
        sections.append(
            {
                **scored.get(stage.pk, {"scores": [], "segments": []}),
                "stage": stage,
                "count": sum(len(found) for found in kinds.values()),
                "layers": [
                    {"label": Layer(layer).label, "count": layers.get(layer, 0)}
                    for layer in Layer.values
                ],
                "metrics": [metric_row(piece, stage) for piece in kinds[Kind.METRIC]],
                "quotes": [quote_row(piece) for piece in quotes.shown],
                "more_quotes": quotes.more,
                "answers": [answer_row(piece) for piece in answers.shown],
                "more_answers": answers.more,
                "recordings": [recording_row(piece) for piece in kinds[Kind.RECORDING]],
                "images": [image_row(piece) for piece in kinds[Kind.IMAGE] if piece.thumbnail],
            }
        )
    return sections


def key_metrics(pieces, stages) -> list[dict]:
    """Metrics with the biggest change from their baseline first, then those without one."""
    by_id = {stage.pk: stage for stage in stages}
    rows = [
        metric_row(piece, by_id[piece.on_stage])
        for piece in pieces
        if piece.kind == Kind.METRIC and piece.on_stage in by_id
    ]
    return sorted(rows, key=lambda row: -abs(row["ratio"]) if row["ratio"] is not None else 1)


def metric_row(piece, stage) -> dict:
    ratio = None
    if piece.baseline not in (None, 0) and piece.value is not None:
        ratio = (piece.value - piece.baseline) / abs(piece.baseline)
    return {
        "title": piece.name or "Metric",
        "stage": stage,
        "value": quantity(piece.value, piece.unit),
        "baseline": quantity(piece.baseline, piece.unit),
        "target": quantity(piece.target, piece.unit),
        "ratio": ratio,
        "change": signed_percent(ratio) if ratio is not None else "",
        "tone": _tone(piece, ratio),
        "source": piece.source,
        "about": _join(
            piece.period,
            f"n = {piece.sample_size:,}" if piece.sample_size else "",
            _card_note(piece),
        ),
    }


def _tone(piece, ratio) -> str:
    """Green when the change goes the way the team wants: towards the target, else upwards."""
    if not ratio:
        return ""
    wanted = 1 if piece.target is None or piece.target >= piece.baseline else -1
    return "up" if ratio * wanted > 0 else "down"


def quote_row(piece) -> dict:
    return {"text": piece.text, "who": _join(piece.who, piece.source, _card_note(piece))}


class Chosen:
    def __init__(self, shown: list, more: int):
        self.shown, self.more = shown, more


def chosen(pieces, text: str, pain_lanes, most: int = MOST_QUOTED) -> Chosen:
    """The `most` pieces to print (the rule is in the module's docstring), and how many more."""

    def rank(piece):
        on_pain = piece.on_card is not None and piece.on_card.lane_id in pain_lanes
        return (not on_pain, -len(getattr(piece, text)))  # sorted() keeps the earlier first

    ranked = sorted(pieces, key=rank)
    return Chosen(ranked[:most], max(0, len(ranked) - most))


def answer_row(piece) -> dict:
    scale = {"nps": " / 10", "csat": " / 5", "ces": " / 7"}.get(piece.score_scale, "")
    score = f"{piece.score}{scale}" if piece.score is not None else ""
    return {
        "text": piece.answer,
        "about": _join(score, piece.segment, f"to “{_short(piece.question)}”", _card_note(piece)),
    }


# --- scores -------------------------------------------------------------------------------------


def stage_scores(queryset) -> dict:
    """{stage id: {"scores": rows per scale, "segments": rows per segment}} of the answers in
    `queryset`, counted by the database in two grouped queries whatever the number of stages.
    Segments only where some answers name one."""
    totals = scores.grouped_by_stage(queryset)
    by_segment = scores.grouped_by_stage_and_segment(queryset)
    return {
        stage_id: {
            "scores": score_rows(result),
            "segments": segment_rows(by_segment.get(stage_id, {})),
        }
        for stage_id, result in totals.items()
    }


def score_rows(result: dict) -> list[dict]:
    """One printed row per scale with answers: its score, what it is made of, and its n."""
    rows = []
    if nps := result["nps"]:
        counts = [_count(nps[part], part[:-1]) for part in ("promoters", "passives", "detractors")]
        rows.append(_score_row("NPS", signed(nps["score"]), " · ".join(counts), nps["n"]))
    if csat := result["csat"]:
        detail = f"{number(csat['top2'])}% answered 4 or 5"
        rows.append(_score_row("CSAT", f"{number(csat['mean'])} / 5", detail, csat["n"]))
    if ces := result["ces"]:
        rows.append(_score_row("CES", f"{number(ces['mean'])} / 7", "", ces["n"]))
    return rows


def _count(n: int, noun: str) -> str:
    return f"{number(n)} {noun}{'' if n == 1 else 's'}"


def _score_row(scale: str, value: str, detail: str, n: int) -> dict:
    return {"scale": scale, "value": value, "detail": detail, "n": number(n)}


def segment_rows(by_segment: dict) -> list[dict]:
    if not any(by_segment):  # only answers without a segment: nothing to break down
        return []
    return [
        {
            "segment": segment or "No segment",
            "cells": [_segment_cell(result, scale) for scale in ("nps", "csat", "ces")],
            "n": number(scores.answer_count(result)),
        }
        for segment, result in by_segment.items()
    ]


def _segment_cell(result: dict, scale: str) -> str:
    entry = result[scale]
    if not entry:
        return "—"
    value = signed(entry["score"]) if scale == "nps" else number(entry["mean"])
    return f"{value} (n {number(entry['n'])})"


def map_scores_line(result: dict) -> str:
    """ "NPS +12.5 (n 40) · CSAT 4.2 / 5 (n 12)" of the whole map, for the summary; "" if none."""
    return " · ".join(f"{row['scale']} {row['value']} (n {row['n']})" for row in score_rows(result))


def recording_row(piece) -> dict:
    link = providers.start_link(piece.url, piece.provider, piece.start_seconds)
    safe = urlsplit(link).scheme in ("http", "https")  # a PDF link is a click away: web only
    start = piece.start_seconds
    return {
        "title": f"{piece.get_provider_display() or 'Session'} recording",
        "url": link if safe else "",
        "shown_url": link,
        "start": f"{start // 60}:{start % 60:02d}" if start else "",
        "about": _join(piece.note, _card_note(piece)),
    }


def image_row(piece) -> dict:
    return {
        "url": MEDIA_PREFIX + piece.thumbnail.name,
        "title": piece.caption or "Heatmap",
        "about": _join(piece.note, _card_note(piece)),
    }


def _card_note(piece) -> str:
    return f"On the card “{_short(piece.on_card.text)}”" if piece.on_card else ""


def _short(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _join(*parts) -> str:
    return " · ".join(part for part in parts if part)
