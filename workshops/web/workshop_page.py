"""The workshop page, drawn again with a refused form's errors: the pages of workshops and of
invites both answer with it."""

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse

from ..access import role_of
from ..models import Role, Workshop
from ..services import invites
from .forms import InviteForm, MapForm, MemberForm, PersonaForm


def workshop_page(request, workshop: Workshop, **forms):
    """The workshop page; a refused form is passed back in `forms` to show its errors."""
    role = role_of(request.user, workshop)
    context = {
        "workshop": workshop,
        "role": role,
        "maps": workshop.maps.select_related("persona").annotate(card_count=Count("cards")),
        "personas": workshop.personas.all(),
        "memberships": workshop.memberships.select_related("user__guest"),
        "member_error": forms.pop("member_error", None),
    }
    if role == Role.FACILITATOR:
        context.update(
            {
                "map_form": MapForm(workshop=workshop),
                "persona_form": PersonaForm(),
                "member_form": MemberForm(),
                "role_choices": Role.choices,
                **invite_context(request, workshop),
                **forms,
            }
        )
    status = 400 if forms or context["member_error"] else 200
    return render(request, "workshops/workshop_detail.html", context, status=status)


def invite_context(request, workshop: Workshop) -> dict:
    """What the facilitator's "Invite people" section shows (templates/workshops/_invites.html)."""
    links = list(invites.invites_active(workshop))
    for invite in links:
        invite.url = request.build_absolute_uri(reverse("join", args=[invite.token]))
    return {"invite_form": InviteForm(), "invites": links}
