"""The evidence pages of the PDF: each stage's pieces as printed rows, and the key metrics."""

from collections import defaultdict
from urllib.parse import urlsplit

from evidence import providers
from evidence.models import Evidence, Kind, Layer
from workshops.models import JourneyMap

from ..numbers import quantity, signed_percent
from .fetcher import MEDIA_PREFIX


def evidence_shown(journey_map: JourneyMap, cards_shown: dict) -> list:
    """The map's evidence, less what sits on cards of lanes left out (their text is left out)."""
    pieces = Evidence.objects.filter(map=journey_map).order_by("kind", "created_at", "id")
    shown = []
    for piece in pieces:
        if piece.card_id is None or piece.card_id in cards_shown:
            piece.on_card = cards_shown.get(piece.card_id)
            piece.on_stage = piece.on_card.stage_id if piece.on_card else piece.stage_id
            shown.append(piece)
    return shown


def evidence_sections(stages, pieces, coverage) -> list[dict]:
    counts = {entry["stage"]: entry for entry in coverage["stages"]}
    by_stage = defaultdict(lambda: defaultdict(list))
    for piece in pieces:
        by_stage[piece.on_stage][piece.kind].append(piece)
    sections = []
    for stage in stages:
        kinds = by_stage[stage.pk]
        layers = counts.get(stage.pk, {}).get("layers", {})
        sections.append(
            {
                "stage": stage,
                "count": sum(len(found) for found in kinds.values()),
                "layers": [
                    {"label": Layer(layer).label, "count": layers.get(layer, 0)}
                    for layer in Layer.values
                ],
                "metrics": [metric_row(piece, stage) for piece in kinds[Kind.METRIC]],
                "quotes": [quote_row(piece) for piece in kinds[Kind.QUOTE]],
                "surveys": [survey_row(piece) for piece in kinds[Kind.SURVEY]],
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


def survey_row(piece) -> dict:
    scale = {"nps": " / 10", "csat": " / 5"}.get(piece.score_scale, "")
    return {
        "question": piece.question,
        "answer": piece.answer,
        "segment": piece.segment,
        "score": f"{piece.score}{scale}" if piece.score is not None else "",
    }


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
