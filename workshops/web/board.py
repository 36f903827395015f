"""The board page, and marking a map reviewed from the workshop page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import services
from ..access import map_for, role_of
from ..board import board_data
from ..models import ROLE_RANK, JourneyMap, Role


@login_required
def map_board(request, map_id: int):
    journey_map = map_for(request.user, map_id)
    journey_map = JourneyMap.objects.with_board(viewer=request.user).get(pk=journey_map.pk)
    role = role_of(request.user, journey_map.workshop)
    return render(
        request,
        "workshops/board.html",
        {
            "journey_map": journey_map,
            "board": board_data(journey_map, request.user),
            "role": role,
            "can_edit": ROLE_RANK[role] >= ROLE_RANK[Role.EDITOR],
        },
    )


@login_required
@require_POST
def map_reviewed(request, map_id: int):
    journey_map = map_for(request.user, map_id, Role.FACILITATOR)
    services.map_mark_reviewed(actor=request.user, map=journey_map)
    messages.success(request, f"“{journey_map.title}” is marked reviewed today.")
    return redirect("workshop-detail", journey_map.workshop_id)
