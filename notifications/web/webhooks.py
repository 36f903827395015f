"""The facilitator's webhooks page of a workshop: the endpoints, adding one, and one endpoint's
page (change it, its secret, a test, its deliveries and resending one). Reads and writes go
through notifications/webhooks.py; a refusal comes back onto the form, or as a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from workshops.access import workshop_for
from workshops.models import Role
from workshops.web.forms import apply

from .. import webhooks
from ..models import DeliveryStatus, Webhook
from .forms import WebhookForm

DELIVERIES_SHOWN = 50
SECRET_ONCE = "notifications.webhook_secret_shown"  # the session key: show this one's secret


def _facilitated(request, workshop_id: int):
    """404 for outsiders, 403 for members who do not facilitate."""
    return workshop_for(request.user, workshop_id, Role.FACILITATOR)


def _webhook(request, workshop_id: int, webhook_id: int) -> Webhook:
    return webhooks.webhook_for(request.user, _facilitated(request, workshop_id), webhook_id)


@login_required
def webhooks_page(request, workshop_id: int):
    workshop = _facilitated(request, workshop_id)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = apply(
            form,
            webhooks.webhook_create,
            actor=request.user,
            workshop=workshop,
            **form.service_kwargs(),
        )
        if made:
            request.session[SECRET_ONCE] = made.pk
            messages.success(
                request, "Webhook added. Copy its secret now: it signs every delivery."
            )
            return redirect("workshop-webhook", workshop.pk, made.pk)
    listed = webhooks.webhooks_of(request.user, workshop)
    context = {"workshop": workshop, "webhooks": _with_last_delivery(listed), "form": form}
    return render(
        request, "notifications/webhooks.html", context, status=400 if form.errors else 200
    )


def _with_last_delivery(listed) -> list[Webhook]:
    found = list(listed)
    for webhook in found:
        webhook.last_delivery = webhook.deliveries.first()
    return found


@login_required
def webhook_page(request, workshop_id: int, webhook_id: int):
    webhook = _webhook(request, workshop_id, webhook_id)
    initial = {field: getattr(webhook, field) for field in ("url", "events", "format", "active")}
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = apply(
            form,
            webhooks.webhook_update,
            actor=request.user,
            webhook=webhook,
            **form.service_kwargs(),
        )
        if changed:
            messages.success(request, "Webhook saved.")
            return redirect("workshop-webhook", webhook.workshop_id, webhook.pk)
    shown = request.session.pop(SECRET_ONCE, None) == webhook.pk
    context = {
        "workshop": webhook.workshop,
        "webhook": webhook,
        "form": form,
        "secret": webhook.secret if shown else None,
        "deliveries": webhooks.deliveries_of(request.user, webhook)[:DELIVERIES_SHOWN],
        "finished": [DeliveryStatus.DELIVERED, DeliveryStatus.FAILED],
    }
    status = 400 if form.errors else 200
    return render(request, "notifications/webhook_detail.html", context, status=status)


def _back(webhook: Webhook, anchor: str = ""):
    response = redirect("workshop-webhook", webhook.workshop_id, webhook.pk)
    response["Location"] += anchor
    return response


@login_required
@require_POST
def webhook_secret(request, workshop_id: int, webhook_id: int):
    """Show the secret on the next page only (not in any URL, not kept in the page)."""
    webhook = _webhook(request, workshop_id, webhook_id)
    if request.POST.get("renew"):
        webhook = webhooks.webhook_secret_renew(actor=request.user, webhook=webhook)
        messages.success(
            request, "A new secret signs deliveries from now on: update your receiver."
        )
    request.session[SECRET_ONCE] = webhook.pk
    return _back(webhook, "#secret")


@login_required
@require_POST
def webhook_test(request, workshop_id: int, webhook_id: int):
    webhook = _webhook(request, workshop_id, webhook_id)
    if _done(request, webhooks.webhook_test, actor=request.user, webhook=webhook):
        messages.success(request, "A test message is on its way: see its delivery below.")
    return _back(webhook, "#deliveries")


@login_required
@require_POST
def webhook_delete(request, workshop_id: int, webhook_id: int):
    webhook = _webhook(request, workshop_id, webhook_id)
    webhooks.webhook_delete(actor=request.user, webhook=webhook)
    messages.success(request, f"Webhook to {webhook.url} deleted, with its deliveries.")
    return redirect("workshop-webhooks", webhook.workshop_id)


@login_required
@require_POST
def delivery_resend(request, workshop_id: int, webhook_id: int, delivery_id: int):
    webhook = _webhook(request, workshop_id, webhook_id)
    delivery = webhooks.delivery_for(request.user, webhook, delivery_id)
    if _done(request, webhooks.delivery_resend, actor=request.user, delivery=delivery):
        messages.success(request, f"{delivery.event_type} is being sent again.")
    return _back(webhook, "#deliveries")


def _done(request, service, **kwargs):
    try:
        return service(**kwargs)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return None
