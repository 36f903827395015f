"""The executive PDF of a journey map.

Three steps: gather the map into plain rows and numbers, render print HTML with a Django template
(so every piece of user text is autoescaped), lay it out with WeasyPrint. The renderer sees only
what MapFetcher hands it: the project's static files and this map's own images. Nothing from the
network, no other file.
"""

import io
import mimetypes
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from evidence import providers
from evidence.coverage import map_coverage
from evidence.models import LAYER_OF, Evidence, Kind, Layer

from . import voting
from .models import JourneyMap, LaneKind
from .serializers import display_name

# A host that can never resolve (RFC 2606): relative URLs in the print HTML join onto it, and the
# fetcher answers for it alone.
BASE_URL = "https://export.invalid/"
STATIC_PREFIX = "/static/"
MEDIA_PREFIX = "/media/"

# Map pages are A4 landscape: 297 mm less 2 x 12 mm margins, less the lane-title column. Keep in
# step with static/css/print.css, so that the emotion curve's points sit over their stages.
MAP_WIDTH_MM = 273
LANE_COLUMN_MM = 34
CURVE_HEIGHT_MM = 22
MAX_STAGES_PER_PAGE = 6
TOP_PAIN_POINTS = 5
KEY_METRICS = 6
THUMBNAIL_PX = 640
SEVERITY_LABELS = {1: "Low", 2: "Medium", 3: "High"}


@dataclass(frozen=True)
class ExportOptions:
    lane_ids: frozenset[int] | None = None  # None: every lane
    include_evidence: bool = True
    # An optional comparison section (compare.for_export): {"left", "right", "result"}.
    comparison: dict | None = field(default=None, compare=False, hash=False)


# --- options ----------------------------------------------------------------------------------


def parse_options(query) -> ExportOptions:
    """Options from a query string: lanes=3,5 (or lanes=3&lanes=5) and evidence=0/1."""
    raw = ",".join(query.getlist("lanes")) if hasattr(query, "getlist") else query.get("lanes", "")
    lane_ids = None
    if raw.strip():
        try:
            lane_ids = frozenset(int(part) for part in raw.split(",") if part.strip())
        except ValueError:
            raise ValidationError({"lanes": ["Give lane ids as whole numbers, comma-separated."]})
    evidence = str(query.get("evidence", "1")).strip().lower()
    if evidence not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
        raise ValidationError({"evidence": ["Use evidence=1 or evidence=0."]})
    return ExportOptions(lane_ids=lane_ids, include_evidence=evidence in {"1", "true", "yes", "on"})


def check_options(journey_map: JourneyMap, options: ExportOptions) -> None:
    if options.lane_ids is None:
        return
    unknown = options.lane_ids - set(journey_map.lanes.values_list("pk", flat=True))
    if unknown:
        raise ValidationError({"lanes": [f"No lane {min(unknown)} on this map."]})


def filename_for(journey_map: JourneyMap) -> str:
    return f"{slugify(journey_map.title) or 'journey-map'}.pdf"


# --- gathering --------------------------------------------------------------------------------


@dataclass
class PainPoint:
    card: object
    stage: object
    evidence: list = field(default_factory=list)  # the pieces on this card
    stage_pieces: int = 0  # the pieces on its whole stage
    votes: int = 0  # dots in the map's last revealed vote (workshops/voting.py)

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
            layers = sorted({LAYER_OF[piece.kind].label.lower() for piece in self.evidence})
            return f"Evidenced: {_count(len(self.evidence), 'piece')} ({', '.join(layers)})"
        if self.stage_pieces:
            return f"No evidence on this card; its stage has {_count(self.stage_pieces, 'piece')}"
        return "Assumption: no evidence attached yet"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def gather(journey_map: JourneyMap, options: ExportOptions = ExportOptions()) -> dict:
    """Everything the print template shows, in a fixed number of queries."""
    journey_map = JourneyMap.objects.with_board().get(pk=journey_map.pk)
    stages = list(journey_map.stages.all())
    for number, stage in enumerate(stages, start=1):
        stage.number = number  # positions may have gaps; the reader counts 1, 2, 3
    lanes = [lane for lane in journey_map.lanes.all()
             if options.lane_ids is None or lane.pk in options.lane_ids]
    shown = {lane.pk for lane in lanes}
    cards = [card for card in journey_map.cards.all() if card.lane_id in shown]
    cells = defaultdict(list)
    for card in cards:
        cells[card.stage_id, card.lane_id].append(card)
        if card.emotion_score is not None:
            card.score_label = signed(card.emotion_score)
    emotions = emotion_by_stage(stages, cards, lanes)
    pieces = evidence_shown(journey_map, {card.pk: card for card in cards})
    coverage = map_coverage(journey_map)
    ranked = pain_points(stages, cards, lanes, pieces, coverage, voting.latest_ranking(journey_map))
    sections = evidence_sections(stages, pieces, coverage)
    return {
        "map": journey_map,
        "workshop": journey_map.workshop,
        "persona": journey_map.persona,
        "persona_photo": MEDIA_PREFIX + journey_map.persona.photo.name
        if journey_map.persona_id and journey_map.persona.photo else "",
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
        "map_pages": map_pages(stages, lanes, cells, emotions),
        "evidence_sections": sections,
        "layer_labels": Layer.labels,
        "key_metrics": key_metrics(pieces, stages)[:KEY_METRICS],
        "coverage_percent": coverage["summary"]["percent"] if stages else None,
        "evidence_count": coverage["summary"]["pieces"],
    }


def contributors(journey_map: JourneyMap) -> list[str]:
    """Everyone who changed the map, as its history records them."""
    users = get_user_model().objects.filter(
        pk__in=journey_map.events.exclude(actor=None).values("actor")
    )
    return sorted((display_name(user) for user in users), key=str.casefold)


def pain_points(stages, cards, lanes, pieces, coverage, votes=None) -> list[PainPoint]:
    votes = votes or {}
    pain_lanes = {lane.pk for lane in lanes if lane.kind == LaneKind.PAIN_POINTS}
    by_id = {stage.pk: stage for stage in stages}
    on_card = defaultdict(list)
    for piece in pieces:
        if piece.card_id:
            on_card[piece.card_id].append(piece)
    on_stage = {entry["stage"]: entry["total"] for entry in coverage["stages"]}
    found = [PainPoint(card=card, stage=by_id[card.stage_id], evidence=on_card[card.pk],
                       stage_pieces=on_stage.get(card.stage_id, 0), votes=votes.get(card.pk, 0))
             for card in cards if card.lane_id in pain_lanes]
    return sorted(found, key=lambda point: point.rank_key)


def emotion_by_stage(stages, cards, lanes) -> list[float | None]:
    """The mean emotion score (-2..2) of each stage's emotion cards, None where there is none."""
    emotion_lanes = {lane.pk for lane in lanes if lane.kind == LaneKind.EMOTIONS}
    scores = defaultdict(list)
    for card in cards:
        if card.lane_id in emotion_lanes and card.emotion_score is not None:
            scores[card.stage_id].append(card.emotion_score)
    return [sum(s) / len(s) if (s := scores.get(stage.pk)) else None for stage in stages]


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
        rows = [{"lane": lane, "cells": [cells[stages[i].pk, lane.pk] for i in group]}
                for lane in lanes]
        pages.append({
            "first": group.start + 1,
            "last": group.stop,
            "stages": [stages[i] for i in group],
            "rows": rows,
            "curve": emotion_curve(emotions, group) if has_curve else None,
            "curve_after": _curve_row_index(lanes),
        })
    return pages


def _curve_row_index(lanes) -> int:
    """The curve goes right under the first emotions lane."""
    for index, lane in enumerate(lanes):
        if lane.kind == LaneKind.EMOTIONS:
            return index
    return len(lanes) - 1


def emotion_curve(emotions: list, group: range) -> dict:
    """Vector drawing data for one page's slice of the curve, in millimetres.

    Points sit over their stage columns; a line crossing the page edge is drawn to the edge at
    its midpoint height, so the curve reads as one across pages. The drawing is stretched to its
    cell's width (the gaps between cells make that a little less than `width`), by under 2 %."""
    width = MAP_WIDTH_MM - LANE_COLUMN_MM
    column = width / len(group)

    def y(score):
        return round(4.5 + (2 - score) / 4 * (CURVE_HEIGHT_MM - 7.5), 2)  # room for labels

    def x(index):
        return round((index - group.start + 0.5) * column, 2)

    points = [{"x": x(i), "y": y(emotions[i]), "label_y": y(emotions[i]) - 2.4,
               "label": signed(emotions[i]),
               "tone": "good" if emotions[i] > 0 else "bad" if emotions[i] < 0 else "neutral"}
              for i in group if emotions[i] is not None]
    lines = []
    for i in range(group.start - 1, group.stop):
        if i < 0 or i + 1 >= len(emotions) or emotions[i] is None or emotions[i + 1] is None:
            continue
        x1, y1, x2, y2 = x(i), y(emotions[i]), x(i + 1), y(emotions[i + 1])
        if i < group.start:  # comes in from the previous page
            x1, y1 = 0, (y1 + y2) / 2
        if i + 1 >= group.stop:  # goes on to the next page
            x2, y2 = width, (y1 + y2) / 2
        lines.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2})
    curve = {"width": width, "height": CURVE_HEIGHT_MM, "zero": y(0), "top": y(2),
             "band": y(0) - y(2)}
    # Numbers go into SVG attributes: format them here, never through the template's locale.
    return {**_mm(curve), "points": [_mm(p) for p in points], "lines": [_mm(l) for l in lines]}


def signed(value: float) -> str:
    """+1, −0.5: a real minus sign, and no .0 on whole numbers."""
    text = f"{value:+.1f}".removesuffix(".0")
    return "±0" if value == 0 else text.replace("-", "\u2212")


def _mm(values: dict) -> dict:
    return {k: f"{v:.2f}" if isinstance(v, (int, float)) else v for k, v in values.items()}


# --- evidence ---------------------------------------------------------------------------------


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
        sections.append({
            "stage": stage,
            "count": sum(len(found) for found in kinds.values()),
            "layers": [{"label": Layer(layer).label, "count": layers.get(layer, 0)}
                       for layer in Layer.values],
            "metrics": [metric_row(piece, stage) for piece in kinds[Kind.METRIC]],
            "quotes": [quote_row(piece) for piece in kinds[Kind.QUOTE]],
            "surveys": [survey_row(piece) for piece in kinds[Kind.SURVEY]],
            "recordings": [recording_row(piece) for piece in kinds[Kind.RECORDING]],
            "images": [image_row(piece) for piece in kinds[Kind.IMAGE] if piece.thumbnail],
        })
    return sections


def key_metrics(pieces, stages) -> list[dict]:
    """Metrics with the biggest change from their baseline first, then those without one."""
    by_id = {stage.pk: stage for stage in stages}
    rows = [metric_row(piece, by_id[piece.on_stage])
            for piece in pieces if piece.kind == Kind.METRIC and piece.on_stage in by_id]
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
        "about": _join(piece.period, f"n = {piece.sample_size:,}" if piece.sample_size else "",
                       _card_note(piece)),
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
    return {"question": piece.question, "answer": piece.answer, "segment": piece.segment,
            "score": f"{piece.score}{scale}" if piece.score is not None else ""}


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
    return {"url": MEDIA_PREFIX + piece.thumbnail.name, "title": piece.caption or "Heatmap",
            "about": _join(piece.note, _card_note(piece))}


def _card_note(piece) -> str:
    return f"On the card “{_short(piece.on_card.text)}”" if piece.on_card else ""


def _short(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _join(*parts) -> str:
    return " · ".join(part for part in parts if part)


def number(value: float) -> str:
    """4.5, 3, 0.84, 12,400: no trailing zeros, thousands grouped."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace("-", "\u2212")


def quantity(value, unit: str) -> str:
    if value is None:
        return ""
    if unit in ("%", "pp"):
        return f"{number(value)}{'%' if unit == '%' else ' pp'}"
    return f"{number(value)} {unit}".strip()


def signed_percent(ratio: float) -> str:
    """+50%, −12%, +0.4%: a real minus sign, one decimal only below 1%."""
    percent = ratio * 100
    text = f"{percent:+.1f}" if abs(percent) < 1 else f"{percent:+.0f}"
    return text.replace("-", "\u2212") + "%"


# --- rendering --------------------------------------------------------------------------------


def render_html(journey_map: JourneyMap, options: ExportOptions = ExportOptions()) -> str:
    return render_to_string("workshops/print/map.html", gather(journey_map, options))


def render_pdf(journey_map: JourneyMap, options: ExportOptions = ExportOptions()) -> bytes:
    return layout(journey_map, options).write_pdf()


def layout(journey_map: JourneyMap, options: ExportOptions = ExportOptions()):
    """The laid-out WeasyPrint document (pages, outline), before it is written as PDF."""
    check_options(journey_map, options)
    context = gather(journey_map, options)
    html = render_to_string("workshops/print/map.html", context)
    # The map as just read from the database, so the photo allowed is the photo shown.
    fetcher = MapFetcher(allowed_media=media_of(context["map"]))
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()


def media_of(journey_map: JourneyMap) -> set[str]:
    """The media files this map may show: its persona's photo and its evidence images."""
    allowed = set()
    if journey_map.persona_id and journey_map.persona.photo:
        allowed.add(journey_map.persona.photo.name)
    images = Evidence.objects.filter(map=journey_map, kind=Kind.IMAGE)
    allowed.update(name for name in images.values_list("thumbnail", flat=True) if name)
    return allowed


class RefusedFetch(ValueError):
    pass


class MapFetcher(URLFetcher):
    """Serves static files and the allowed media files; refuses every other URL.

    User text is autoescaped, so it cannot add tags; this is the second line: even a URL that
    reached the HTML could not read a local file, the loopback or the network."""

    def __init__(self, *, allowed_media: set[str] = frozenset()):
        super().__init__(allowed_protocols=["https"], allow_redirects=False)
        self.allowed_media = set(allowed_media)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or parts.query:
            raise RefusedFetch(f"Refused to fetch {url[:200]}")
        path = posixpath.normpath(unquote(parts.path))
        if path.startswith(STATIC_PREFIX):
            return self._static(url, path.removeprefix(STATIC_PREFIX))
        if path.startswith(MEDIA_PREFIX) and path.removeprefix(MEDIA_PREFIX) in self.allowed_media:
            return self._thumbnail(url, path.removeprefix(MEDIA_PREFIX))
        raise RefusedFetch(f"Refused to fetch {url[:200]}")

    def _static(self, url, name):
        try:
            found = finders.find(name)
        except SuspiciousFileOperation:
            found = None
        if not found:
            raise RefusedFetch(f"No static file {name}")
        with open(found, "rb") as handle:
            body = handle.read()
        kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": kind})

    def _thumbnail(self, url, name):
        """Re-encode as a small JPEG: WeasyPrint would otherwise embed whatever arrives, large
        screenshots included, and PDF has no WebP."""
        with default_storage.open(name) as handle, Image.open(handle) as image:
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                flat = Image.new("RGB", image.size, "white")
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=82)
        return URLFetcherResponse(url, buffer.getvalue(), {"Content-Type": "image/jpeg"})
