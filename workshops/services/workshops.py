"""Workshops, their members and personas: who takes part, and whom the maps are about. These
change no map, so they take no revision; a change of someone's access reaches their open boards
(broadcast.access_changed_on_commit)."""

import functools

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..access import guest_of, require_role
from ..models import TITLE_MAX, Membership, Persona, Role, Workshop
from ..realtime import broadcast
from .checks import choice, only, refuse, set_texts, text

DESCRIPTION_MAX = 5000


def workshop_create(*, actor, name: str, description: str = "") -> Workshop:
    if not actor.is_authenticated:
        raise PermissionDenied("Log in to create a workshop.")
    if guest_of(actor):
        raise PermissionDenied("Guests take part in one workshop; sign up to create your own.")
    name = text("name", name, max_length=TITLE_MAX, required=True)
    description = text("description", description, max_length=DESCRIPTION_MAX)
    with transaction.atomic():
        workshop = Workshop.objects.create(name=name, description=description, created_by=actor)
        Membership.objects.create(workshop=workshop, user=actor, role=Role.FACILITATOR)
    return workshop


WORKSHOP_LIMITS = {"name": (TITLE_MAX, True), "description": (DESCRIPTION_MAX, False)}


def workshop_update(*, actor, workshop: Workshop, **changes) -> Workshop:
    require_role(actor, workshop, Role.FACILITATOR)
    only(changes, WORKSHOP_LIMITS)
    set_texts(workshop, changes, WORKSHOP_LIMITS)
    workshop.save(update_fields=list(changes) or None)
    return workshop


def workshop_delete(*, actor, workshop: Workshop) -> None:
    require_role(actor, workshop, Role.FACILITATOR)
    map_ids = list(workshop.maps.values_list("pk", flat=True))
    with transaction.atomic():
        workshop.delete()
        for map_id in map_ids:
            transaction.on_commit(functools.partial(broadcast.broadcast_map_deleted, map_id))


# --- members --------------------------------------------------------------------------------

NOT_ADDABLE = (
    "You can add people you already work with in one of your workshops. To bring in "
    "someone else, send them an invite link."
)


def member_to_add(*, actor, workshop: Workshop, username: str):
    """The account a facilitator adds by its username. Only someone who shares a workshop with
    them (they already see each other's names there) or anyone, for staff (who see every account
    in the admin): for everyone else the answer is the same whether such an account exists or
    not, so that the form tells nobody which usernames exist. Others join by an invite link."""
    require_role(actor, workshop, Role.FACILITATOR)
    username = text("username", username, max_length=150, required=True)
    accounts = get_user_model().objects.filter(username=username)
    if not actor.is_staff:
        accounts = accounts.filter(memberships__workshop__memberships__user=actor)
    user = accounts.distinct().first()
    if user is None:
        refuse("username", NOT_ADDABLE)
    return user


def membership_set(*, actor, workshop: Workshop, user, role: str) -> Membership:
    """Add a member, or change a member's role."""
    require_role(actor, workshop, Role.FACILITATOR)
    role = choice("role", role, Role)
    _check_guest(user, workshop, role)
    with transaction.atomic():
        membership, _ = Membership.objects.select_for_update().get_or_create(
            workshop=workshop, user=user, defaults={"role": role}
        )
        if membership.role != role:
            _keep_a_facilitator(workshop, leaving=membership)
            membership.role = role
            membership.save(update_fields=["role"])
            broadcast.access_changed_on_commit(workshop, [user.pk])
    return membership


def _check_guest(user, workshop: Workshop, role: str) -> None:
    """A guest belongs to the one workshop of their link, and never runs it."""
    guest = guest_of(user)
    if guest and guest.invite.workshop_id != workshop.pk:
        refuse(
            "user",
            f"{guest.display_name} is a guest of another workshop; guests belong "
            "to one workshop. Ask them to sign up.",
        )
    if guest and role == Role.FACILITATOR:
        refuse(
            "role",
            f"{guest.display_name} is a guest; guests can be editors or viewers. "
            "Ask them to sign up to facilitate.",
        )


def membership_remove(*, actor, workshop: Workshop, user) -> None:
    require_role(actor, workshop, Role.FACILITATOR)
    with transaction.atomic():
        membership = Membership.objects.filter(workshop=workshop, user=user).first()
        if membership is None:
            refuse("user", "Not a member of this workshop.")
        _keep_a_facilitator(workshop, leaving=membership)
        membership.delete()
        broadcast.access_changed_on_commit(workshop, [user.pk])


def _keep_a_facilitator(workshop: Workshop, *, leaving: Membership):
    if leaving.role != Role.FACILITATOR:
        return
    others = workshop.memberships.filter(role=Role.FACILITATOR).exclude(pk=leaving.pk)
    if not others.exists():
        refuse("role", "A workshop needs at least one facilitator; appoint another first.")


# --- personas -------------------------------------------------------------------------------

PERSONA_LIMITS = {
    "name": (TITLE_MAX, True),
    "segment": (TITLE_MAX, False),
    "description": (DESCRIPTION_MAX, False),
    "goals": (DESCRIPTION_MAX, False),
}


def persona_create(*, actor, workshop: Workshop, name: str, **fields) -> Persona:
    require_role(actor, workshop, Role.FACILITATOR)
    persona = Persona(workshop=workshop)
    set_texts(persona, {"name": name, **fields}, PERSONA_LIMITS)
    persona.save()
    return persona


def persona_update(*, actor, persona: Persona, **changes) -> Persona:
    require_role(actor, persona.workshop, Role.FACILITATOR)
    set_texts(persona, changes, PERSONA_LIMITS)
    persona.save()
    return persona


def persona_delete(*, actor, persona: Persona) -> None:
    require_role(actor, persona.workshop, Role.FACILITATOR)
    persona.delete()
