"""Pages for invite links: the facilitator's "Invite people" forms on the workshop page, a link
shown as a QR code for the room, and the join page a link opens. The rules live in
workshops/services/invites.py."""

import functools

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from ..access import guest_of, role_of, workshop_for
from ..models import Invite, Role
from ..rates import over_rate
from ..services import invites
from .accounts import over_the_rate
from .forms import GuestForm, InviteForm, apply
from .workshop_page import invite_url, workshop_page

# A QR code's quiet zone, in modules, as the standard asks; and how large each module is drawn,
# so that a phone reads the code from a seat at the back of the room off a projected page.
QR_BORDER = 4
QR_MODULE_PX = 12


def not_for_guests(view):
    """Refuse a page to guests: they have no password, and no life outside their workshop."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if guest_of(request.user):
            raise PermissionDenied(
                "Guests have no password here: sign up for an account to have one."
            )
        return view(request, *args, **kwargs)

    return wrapped


# --- the facilitator's side -----------------------------------------------------------------


@login_required
@require_POST
def invite_create(request, workshop_id: int):
    workshop = workshop_for(request.user, workshop_id, Role.FACILITATOR)
    form = InviteForm(request.POST, workshop=workshop)
    invite = form.is_valid() and apply(
        form, invites.invite_create, actor=request.user, workshop=workshop, **form.service_kwargs()
    )
    if not invite:
        return workshop_page(request, workshop, invite_form=form)
    messages.success(
        request,
        f"Invite link created: people who open it join as "
        f"{invite.get_role_display().lower()}s. Copy it below.",
    )
    return redirect(reverse("workshop-detail", args=[workshop.pk]) + "#invites")


@login_required
@require_POST
def invite_revoke(request, workshop_id: int, invite_id: int):
    workshop = workshop_for(request.user, workshop_id, Role.FACILITATOR)
    invite = get_object_or_404(workshop.invites, pk=invite_id)
    invites.invite_revoke(actor=request.user, invite=invite)
    messages.success(
        request,
        "Invite link revoked: nobody joins by it any more, and the guests "
        "who joined by it have lost access.",
    )
    return redirect(reverse("workshop-detail", args=[workshop.pk]) + "#invites")


@login_required
def invite_qr(request, workshop_id: int, invite_id: int):
    """The link large and as a QR code, to put on the projector while people sit down."""
    workshop = workshop_for(request.user, workshop_id, Role.FACILITATOR)
    invite = get_object_or_404(invites.invites_active(workshop), pk=invite_id)
    url = invite_url(request, invite)
    context = {"workshop": workshop, "invite": invite, "url": url, "qr_svg": qr_svg(url)}
    return render(request, "workshops/invite_qr.html", context)


def qr_svg(text: str) -> str:
    """`text` as a QR code in SVG, drawn here (no outside service sees the link): a viewBox so
    that the page can scale it, and a size in pixels for where CSS does not reach."""
    code = segno.make(text, error="m")
    side = code.symbol_size(border=QR_BORDER)[0] * QR_MODULE_PX
    svg = code.svg_inline(
        border=QR_BORDER, omitsize=True, svgclass="qr-code", lineclass="qr-modules"
    )
    # segno's own markup, the text only encoded in its path: nothing in it comes from a person.
    sized = svg.replace(
        "<svg ",
        f'<svg width="{side}" height="{side}" role="img" aria-label="QR code of the link" ',
        1,
    )
    return mark_safe(sized)


# --- the join page --------------------------------------------------------------------------


def _ended(request, invite: Invite, error: invites.InviteEnded):
    return render(
        request, "workshops/join_ended.html", {"invite": invite, "reason": str(error)}, status=410
    )


def join(request, token: str):
    """GET: what the link offers; POST: a logged-in user joins with it."""
    invite = get_object_or_404(Invite.objects.select_related("workshop", "map"), token=token)
    try:
        invites.invite_check_open(invite)
        if request.method == "POST" and request.user.is_authenticated:
            invites.invite_accept(user=request.user, invite=invite)
            return _joined(request, invite)
    except invites.InviteEnded as error:
        return _ended(request, invite, error)
    except PermissionDenied as refusal:  # a guest of another workshop
        return _join_page(request, invite, refusal=str(refusal), status=403)
    return _join_page(request, invite)


@require_POST
def join_as_guest(request, token: str):
    # Each guest is a new account: one address may make only so many (the `join` rate).
    wait = over_rate(request, "join")
    if wait is not None:
        return over_the_rate(request, wait, "Too many guests joined from your address for now.")
    invite = get_object_or_404(Invite.objects.select_related("workshop", "map"), token=token)
    if request.user.is_authenticated:
        return _join_page(
            request,
            invite,
            status=400,
            refusal=("You are logged in: join with your account, or log out to join as a guest."),
        )
    form = GuestForm(request.POST)
    try:
        guest = form.is_valid() and apply(
            form,
            invites.guest_join,
            invite=invite,
            display_name=form.cleaned_data["display_name"],
            request=request,
        )
    except invites.InviteEnded as error:
        return _ended(request, invite, error)
    if not guest:
        return _join_page(request, invite, guest_form=form, status=400)
    return _joined(request, invite)


def _joined(request, invite: Invite):
    """Welcome, then the board of the link's map, or the workshop page for a link without one."""
    role = role_of(request.user, invite.workshop)
    messages.success(request, f"Welcome to “{invite.workshop.name}”. You take part as {role}.")
    if invite.map_id is not None:
        return redirect("map-board", invite.map_id)
    return redirect("workshop-detail", invite.workshop_id)


def _join_page(request, invite: Invite, *, guest_form=None, refusal=None, status=200):
    user = request.user
    guest = guest_of(user)
    if refusal is None and guest and guest.invite_id != invite.pk:
        refusal, status = invites.guest_elsewhere_message(guest), 403
    return render(
        request,
        "workshops/join.html",
        {
            "invite": invite,
            "workshop": invite.workshop,
            "current_role": role_of(user, invite.workshop),
            "guest_form": guest_form or GuestForm(),
            "refusal": refusal,
        },
        status=status,
    )
