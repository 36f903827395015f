"""Pages of a living map: its versions, a version read-only, restoring one, comparing two boards,
duplicating, importing, marking reviewed. Reads through the access helpers, writes through the
services (versions.py, mapfile/); a refusal comes back as a message naming the problem."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from workshops import services
from workshops.access import map_for, role_of, workshop_for
from workshops.models import ROLE_RANK, LaneKind, MapState, Role
from workshops.services.checks import refuse
from workshops.web.confirm import confirm_delete

from .. import compare, mapfile, versions


def _problems(error: Exception) -> list[str]:
    if not isinstance(error, ValidationError):
        return [str(error)]
    if hasattr(error, "error_dict"):
        return [
            f"{field}: {message}" if field not in ("__all__", "file") else message
            for field, found in error.message_dict.items()
            for message in found
        ]
    return error.messages


def _refused(request, error: Exception, what: str) -> None:
    messages.error(request, f"{what} Nothing was changed. " + " ".join(_problems(error)))


def _may(user, workshop, role: str) -> bool:
    return ROLE_RANK.get(role_of(user, workshop), 0) >= ROLE_RANK[role]


# --- versions -------------------------------------------------------------------------------


@login_required
def versions_page(request, map_id: int):
    journey_map = map_for(request.user, map_id)
    if request.method == "POST":
        return _save(request, journey_map)
    workshop = journey_map.workshop
    return render(
        request,
        "documents/versions.html",
        {
            "journey_map": journey_map,
            "versions": journey_map.versions.defer("snapshot").select_related("created_by"),
            "other_maps": workshop.maps.exclude(pk=journey_map.pk),
            "can_edit": _may(request.user, workshop, Role.EDITOR),
            "can_facilitate": _may(request.user, workshop, Role.FACILITATOR),
        },
    )


def _save(request, journey_map):
    try:
        version = versions.version_save(
            actor=request.user, map=journey_map, name=request.POST.get("name", "")
        )
    except ValidationError as error:
        _refused(request, error, "The version was not saved.")
    else:
        messages.success(request, f"Saved the map as “{version.name}”.")
    return redirect("map-versions", journey_map.pk)


@login_required
def version_view(request, map_id: int, version_id: int):
    journey_map = map_for(request.user, map_id)
    version = versions.version_for(request.user, journey_map, version_id)
    return render(
        request,
        "documents/version_detail.html",
        {
            "journey_map": journey_map,
            "version": version,
            "grid": grid(version.snapshot),
            "can_edit": _may(request.user, journey_map.workshop, Role.EDITOR),
        },
    )


def grid(document: dict) -> dict:
    """A document drawn as a board: a row per lane, a cell per stage, its cards in order."""
    cells = {}
    for card in document["cards"]:
        cells.setdefault((card["stage"], card["lane"]), []).append(card)
    evidence = {}
    card_stage = {card["key"]: card["stage"] for card in document["cards"]}
    for piece in document.get("evidence", []):
        stage = piece.get("stage") or card_stage.get(piece.get("card"))
        evidence[stage] = evidence.get(stage, 0) + 1
    stages = [{**stage, "evidence": evidence.get(stage["key"], 0)} for stage in document["stages"]]
    rows = [
        {
            "lane": {**lane, "kind_label": LaneKind(lane["kind"]).label},
            "cells": [cells.get((stage["key"], lane["key"]), []) for stage in stages],
        }
        for lane in document["lanes"]
    ]
    return {"map": document["map"], "stages": stages, "rows": rows}


@login_required
def version_restore(request, map_id: int, version_id: int):
    """GET asks to confirm; POST restores."""
    journey_map = map_for(request.user, map_id, Role.EDITOR)
    version = versions.version_for(request.user, journey_map, version_id)
    if request.method != "POST":
        return render(
            request,
            "documents/version_restore.html",
            {"journey_map": journey_map, "version": version},
        )
    try:
        versions.version_restore(actor=request.user, map=journey_map, version=version)
    except (ValidationError, services.BoardLocked) as error:
        _refused(request, error, "The version was not restored.")
        return redirect("map-versions", journey_map.pk)
    messages.success(
        request,
        f"Restored “{version.name}”. What was there before is saved as "
        f"the version “{versions.before_name(version)}”.",
    )
    return redirect("map-board", journey_map.pk)


@login_required
def version_delete(request, map_id: int, version_id: int):
    """GET asks to confirm (a deleted version cannot come back); POST deletes."""
    journey_map = map_for(request.user, map_id, Role.FACILITATOR)
    version = versions.version_for(request.user, journey_map, version_id)
    if request.method != "POST":
        return confirm_delete(
            request,
            title=f"Delete the version “{version.name}”?",
            consequences=[
                f"The map as it was at revision {version.revision} "
                f"({version.created_at:%-d %b %Y}) can then no longer be looked at, compared "
                "or restored. The map itself does not change.",
            ],
            action=request.path,
            cancel=reverse("map-versions", args=[journey_map.pk]),
            button="Delete the version",
        )
    versions.version_delete(actor=request.user, version=version)
    messages.success(request, f"Deleted the version “{version.name}”; the map is unchanged.")
    return redirect("map-versions", journey_map.pk)


# --- compare --------------------------------------------------------------------------------


@login_required
def compare_page(request, map_id: int):
    journey_map = map_for(request.user, map_id)
    choice = request.GET.get("with", "")
    context = {"journey_map": journey_map, "choice": choice, **_options(journey_map)}
    try:
        context.update(_comparison(request.user, journey_map, choice))
    except ValidationError as error:
        context["problems"] = _problems(error)
    return render(
        request, "documents/compare.html", context, status=400 if "problems" in context else 200
    )


def _options(journey_map) -> dict:
    """What the page offers to compare with, as (value, label) pairs."""
    return {
        "version_options": [
            (f"version-{v.pk}", f"{v.name} (revision {v.revision}, {v.created_at:%-d %b %Y})")
            for v in journey_map.versions.defer("snapshot")
        ],
        "map_options": [
            (f"map-{m.pk}", f"{m.title} ({m.get_state_display().lower()})")
            for m in journey_map.workshop.maps.exclude(pk=journey_map.pk)
        ],
    }


def _comparison(user, journey_map, choice: str) -> dict:
    """`choice` is "map-12" or "version-3", as the page's select names them."""
    if not choice:
        return {}
    kind, _, number = choice.partition("-")
    if kind not in ("map", "version") or not number.isdigit():
        refuse("with", "Choose a map or a version to compare with.")
    found = {"with_map": int(number)} if kind == "map" else {"version": int(number)}
    left, right = compare.sides(user, journey_map, **found)
    result = compare.compare_boards(left.document, right.document)
    pdf_option = f"compare={number}" if kind == "map" else f"compare_version={number}"
    return {"left": left, "right": right, "result": result, "pdf_option": pdf_option}


# --- maps of a workshop ---------------------------------------------------------------------


@login_required
@require_POST
def map_duplicate(request, map_id: int):
    journey_map = map_for(request.user, map_id, Role.FACILITATOR)
    state = request.POST.get("state") or None
    title = request.POST.get("title", "").strip() or f"{journey_map.title} (copy)"
    try:
        copy = versions.map_duplicate(
            actor=request.user,
            map=journey_map,
            title=title,
            state=state if state in MapState.values else None,
        )
    except ValidationError as error:
        _refused(request, error, "The map was not duplicated.")
        return redirect("workshop-detail", journey_map.workshop_id)
    messages.success(request, f"Duplicated “{journey_map.title}” as “{copy.title}”.")
    return redirect("map-board", copy.pk)


@login_required
@require_POST
def map_import(request, workshop_id: int):
    workshop = workshop_for(request.user, workshop_id, Role.FACILITATOR)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            refuse("file", "Choose a map file (.json) to import.")
        mapfile.check_size(upload.size)  # before reading it
        document = mapfile.read_document(upload.read())
        imported = mapfile.map_import(actor=request.user, workshop=workshop, data=document)
    except ValidationError as error:
        _refused(request, error, "The map was not imported.")
        return redirect("workshop-detail", workshop.pk)
    messages.success(request, f"Imported the map “{imported.title}”.")
    return redirect("map-board", imported.pk)
