"""The facilitators' page of a map's share links (docs/sharing.md): make one, see them, revoke
them. A new link is shown in the answer to the form that made it and never again (only its
hash is kept), so that answer is not a redirect, and no cache may keep it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from workshops.access import map_for
from workshops.models import Role
from workshops.web.forms import apply

from ..sharing import links


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label="Who it is for",
        required=False,
        max_length=links.LABEL_MAX,
        help_text="To tell your links apart, e.g. Board meeting. Only facilitators see it.",
    )
    expires = forms.ChoiceField(
        label="Expires after",
        initial=links.DEFAULT_EXPIRY,
        choices=[(key, label) for key, (label, _) in links.EXPIRY_CHOICES.items()],
    )
    include_evidence = forms.BooleanField(
        label="Show the evidence",
        required=False,
        help_text="Coverage, scores and a few pieces per stage, pictures included: customer "
        "quotes and answers become readable by anyone with the link.",
    )
    allow_png = forms.BooleanField(
        label="Offer the map as a picture (PNG)", required=False, initial=True
    )
    follow_present = forms.BooleanField(
        label="Follow my presentation",
        required=False,
        help_text="While a facilitator presents the map, the page shows the stage being "
        "presented, for people following from elsewhere.",
    )


@login_required
def map_share_page(request, map_id: int):
    journey_map = map_for(request.user, map_id, Role.FACILITATOR)
    form = ShareLinkForm(request.POST if request.method == "POST" else None)
    created = None
    if form.is_bound and form.is_valid():
        made = apply(
            form, links.share_link_create, actor=request.user, map=journey_map, **form.cleaned_data
        )
        if made:
            created = _created(request, *made)
            form = ShareLinkForm()
    context = {
        "journey_map": journey_map,
        "form": form,
        "created": created,
        "links": _rows(request.user, journey_map),
    }
    response = render(
        request, "documents/share_links.html", context, status=400 if form.errors else 200
    )
    response["Cache-Control"] = "no-store"  # it may hold a new link's token
    return response


def _created(request, link, token: str) -> dict:
    return {"link": link, "url": request.build_absolute_uri(reverse("share-page", args=[token]))}


def _rows(user, journey_map) -> list[dict]:
    return [
        {"link": link, "expired": links.is_expired(link)}
        for link in links.share_links_of(actor=user, map=journey_map)
    ]


@login_required
@require_POST
def map_share_revoke(request, map_id: int, link_id: int):
    journey_map = map_for(request.user, map_id, Role.FACILITATOR)
    link = links.share_link_for(actor=request.user, map=journey_map, link_id=link_id)
    links.share_link_revoke(actor=request.user, link=link)
    name = f"“{link.label}”" if link.label else f"{link.hint}…"
    messages.success(request, f"Revoked the link {name}: it shows nothing from now on.")
    return redirect("map-share", journey_map.pk)
