"""Rendering: the print HTML from a Django template (so every piece of user text is
autoescaped), laid out by WeasyPrint (engine.py) with the fetcher that serves only this map's
files."""

from django.template.loader import render_to_string

from evidence.models import Evidence, Kind
from workshops.models import JourneyMap

from .engine import PDF_VARIANT, PrintHTML, collection_paused
from .fetcher import BASE_URL, MapFetcher
from .gather import gather
from .options import ExportOptions, check_options


def render_html(journey_map: JourneyMap, options: ExportOptions = ExportOptions()) -> str:
    return render_to_string("documents/print/map.html", gather(journey_map, options))


def render_pdf(journey_map: JourneyMap, options: ExportOptions = ExportOptions()) -> bytes:
    return render_with_pages(journey_map, options)[0]


def render_with_pages(journey_map: JourneyMap, options: ExportOptions = ExportOptions()):
    """(the PDF, tagged, and its number of pages)."""
    with collection_paused():
        document = layout(journey_map, options)
        return document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages)


def layout(journey_map: JourneyMap, options: ExportOptions = ExportOptions()):
    """The laid-out WeasyPrint document (pages, outline), before it is written as PDF."""
    check_options(journey_map, options)
    context = gather(journey_map, options)
    html = render_to_string("documents/print/map.html", context)
    # The map as just read from the database, so the photo allowed is the photo shown.
    fetcher = MapFetcher(allowed_media=media_of(context["map"]))
    with collection_paused():
        return PrintHTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()


def media_of(journey_map: JourneyMap) -> set[str]:
    """The media files this map may show: its persona's photo and its evidence images."""
    allowed = set()
    if journey_map.persona_id and journey_map.persona.photo:
        allowed.add(journey_map.persona.photo.name)
    images = Evidence.objects.filter(map=journey_map, kind=Kind.IMAGE)
    allowed.update(name for name in images.values_list("thumbnail", flat=True) if name)
    return allowed
