"""A map's place in its workshop, from the workshop page: archiving it, bringing it back, and
deleting it after a confirmation. Facilitators only; the services decide and record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import services
from ..access import map_for
from ..models import Role
from .confirm import confirm_delete


def _workshop_page(journey_map, anchor: str = "") -> str:
    return reverse("workshop-detail", args=[journey_map.workshop_id]) + anchor


@login_required
@require_POST
def map_archive(request, map_id: int):
    journey_map = map_for(request.user, map_id, Role.FACILITATOR)
    try:
        services.map_archive(actor=request.user, map=journey_map)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(
            request,
            f"“{journey_map.title}” is archived: it is under “Archived maps”, whole, "
            "and you can restore it there.",
        )
    return redirect(_workshop_page(journey_map, "#maps-heading"))


@login_required
@require_POST
def map_unarchive(request, map_id: int):
    journey_map = map_for(request.user, map_id, Role.FACILITATOR)
    try:
        services.map_unarchive(actor=request.user, map=journey_map)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"“{journey_map.title}” is back among the workshop's maps.")
    return redirect(_workshop_page(journey_map, "#maps-heading"))


@login_required
def map_delete(request, map_id: int):
    """GET asks to confirm, saying what goes with the map; POST deletes it."""
    journey_map = map_for(request.user, map_id, Role.FACILITATOR)
    if request.method != "POST":
        return confirm_delete(
            request,
            title=f"Delete the map “{journey_map.title}”?",
            consequences=_what_goes(journey_map),
            action=request.path,
            cancel=_workshop_page(journey_map),
            button="Delete the map for good",
        )
    services.map_delete(actor=request.user, map=journey_map)
    messages.success(request, f"The map “{journey_map.title}” is deleted.")
    return redirect(_workshop_page(journey_map))


def _what_goes(journey_map) -> list[str]:
    cards, versions = journey_map.cards.count(), journey_map.versions.count()
    return [
        f"Its {cards} card{'s' if cards != 1 else ''}, its evidence, its history and its "
        f"{versions} saved version{'s' if versions != 1 else ''} are deleted with it, for good; "
        "anyone on its board is told.",
        "To keep it out of the way instead, archive it: an archived map can be restored.",
    ]
