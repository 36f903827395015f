"""Downloading the executive PDF from the board page (session login); the API's is api/pdf.py."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest

from workshops.access import map_for

from .. import pdf
from ..api.pdf import pdf_response, with_comparison


@login_required
def map_export_pdf(request, map_id: int):
    journey_map = map_for(request.user, map_id)
    try:
        options = pdf.parse_options(request.GET)
        return pdf_response(journey_map, with_comparison(request, journey_map, options))
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain")
