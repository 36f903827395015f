"""The map as one picture, for slides and chat messages: the PDF's map pages and nothing else
(no cover, summary or evidence), gathered and laid out as the PDF's are (gather.py, the print
template documents/print/board.html, WeasyPrint through engine.py), drawn by PDFium (pypdfium2)
and stacked one under the other, each trimmed of the blank paper under its last lane. Private
cards are never on it: the gathering reads the board as nobody in particular sees it.

Bounds, checked before anything is drawn:
- the width, MIN_WIDTH to MAX_WIDTH pixels; outside, a refusal naming them (400);
- the cards of the lanes chosen, at most the PDF's in-request bound (PDF_SYNC_MAX_CARDS,
  default 500): laying them out is the time a picture takes (about 4 ms a card);
- the picture, at most MAX_PIXELS once laid out (checked on its pages, before PDFium draws):
  about 70 MB as RGB. It is drawn a page at a time into the one canvas, each page's blank cut
  off first by a cheap small drawing, so the memory is the canvas and one page.
Past either of the last two, TooBig (409) says what fits: a smaller width or fewer lanes.
PDFium is not thread-safe: one picture is drawn at a time in a process.
"""

import functools
import io
import math
import threading

import pypdfium2 as pdfium
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from PIL import Image, ImageChops
from weasyprint import CSS

from workshops.models import Card, JourneyMap
from workshops.services.checks import refuse

from .engine import PrintHTML, collection_paused
from .fetcher import BASE_URL, MapFetcher
from .gather import gather
from .options import ExportOptions, check_options, parse_options

MIN_WIDTH = 400
MAX_WIDTH = 4000
DEFAULT_WIDTH = 1600
MAX_PIXELS = 24_000_000
PROBE_WIDTH = 300  # the small drawing that finds where a page's content ends
MARGIN_KEPT = 24  # points of paper kept under the last lane (the page's side margins are 34)
WHITE = (255, 255, 255)

# The map pages as a document of their own, with the print stylesheet. The template's output is
# autoescaped; nothing else goes in.
DOCUMENT = (
    '<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
    '<link rel="stylesheet" href="/static/css/print.css"></head><body>{board}</body></html>'
)
# A picture has no page numbers. Important: WeasyPrint takes render()'s stylesheets as the
# user's, which lose to the document's own rules unless they are.
NO_FOOTERS = (
    "@page map { @bottom-left { content: none !important }"
    " @bottom-right { content: none !important } }"
)

_pdfium_lock = threading.Lock()


class TooBig(Exception):
    """More than a picture holds; the message says what would fit."""

    def __init__(self, message: str, *, widest: int | None = None):
        super().__init__(message)
        self.widest = widest


def parse_width(query) -> int:
    """?width=N, a whole number of pixels within the bounds; DEFAULT_WIDTH without one."""
    raw = str(query.get("width", "") or "").strip()
    if not raw:
        return DEFAULT_WIDTH
    if not raw.isdigit() or not MIN_WIDTH <= int(raw) <= MAX_WIDTH:
        refuse("width", f"Give a width from {MIN_WIDTH:,} to {MAX_WIDTH:,} pixels.")
    return int(raw)


def filename_for(journey_map: JourneyMap) -> str:
    return f"{slugify(journey_map.title) or 'journey-map'}.png"


def png_download(journey_map: JourneyMap, query) -> HttpResponse:
    """The picture the query asks for (width, lanes), inline with its file name, for the API
    and a share link alike; the caller answers TooBig, and a ValidationError is a 400."""
    width = parse_width(query)
    options = parse_options(query)
    data = render_png(journey_map, width=width, lane_ids=options.lane_ids)
    response = HttpResponse(data, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{filename_for(journey_map)}"'
    return response


def render_png(journey_map: JourneyMap, *, width: int, lane_ids=None) -> bytes:
    """The PNG of the map's pages, `width` pixels wide; TooBig past the bounds."""
    options = ExportOptions(lane_ids=lane_ids, include_evidence=False)
    check_options(journey_map, options)
    refuse_if_too_many_cards(journey_map, options)
    document = map_pages(journey_map, options)
    refuse_if_too_many_pixels(document, width)
    with collection_paused():
        data = document.write_pdf()
    with _pdfium_lock:
        picture = stacked(data, width)
    return encoded(picture)


def refuse_if_too_many_cards(journey_map: JourneyMap, options: ExportOptions) -> None:
    cards = Card.objects.filter(map=journey_map, private=False)
    if options.lane_ids is not None:
        cards = cards.filter(lane_id__in=options.lane_ids)
    count, most = cards.count(), settings.PDF_SYNC_MAX_CARDS
    if count > most:
        raise TooBig(
            f"The lanes chosen hold {count:,} cards; a picture draws at most {most:,}. "
            "Choose fewer lanes (lanes=3,5)."
        )


def map_pages(journey_map: JourneyMap, options: ExportOptions):
    """The laid-out WeasyPrint document of the map pages alone."""
    context = gather(journey_map, options)
    board = render_to_string("documents/print/board.html", context)
    html = DOCUMENT.format(lang=context["lang"], board=board)
    fetcher = MapFetcher()  # the map pages show no pictures: static files only
    with collection_paused():
        printed = PrintHTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        return printed.render(stylesheets=[no_footers()])


@functools.cache
def no_footers() -> CSS:
    return CSS(string=NO_FOOTERS)


def refuse_if_too_many_pixels(document, width: int) -> None:
    """Every page drawn whole: the most the picture can be, before its blanks are cut off."""
    pages = document.pages
    tall = sum(page.height / page.width for page in pages) or 1.0
    if width * width * tall <= MAX_PIXELS:
        return
    widest = math.floor(math.sqrt(MAX_PIXELS / tall))
    fits = f"ask for width={widest} or less, or " if widest >= MIN_WIDTH else ""
    raise TooBig(
        f"At {width:,} pixels wide this map's picture is {len(pages)} pages tall, past the "
        f"{MAX_PIXELS // 1_000_000} million pixels a picture may have: {fits}choose fewer "
        "lanes (lanes=3,5).",
        widest=widest if widest >= MIN_WIDTH else None,
    )


def stacked(data: bytes, width: int) -> Image.Image:
    """The PDF's pages one under the other on a white canvas `width` pixels wide."""
    pdf = pdfium.PdfDocument(data)
    try:
        pages = [pdf[index] for index in range(len(pdf))]
        scale = width / pages[0].get_width()
        cuts = [blank_below(page) for page in pages]
        heights = [
            math.ceil((page.get_height() - cut) * scale)
            for page, cut in zip(pages, cuts, strict=True)
        ]
        canvas = Image.new("RGB", (width, sum(heights)), WHITE)
        top = 0
        for page, cut, height in zip(pages, cuts, heights, strict=True):
            drawn = page.render(scale=scale, crop=(0, cut, 0, 0), rev_byteorder=True).to_pil()
            canvas.paste(drawn.convert("RGB"), (0, top))
            top += height
        return canvas
    finally:
        pdf.close()


def blank_below(page) -> float:
    """How much of the page, in PDF units from its bottom, is blank paper under its content
    and MARGIN_KEPT: found on a drawing PROBE_WIDTH pixels wide."""
    scale = PROBE_WIDTH / page.get_width()
    probe = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    ink = ImageChops.invert(probe).getbbox()  # the box of everything not white
    if ink is None:
        return 0.0
    content_bottom = ink[3] / scale
    return max(0.0, page.get_height() - content_bottom - MARGIN_KEPT)


def encoded(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()
