"""The workshop pages: your workshops, one workshop with its maps, personas and members.
Reads go through the access helpers; writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import services
from ..access import workshop_for
from ..models import Membership, Role, Workshop
from .confirm import confirm_delete
from .forms import MapForm, MemberForm, PersonaForm, RoleForm, WorkshopForm, apply
from .workshop_page import persona_edit_form, workshop_page

# --- workshops ------------------------------------------------------------------------------


@login_required
def workshop_list(request):
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workshop = apply(form, services.workshop_create, actor=request.user, **form.cleaned_data)
        if workshop:
            messages.success(request, f"Workshop “{workshop.name}” created. You facilitate it.")
            return redirect("workshop-detail", workshop.pk)
    # Counted outside the for_user filter, whose join would count only the user's membership.
    # The maps in use: archived ones are out of the lists until restored.
    in_use = Count("maps", filter=Q(maps__archived_at__isnull=True), distinct=True)
    workshops = Workshop.objects.filter(pk__in=Workshop.objects.for_user(request.user)).annotate(
        map_count=in_use, member_count=Count("memberships", distinct=True)
    )
    roles = dict(Membership.objects.filter(user=request.user).values_list("workshop_id", "role"))
    for workshop in workshops:
        workshop.my_role = roles.get(workshop.pk)
    return render(
        request,
        "workshops/workshop_list.html",
        {"workshops": workshops, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def workshop_detail(request, workshop_id: int):
    return workshop_page(request, workshop_for(request.user, workshop_id))


@login_required
@require_POST
def workshop_update(request, workshop_id: int):
    workshop = _facilitated(request, workshop_id)
    form = WorkshopForm(request.POST, prefix="workshop")
    updated = form.is_valid() and apply(
        form, services.workshop_update, actor=request.user, workshop=workshop, **form.cleaned_data
    )
    if not updated:
        workshop.refresh_from_db()  # the page's heading keeps the name it has
        return workshop_page(request, workshop, workshop_form=form)
    messages.success(request, f"Workshop saved as “{updated.name}”.")
    return redirect("workshop-detail", workshop.pk)


def _facilitated(request, workshop_id: int) -> Workshop:
    """Management needs the facilitator role: 404 for outsiders, 403 for other members."""
    return workshop_for(request.user, workshop_id, Role.FACILITATOR)


@login_required
@require_POST
def map_create(request, workshop_id: int):
    workshop = _facilitated(request, workshop_id)
    form = MapForm(request.POST, workshop=workshop)
    journey_map = form.is_valid() and apply(
        form, services.map_create, actor=request.user, workshop=workshop, **form.service_kwargs()
    )
    if not journey_map:
        return workshop_page(request, workshop, map_form=form)
    messages.success(request, f"Map “{journey_map.title}” created.")
    return redirect("map-board", journey_map.pk)


@login_required
@require_POST
def persona_create(request, workshop_id: int):
    workshop = _facilitated(request, workshop_id)
    form = PersonaForm(request.POST)
    persona = form.is_valid() and apply(
        form, services.persona_create, actor=request.user, workshop=workshop, **form.cleaned_data
    )
    if not persona:
        return workshop_page(request, workshop, persona_form=form)
    messages.success(request, f"Persona “{persona.name}” added.")
    return redirect("workshop-detail", workshop.pk)


@login_required
@require_POST
def persona_update(request, workshop_id: int, persona_id: int):
    workshop = _facilitated(request, workshop_id)
    persona = get_object_or_404(workshop.personas, pk=persona_id)
    form = persona_edit_form(persona, request.POST)
    saved = form.is_valid() and apply(
        form, services.persona_update, actor=request.user, persona=persona, **form.cleaned_data
    )
    if not saved:
        return workshop_page(request, workshop, persona_forms={persona.pk: form})
    messages.success(request, f"Persona “{saved.name}” saved.")
    return redirect(reverse("workshop-detail", args=[workshop.pk]) + f"#persona-{persona.pk}")


@login_required
def persona_delete(request, workshop_id: int, persona_id: int):
    """GET asks to confirm; POST deletes. The maps about the persona stay, about no one."""
    workshop = _facilitated(request, workshop_id)
    persona = get_object_or_404(workshop.personas, pk=persona_id)
    if request.method != "POST":
        maps = persona.maps.count()
        return confirm_delete(
            request,
            title=f"Delete the persona “{persona.name}”?",
            consequences=[
                f"{maps} map{'s are' if maps != 1 else ' is'} about {persona.name}: "
                "they stay, and are then about no persona."
                if maps
                else "No map is about this persona.",
                "The persona's name, segment, description and goals are deleted for good.",
            ],
            action=request.path,
            cancel=reverse("workshop-detail", args=[workshop.pk]) + f"#persona-{persona.pk}",
            button="Delete the persona",
        )
    services.persona_delete(actor=request.user, persona=persona)
    messages.success(request, f"Persona “{persona.name}” deleted.")
    return redirect("workshop-detail", workshop.pk)


@login_required
@require_POST
def member_add(request, workshop_id: int):
    workshop = _facilitated(request, workshop_id)
    form = MemberForm(request.POST)
    user = form.is_valid() and apply(
        form,
        services.member_to_add,
        actor=request.user,
        workshop=workshop,
        username=form.cleaned_data["username"],
    )
    if user and workshop.memberships.filter(user=user).exists():
        form.add_error("username", f"{user.username} is already a member; change their role below.")
    membership = (
        user
        and form.is_valid()
        and apply(
            form,
            services.membership_set,
            actor=request.user,
            workshop=workshop,
            user=user,
            role=form.cleaned_data["role"],
        )
    )
    if not membership:
        return workshop_page(request, workshop, member_form=form)
    role = membership.get_role_display().lower()
    messages.success(request, f"{user.username} joined as {role}.")
    return redirect("workshop-detail", workshop.pk)


@login_required
@require_POST
def member_role(request, workshop_id: int, user_id: int):
    workshop = _facilitated(request, workshop_id)
    membership = get_object_or_404(workshop.memberships.select_related("user"), user_id=user_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        apply(
            form,
            services.membership_set,
            actor=request.user,
            workshop=workshop,
            user=membership.user,
            role=form.cleaned_data["role"],
        )
    if form.errors:
        return workshop_page(request, workshop, member_error=(user_id, _messages(form)))
    messages.success(request, f"{membership.user.username} is now {form.cleaned_data['role']}.")
    return redirect("workshop-detail", workshop.pk)


@login_required
@require_POST
def member_remove(request, workshop_id: int, user_id: int):
    workshop = _facilitated(request, workshop_id)
    membership = get_object_or_404(workshop.memberships.select_related("user"), user_id=user_id)
    form = RoleForm({"role": membership.role})  # only a place to collect the refusal
    apply(
        form,
        services.membership_remove,
        actor=request.user,
        workshop=workshop,
        user=membership.user,
    )
    if form.errors:
        return workshop_page(request, workshop, member_error=(user_id, _messages(form)))
    messages.success(request, f"{membership.user.username} was removed from the workshop.")
    if membership.user == request.user:
        return redirect("workshop-list")
    return redirect("workshop-detail", workshop.pk)


def _messages(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]
