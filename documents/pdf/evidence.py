"""The evidence pages of the PDF: each stage's counts per kind and layer, the pieces it prints
as rows (picks.py chooses them in the database, a few of each kind, and counts the rest), its
survey answers as the scores they add up to (per scale and per segment, with their n), and the
key metrics of the summary.
"""

from urllib.parse import urlsplit

from django.db.models import Q, QuerySet

from evidence import providers, scores
from evidence.fields import change_percent
from evidence.models import Evidence, Kind, Layer
from workshops.models import JourneyMap

from ..numbers import number, quantity, signed, signed_percent
from .fetcher import MEDIA_PREFIX
from .picks import Counts

# How the counts name each kind: (one, many).
NOUNS = {
    Kind.METRIC: ("metric", "metrics"),
    Kind.SURVEY: ("survey answer", "survey answers"),
    Kind.QUOTE: ("quote", "quotes"),
    Kind.RECORDING: ("session recording", "session recordings"),
    Kind.IMAGE: ("heatmap or screenshot", "heatmaps and screenshots"),
}


def shown_queryset(journey_map: JourneyMap, lane_ids) -> QuerySet:
    """The map's evidence the PDF may show: on stages, and on the cards it shows (public ones,
    in the lanes chosen). A card left out takes its evidence along, its answers' scores too."""
    on_shown_card = Q(card__private=False, card__lane_id__in=lane_ids)
    return Evidence.objects.filter(map=journey_map).filter(Q(card=None) | on_shown_card)


def evidence_shown(queryset, cards_shown: dict) -> list:
    """The pieces of `queryset` (shown_queryset), each with the card it is on, if any."""
    return on_cards(queryset.order_by("kind", "created_at", "id"), cards_shown)


def on_cards(pieces, cards_shown: dict) -> list:
    """`pieces`, each with the card it is on (`on_card`, None on a stage) and its stage
    (`on_stage`); those on a card that is not shown are left out."""
    shown = []
    for piece in pieces:
        if piece.card_id is None or piece.card_id in cards_shown:
            piece.on_card = cards_shown.get(piece.card_id)
            piece.on_stage = piece.on_card.stage_id if piece.on_card else piece.stage_id
            shown.append(piece)
    return shown


def evidence_sections(stages, counts: Counts, picked: list, coverage, scored=None) -> list[dict]:
    """One section a stage. `counts`: picks.counted(); `picked`: the chosen pieces, each with its
    `place` (on_cards has set their cards); `scored`: what stage_scores() found."""
    scored = scored or {}
    layers_of = {entry["stage"]: entry["layers"] for entry in coverage["stages"]}
    chosen = {}
    for piece in sorted(picked, key=lambda piece: piece.place):
        chosen.setdefault((piece.on_stage, piece.kind), []).append(piece)
    return [
        _section(stage, counts, layers_of.get(stage.pk, {}), scored, chosen) for stage in stages
    ]


def _section(stage, counts: Counts, layers: dict, scored: dict, chosen: dict) -> dict:
    kinds = counts.stages.get(stage.pk, {})
    # What the "and N more" notes count: answers without words and images without a thumbnail
    # are never printed, so they are not "more" either.
    printable = {
        **kinds,
        Kind.SURVEY: counts.written[stage.pk],
        Kind.IMAGE: counts.pictures[stage.pk],
    }
    section = {
        **scored.get(stage.pk, {"scores": [], "segments": []}),
        "stage": stage,
        "count": sum(kinds.values()),
        "layers": [_layer(layer, layers.get(layer, 0)) for layer in Layer.values],
        "kinds": [_counted(kinds[kind], *NOUNS[kind]) for kind in Kind.values if kinds.get(kind)],
    }
    for kind, (name, row) in ROWS.items():
        pieces = chosen.get((stage.pk, kind), [])
        section[name] = [row(piece, stage) for piece in pieces]
        section[f"more_{name}"] = _more(printable.get(kind, 0) - len(pieces), *MORE[kind])
    return section


def _layer(layer: str, n: int) -> dict:
    return {"label": Layer(layer).label, "count": n, "n": number(n)}


def _counted(n: int, one: str, many: str) -> str:
    return f"{number(n)} {one if n == 1 else many}"


def _more(n: int, one: str, many: str) -> str:
    """ "And 9,412 more metrics on the board.", or "" when every one is printed."""
    return f"And {number(n)} more {one if n == 1 else many} on the board." if n > 0 else ""


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
    change = change_percent(piece.baseline, piece.value)  # None when it would not be finite
    ratio = None if change is None else change / 100
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


# The rows of each kind in a section, and what its "and N more" note calls the rest.
ROWS = {
    Kind.METRIC: ("metrics", metric_row),
    Kind.QUOTE: ("quotes", lambda piece, stage: quote_row(piece)),
    Kind.SURVEY: ("answers", lambda piece, stage: answer_row(piece)),
    Kind.RECORDING: ("recordings", lambda piece, stage: recording_row(piece)),
    Kind.IMAGE: ("images", lambda piece, stage: image_row(piece)),
}
MORE = {**NOUNS, Kind.SURVEY: ("written answer", "written answers")}


def _card_note(piece) -> str:
    return f"On the card “{_short(piece.on_card.text)}”" if piece.on_card else ""


def _short(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _join(*parts) -> str:
    return " · ".join(part for part in parts if part)
