"""The workshop page, drawn again with a refused form's errors: the pages of workshops, maps,
personas and invites all answer with it."""

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse

from ..access import role_of
from ..models import Role, Workshop
from ..services import invites
from .forms import InviteForm, MapForm, MemberForm, PersonaForm, WorkshopForm


def workshop_page(request, workshop: Workshop, **forms):
    """The workshop page; a refused form is passed back in `forms` to show its errors
    (`persona_forms` maps a persona's id to its refused edit form)."""
    role = role_of(request.user, workshop)
    maps = workshop.maps.select_related("persona").annotate(card_count=Count("cards"))
    context = {
        "workshop": workshop,
        "role": role,
        "maps": maps.active(),
        "archived_maps": maps.archived().order_by("-archived_at", "id"),
        "personas": workshop.personas.all(),
        "memberships": workshop.memberships.select_related("user__guest"),
        "member_error": forms.pop("member_error", None),
    }
    refused_personas = forms.pop("persona_forms", {})
    if role == Role.FACILITATOR:
        context.update(
            {
                "map_form": MapForm(workshop=workshop),
                "persona_form": PersonaForm(),
                "member_form": MemberForm(),
                "workshop_form": WorkshopForm(
                    initial={"name": workshop.name, "description": workshop.description},
                    prefix="workshop",
                ),
                "role_choices": Role.choices,
                **invite_context(request, workshop),
                **forms,
            }
        )
        for persona in context["personas"]:
            persona.form = refused_personas.get(persona.pk) or persona_edit_form(persona)
    refused = forms or refused_personas or context["member_error"]
    return render(
        request, "workshops/workshop_detail.html", context, status=400 if refused else 200
    )


def persona_edit_form(persona, data=None) -> PersonaForm:
    """A persona's own edit form: its prefix keeps the ids of the page's forms apart."""
    initial = {f: getattr(persona, f) for f in ("name", "segment", "description", "goals")}
    return PersonaForm(data, initial=initial, prefix=f"persona-{persona.pk}")


def invite_context(request, workshop: Workshop) -> dict:
    """What the facilitator's "Invite people" section shows (templates/workshops/_invites.html)."""
    links = list(invites.invites_active(workshop))
    for invite in links:
        invite.url = invite_url(request, invite)
    return {"invite_form": InviteForm(workshop=workshop), "invites": links}


def invite_url(request, invite) -> str:
    return request.build_absolute_uri(reverse("join", args=[invite.token]))
