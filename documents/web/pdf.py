"""Downloading the executive PDF from the board page (session login); the API's is api/pdf.py.
A map too big to render in the request goes to its export page (web/exports.py), the options
kept, to be made in the background."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse

from workshops.access import map_for

from ..pdf.download import TooBigForRequest, pdf_download


@login_required
def map_export_pdf(request, map_id: int):
    journey_map = map_for(request.user, map_id)
    try:
        return pdf_download(request.user, journey_map, request.GET)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain")
    except TooBigForRequest as error:
        messages.info(request, str(error))
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(reverse("map-export", args=[map_id]) + query)
