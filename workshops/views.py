"""Pages. Reads go through the access helpers; writes through services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .access import map_for, role_of
from .models import ROLE_RANK, JourneyMap, Role
from .serializers import BoardSerializer


@login_required
def map_board(request, map_id: int):
    journey_map = map_for(request.user, map_id)
    journey_map = JourneyMap.objects.with_board().get(pk=journey_map.pk)
    role = role_of(request.user, journey_map.workshop)
    return render(request, "workshops/board.html", {
        "journey_map": journey_map,
        "board": BoardSerializer(journey_map).data,
        "role": role,
        "can_edit": ROLE_RANK[role] >= ROLE_RANK[Role.EDITOR],
    })
