"""Downloading the executive PDF from the board page (session login); the API's is api/pdf.py."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest

from workshops.access import map_for

from ..pdf.download import pdf_download


@login_required
def map_export_pdf(request, map_id: int):
    journey_map = map_for(request.user, map_id)
    try:
        return pdf_download(request.user, journey_map, request.GET)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain")
