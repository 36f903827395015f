"""The PDF as a download, the same from the board page (web/pdf.py) and the API (api/pdf.py):
the options of the query string, the optional comparison, the attachment.

Only maps of at most PDF_SYNC_MAX_CARDS cards (setting, default 500) and PDF_SYNC_MAX_PIECES
pieces of evidence (default 5,000) render in the request, in a few seconds at most: every card
is laid out (about 4 ms each), while evidence is counted and chosen by the database (a few
pieces a stage are printed). A bigger map is refused with TooBigForRequest, which each caller
turns into a pointer to the background export (exports.py)."""

import dataclasses

from django.conf import settings
from django.http import HttpResponse

from evidence.models import Evidence
from workshops.models import Card

from .. import compare
from .options import ExportOptions, filename_for, parse_options
from .render import render_pdf


class TooBigForRequest(Exception):
    def __init__(self, cards: int, pieces: int):
        most_cards, most_pieces = sync_bounds()
        super().__init__(
            f"This map has {_many(cards, 'card')} and {_many(pieces, 'piece')} of evidence; the "
            f"PDF of a map with more than {most_cards:,} cards or {most_pieces:,} pieces is made "
            "in the background: start an export and download it when it is ready."
        )


def _many(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def sync_bounds() -> tuple[int, int]:
    return (
        settings.PDF_SYNC_MAX_CARDS,
        settings.PDF_SYNC_MAX_PIECES,
    )


def refuse_if_too_big(journey_map) -> None:
    cards = Card.objects.filter(map=journey_map).count()
    pieces = Evidence.objects.filter(map=journey_map).count()
    most_cards, most_pieces = sync_bounds()
    if cards > most_cards or pieces > most_pieces:
        raise TooBigForRequest(cards, pieces)


def pdf_download(user, journey_map, query) -> HttpResponse:
    """Options: lanes=3,5, evidence=0/1, compare=<map id> or compare_version=<version id>."""
    options = parse_options(query)
    refuse_if_too_big(journey_map)
    options = with_comparison(user, journey_map, query, options)
    response = HttpResponse(render_pdf(journey_map, options), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename_for(journey_map)}"'
    return response


def with_comparison(user, journey_map, query, options: ExportOptions) -> ExportOptions:
    found = compare.for_export(user, journey_map, query)
    return dataclasses.replace(options, comparison=found) if found else options
