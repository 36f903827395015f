"""Invite links: how people join a workshop. Every write about invites and guests is here.

A facilitator makes a link with a role (editor or viewer), an expiry and, if they like, the map
it is for (people who join land on that map's board). Someone with an account
joins by opening it; a guest without an account joins with a display name and gets that one
workshop, for as long as the link lives: workshops.access.role_of ends a guest's role when the
link expires or is revoked, so pages, the API and the live board all see it at once.

Refusals raise ValidationError (a dict naming the field), PermissionDenied, or InviteEnded for a
link that expired or was revoked; nothing is created or changed then.
"""

import secrets
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model, login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ..access import guest_of, require_role
from ..models import ROLE_RANK, Guest, Invite, JourneyMap, Membership, Role, Workshop
from ..realtime import broadcast
from .checks import is_whole_number, refuse

INVITE_ROLES = (Role.EDITOR, Role.VIEWER)
EXPIRY_CHOICES = {
    "1h": ("1 hour", timedelta(hours=1)),
    "1d": ("1 day", timedelta(days=1)),
    "7d": ("7 days", timedelta(days=7)),
    "30d": ("30 days", timedelta(days=30)),
}
MAX_EXPIRY = timedelta(days=30)
DISPLAY_NAME_MAX = 50
GUEST_BACKEND = "django.contrib.auth.backends.ModelBackend"


class InviteEnded(Exception):
    """The link expired or was revoked: it lets nobody in any more."""


# --- reading a link -------------------------------------------------------------------------


def invite_state(invite: Invite, *, now: datetime | None = None) -> str:
    """ "active", "expired" or "revoked"."""
    if invite.revoked_at is not None:
        return "revoked"
    return "active" if invite.expires_at > (now or timezone.now()) else "expired"


def invite_check_open(invite: Invite, *, now: datetime | None = None) -> None:
    state = invite_state(invite, now=now)
    if state == "revoked":
        raise InviteEnded("This invite link was revoked. Ask the facilitator for a new one.")
    if state == "expired":
        raise InviteEnded("This invite link has expired. Ask the facilitator for a new one.")


def invites_active(workshop: Workshop, *, now: datetime | None = None):
    """The links that still let people in, newest first, with how many guests joined by each."""
    return (
        workshop.invites.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())
        .annotate(guest_count=Count("guests"))
        .select_related("created_by", "map")
        # Said again: a query that counts (GROUP BY) leaves the model's Meta.ordering out.
        .order_by("-created_at", "-id")
    )


# --- the facilitator's side -----------------------------------------------------------------


def invite_create(
    *,
    actor,
    workshop: Workshop,
    role: str,
    expires: str | datetime,
    map_id: int | None = None,
    now: datetime | None = None,
) -> Invite:
    """`expires` is one of EXPIRY_CHOICES ("1h", "1d", "7d", "30d") or a moment within 30 days;
    `map_id`, a map of the workshop whose board people land on once they have joined."""
    require_role(actor, workshop, Role.FACILITATOR)
    now = now or timezone.now()
    if role not in INVITE_ROLES:
        refuse("role", f"Unknown role {role!r}; an invite makes people editors or viewers.")
    return Invite.objects.create(
        workshop=workshop,
        map=_map_of(workshop, map_id),
        role=role,
        created_by=actor,
        expires_at=_expiry(expires, now),
        token=secrets.token_urlsafe(32),
    )


def _map_of(workshop: Workshop, map_id) -> JourneyMap | None:
    if map_id is None:
        return None
    found = None
    if is_whole_number(map_id):
        found = JourneyMap.objects.filter(workshop=workshop, pk=map_id).first()
    if found is None:
        refuse("map", f"No map {map_id} in this workshop: choose one of its maps, or none.")
    return found


def _expiry(expires, now: datetime) -> datetime:
    if isinstance(expires, str) and expires in EXPIRY_CHOICES:
        return now + EXPIRY_CHOICES[expires][1]
    if not isinstance(expires, datetime):
        choices = ", ".join(EXPIRY_CHOICES)
        refuse("expires", f"Choose one of {choices}, or give a date and time.")
    if timezone.is_naive(expires):
        refuse("expires", "Give the expiry with its time zone.")
    if expires <= now:
        refuse("expires", "The expiry must be in the future.")
    if expires > now + MAX_EXPIRY:
        refuse("expires", "An invite lasts at most 30 days.")
    return expires


def invite_revoke(*, actor, invite: Invite, now: datetime | None = None) -> Invite:
    """End the link: nobody joins by it any more, and its guests lose access at once."""
    require_role(actor, invite.workshop, Role.FACILITATOR)
    with transaction.atomic():
        invite = Invite.objects.select_for_update().select_related("workshop").get(pk=invite.pk)
        if invite.revoked_at is None:
            invite.revoked_at = now or timezone.now()
            invite.save(update_fields=["revoked_at"])
            guests = invite.guests.values_list("user_id", flat=True)
            broadcast.access_changed_on_commit(invite.workshop, list(guests))
    return invite


# --- joining --------------------------------------------------------------------------------


def invite_accept(*, user, invite: Invite, now: datetime | None = None) -> Membership:
    """A logged-in user joins with the link's role. A member keeps the higher of their role and
    the link's: a link never demotes anyone."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in to join, or join as a guest.")
    _refuse_guest_elsewhere(user, invite)
    with transaction.atomic():
        invite_check_open(_locked(invite), now=now)
        membership, created = Membership.objects.select_for_update().get_or_create(
            workshop=invite.workshop, user=user, defaults={"role": invite.role}
        )
        if not created and ROLE_RANK[membership.role] < ROLE_RANK[invite.role]:
            membership.role = invite.role
            membership.save(update_fields=["role"])
            broadcast.access_changed_on_commit(invite.workshop, [user.pk])
    return membership


def _refuse_guest_elsewhere(user, invite: Invite) -> None:
    guest = guest_of(user)
    if guest and guest.invite_id != invite.pk:
        raise PermissionDenied(guest_elsewhere_message(guest))


def guest_elsewhere_message(guest: Guest) -> str:
    return (
        f"You are here as a guest of “{guest.invite.workshop.name}”, and a guest takes part "
        "in that workshop alone. Log out to join this one as a new guest, or sign up."
    )


def _locked(invite: Invite) -> Invite:
    # Locked, so that a revocation cannot slip between the check and the join.
    return Invite.objects.select_for_update().get(pk=invite.pk)


def guest_join(
    *, invite: Invite, display_name: str, request=None, now: datetime | None = None
) -> Guest:
    """Someone without an account joins with a display name: a user who cannot log in by
    password, a member of this workshop alone. With `request`, they are logged in for as long as
    the link lives."""
    name = _display_name(display_name)
    with transaction.atomic():
        invite_check_open(_locked(invite), now=now)
        user = get_user_model().objects.create_user(_guest_username(), first_name=name)
        guest = Guest.objects.create(user=user, invite=invite, display_name=name)
        Membership.objects.create(workshop=invite.workshop, user=user, role=invite.role)
    if request is not None:
        login(request, user, backend=GUEST_BACKEND)
        request.session.set_expiry(invite.expires_at)
    return guest


def _display_name(value) -> str:
    if not isinstance(value, str) or not value.strip():
        refuse("display_name", "Give the name the others will see.")
    value = value.strip()
    if len(value) > DISPLAY_NAME_MAX:
        refuse("display_name", f"At most {DISPLAY_NAME_MAX} characters (got {len(value)}).")
    return value


def _guest_username() -> str:
    # Internal only: nobody logs in with it (the password is unusable), people see the name.
    return f"guest-{secrets.token_hex(8)}"
