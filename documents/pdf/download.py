"""The PDF as a download, the same from the board page (web/pdf.py) and the API (api/pdf.py):
the options of the query string, the optional comparison, the attachment."""

import dataclasses

from django.http import HttpResponse

from .. import compare
from .options import ExportOptions, filename_for, parse_options
from .render import render_pdf


def pdf_download(user, journey_map, query) -> HttpResponse:
    """Options: lanes=3,5, evidence=0/1, compare=<map id> or compare_version=<version id>."""
    options = with_comparison(user, journey_map, query, parse_options(query))
    response = HttpResponse(render_pdf(journey_map, options), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename_for(journey_map)}"'
    return response


def with_comparison(user, journey_map, query, options: ExportOptions) -> ExportOptions:
    found = compare.for_export(user, journey_map, query)
    return dataclasses.replace(options, comparison=found) if found else options
