"""Who may do what. One helper per object, as healthchecks does: 404 for outsiders, 403 for
members whose role is too low, and for guests whose invite link has ended (they knew the
workshop; they are told why)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import ROLE_RANK, Guest, JourneyMap, Membership, Role, Workshop, live_membership

GUEST_ENDED = (
    "Your guest access to this workshop has ended: the link expired or was revoked. "
    "Ask the facilitator for a new link."
)


def role_of(user, workshop: Workshop) -> str | None:
    """The user's role, or None. A guest's role ends with their link (expiry or revocation), and
    every path (pages, REST, the live board, services) asks here, so none can outlive it."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.FACILITATOR
    memberships = Membership.objects.filter(workshop=workshop, user=user)
    if getattr(user, KNOWN_NOT_GUEST, False) is not True:
        memberships = memberships.filter(live_membership())
    try:  # one membership per user and workshop; get() spares first()'s ordering
        return memberships.values_list("role", flat=True).get()
    except Membership.DoesNotExist:
        return None


# Whether a user joined as a guest never changes. A long-lived holder of a user object (a live
# board's socket, which checks the role on every change) learns it once and marks the object,
# sparing each check the joins through the guest's link.
KNOWN_NOT_GUEST = "_cjm_known_not_guest"


def remember_not_guest(user) -> None:
    """Say so of a user that guest_of() found to be no guest."""
    setattr(user, KNOWN_NOT_GUEST, True)


def guest_of(user) -> Guest | None:
    """The Guest row of a user who joined without an account, read fresh (never cached)."""
    if not user.is_authenticated:
        return None
    return Guest.objects.select_related("invite__workshop").filter(user=user).first()


def require_role(user, workshop: Workshop, role: str) -> str:
    """Return the user's role, or refuse: outsiders must not learn that the workshop exists."""
    actual = role_of(user, workshop)
    if actual is None and _guest_ended(user, workshop):
        raise PermissionDenied(GUEST_ENDED)  # they knew the workshop: say why, not "no such"
    if actual is None:
        raise Http404("No such workshop.")
    if ROLE_RANK[actual] < ROLE_RANK[role]:
        raise PermissionDenied(f"This needs the {role} role; you are a {actual} here.")
    return actual


def _guest_ended(user, workshop: Workshop) -> bool:
    return (
        user.is_authenticated
        and Guest.objects.filter(user=user, invite__workshop=workshop).exists()
    )


def workshop_for(user, workshop_id, role: str = Role.VIEWER) -> Workshop:
    workshop = get_object_or_404(Workshop, pk=workshop_id)
    require_role(user, workshop, role)
    return workshop


def map_for(user, map_id, role: str = Role.VIEWER) -> JourneyMap:
    journey_map = get_object_or_404(JourneyMap.objects.select_related("workshop"), pk=map_id)
    require_role(user, journey_map.workshop, role)
    return journey_map
