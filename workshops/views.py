"""Pages. Reads go through the access helpers; writes through services."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import services, voting
from .access import map_for, role_of, workshop_for
from .forms import MapForm, MemberForm, PersonaForm, RoleForm, WorkshopForm, apply
from .models import ROLE_RANK, JourneyMap, Membership, Role, Workshop
from .views_invites import invite_context

# --- accounts -------------------------------------------------------------------------------


def signup(request):
    if request.user.is_authenticated:
        return redirect("workshop-list")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.save(), backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Create a workshop, or ask a facilitator to add you.")
        return redirect("workshop-list")
    return render(request, "registration/signup.html", {"form": form},
                  status=400 if form.errors else 200)


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
    workshops = Workshop.objects.filter(pk__in=Workshop.objects.for_user(request.user)).annotate(
        map_count=Count("maps", distinct=True), member_count=Count("memberships", distinct=True)
    )
    roles = dict(Membership.objects.filter(user=request.user).values_list("workshop_id", "role"))
    for workshop in workshops:
        workshop.my_role = roles.get(workshop.pk)
    return render(request, "workshops/workshop_list.html", {"workshops": workshops, "form": form},
                  status=400 if form.errors else 200)


@login_required
def workshop_detail(request, workshop_id: int):
    return _workshop_page(request, workshop_for(request.user, workshop_id))


def _workshop_page(request, workshop: Workshop, **forms):
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
        context.update({
            "map_form": MapForm(workshop=workshop),
            "persona_form": PersonaForm(),
            "member_form": MemberForm(),
            "role_choices": Role.choices,
            **invite_context(request, workshop),
            **forms,
        })
    status = 400 if forms or context["member_error"] else 200
    return render(request, "workshops/workshop_detail.html", context, status=status)


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
        return _workshop_page(request, workshop, map_form=form)
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
        return _workshop_page(request, workshop, persona_form=form)
    messages.success(request, f"Persona “{persona.name}” added.")
    return redirect("workshop-detail", workshop.pk)


@login_required
@require_POST
def member_add(request, workshop_id: int):
    workshop = _facilitated(request, workshop_id)
    form = MemberForm(request.POST)
    if form.is_valid() and workshop.memberships.filter(user=form.user).exists():
        form.add_error("username",
                       f"{form.user.username} is already a member; change their role below.")
    membership = form.is_valid() and apply(
        form, services.membership_set, actor=request.user, workshop=workshop, user=form.user,
        role=form.cleaned_data["role"],
    )
    if not membership:
        return _workshop_page(request, workshop, member_form=form)
    role = membership.get_role_display().lower()
    messages.success(request, f"{form.user.username} joined as {role}.")
    return redirect("workshop-detail", workshop.pk)


@login_required
@require_POST
def member_role(request, workshop_id: int, user_id: int):
    workshop = _facilitated(request, workshop_id)
    membership = get_object_or_404(workshop.memberships.select_related("user"), user_id=user_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        apply(form, services.membership_set, actor=request.user, workshop=workshop,
              user=membership.user, role=form.cleaned_data["role"])
    if form.errors:
        return _workshop_page(request, workshop, member_error=(user_id, _messages(form)))
    messages.success(request, f"{membership.user.username} is now {form.cleaned_data['role']}.")
    return redirect("workshop-detail", workshop.pk)


@login_required
@require_POST
def member_remove(request, workshop_id: int, user_id: int):
    workshop = _facilitated(request, workshop_id)
    membership = get_object_or_404(workshop.memberships.select_related("user"), user_id=user_id)
    form = RoleForm({"role": membership.role})  # only a place to collect the refusal
    apply(form, services.membership_remove, actor=request.user, workshop=workshop,
          user=membership.user)
    if form.errors:
        return _workshop_page(request, workshop, member_error=(user_id, _messages(form)))
    messages.success(request, f"{membership.user.username} was removed from the workshop.")
    if membership.user == request.user:
        return redirect("workshop-list")
    return redirect("workshop-detail", workshop.pk)


def _messages(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


# --- the board ------------------------------------------------------------------------------


@login_required
def map_board(request, map_id: int):
    journey_map = map_for(request.user, map_id)
    journey_map = JourneyMap.objects.with_board(viewer=request.user).get(pk=journey_map.pk)
    role = role_of(request.user, journey_map.workshop)
    return render(request, "workshops/board.html", {
        "journey_map": journey_map,
        "board": voting.board_data(journey_map, request.user),
        "role": role,
        "can_edit": ROLE_RANK[role] >= ROLE_RANK[Role.EDITOR],
    })
