"""The import page: the frame, the map's stages and the API's addresses; static/js/import-page.js
does the rest through the import API (evidence/api/imports.py). Editors only: a viewer is told
why (403), an outsider learns nothing (404)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from workshops.access import map_for
from workshops.models import Role

from ..imports import MAX_BYTES


@login_required
def import_page(request, map_id: int):
    journey_map = map_for(request.user, map_id, Role.EDITOR)
    stages = [
        {"id": pk, "title": title} for pk, title in journey_map.stages.values_list("pk", "title")
    ]
    return render(
        request,
        "evidence/import.html",
        {
            "journey_map": journey_map,
            "stages": stages,
            "max_megabytes": MAX_BYTES // 1024 // 1024,
            "urls": {
                "preview": reverse("api-evidence-import-preview", args=[journey_map.pk]),
                "import": reverse("api-evidence-import", args=[journey_map.pk]),
                "board": reverse("map-board", args=[journey_map.pk]),
            },
        },
    )
