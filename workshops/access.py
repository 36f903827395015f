"""Who may do what. One helper per object, as healthchecks does: 404 for outsiders, 403 for
members whose role is too low."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import ROLE_RANK, JourneyMap, Membership, Role, Workshop


def role_of(user, workshop: Workshop) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.FACILITATOR
    return (
        Membership.objects.filter(workshop=workshop, user=user).values_list("role", flat=True).first()
    )


def require_role(user, workshop: Workshop, role: str) -> str:
    """Return the user's role, or refuse: outsiders must not learn that the workshop exists."""
    actual = role_of(user, workshop)
    if actual is None:
        raise Http404("No such workshop.")
    if ROLE_RANK[actual] < ROLE_RANK[role]:
        raise PermissionDenied(f"This needs the {role} role; you are a {actual} here.")
    return actual


def workshop_for(user, workshop_id, role: str = Role.VIEWER) -> Workshop:
    workshop = get_object_or_404(Workshop, pk=workshop_id)
    require_role(user, workshop, role)
    return workshop


def map_for(user, map_id, role: str = Role.VIEWER) -> JourneyMap:
    journey_map = get_object_or_404(JourneyMap.objects.select_related("workshop"), pk=map_id)
    require_role(user, journey_map.workshop, role)
    return journey_map
