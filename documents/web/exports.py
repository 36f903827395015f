"""The export page of a map: choose the PDF's lanes and whether it has the evidence pages, make
it in the background (pdf/exports.py), and follow your exports until their file is ready
(static/js/export-page.js asks the API; without JavaScript, reloading the page does)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from workshops.access import map_for

from ..models import ExportStatus
from ..pdf import exports

LISTED = 10


@login_required
def map_export_page(request, map_id: int):
    journey_map = map_for(request.user, map_id)
    if request.method == "POST":
        return _start(request, journey_map)
    return render(request, "documents/export.html", _page(request, journey_map))


def _page(request, journey_map) -> dict:
    """The form as the query string asks (the board's link has none; a map too big for the
    download link comes with its options), and the person's latest exports."""
    asked = {part for part in request.GET.get("lanes", "").split(",") if part.strip()}
    lanes = [
        {"lane": lane, "checked": not asked or str(lane.pk) in asked}
        for lane in journey_map.lanes.all()
    ]
    return {
        "journey_map": journey_map,
        "lanes": lanes,
        "include_evidence": request.GET.get("evidence", "1") not in ("0", "false", "no", "off"),
        "compare": request.GET.get("compare", ""),
        "compare_version": request.GET.get("compare_version", ""),
        "exports": [
            _row(export) for export in exports.exports_of(journey_map, request.user)[:LISTED]
        ],
    }


def _row(export) -> dict:
    urls = {
        "api": reverse("api-map-export-detail", args=[export.map_id, export.pk]),
        "file": reverse("api-map-export-file", args=[export.map_id, export.pk]),
    }
    final = export.status not in exports.ACTIVE
    return {
        "export": export,
        "urls": urls,
        "final": final,
        "ready": export.status == ExportStatus.DONE,
    }


def _start(request, journey_map):
    chosen = request.POST.getlist("lanes")
    if not chosen:
        messages.error(request, "Choose at least one lane for the PDF.")
        return redirect("map-export", journey_map.pk)
    every_lane = len(set(chosen)) >= journey_map.lanes.count()
    query = {
        "lanes": "" if every_lane else ",".join(chosen),
        "evidence": "1" if request.POST.get("evidence") else "0",
        "compare": request.POST.get("compare", ""),
        "compare_version": request.POST.get("compare_version", ""),
    }
    try:
        started = exports.export_start(actor=request.user, map=journey_map, query=query)
    except ValidationError as error:
        messages.error(request, "The PDF was not started. " + " ".join(error.messages))
        return redirect("map-export", journey_map.pk)
    return redirect(reverse("map-export", args=[journey_map.pk]) + f"#export-{started.pk}")
