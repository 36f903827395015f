"""The pages of notifications: a workshop's webhooks, a person's e-mail settings, and the
digest's unsubscribe link."""

from django.urls import path

from . import preferences, webhooks

prefix = "workshops/<id:workshop_id>/webhooks/"
one = f"{prefix}<id:webhook_id>/"

urlpatterns = [
    path(prefix, webhooks.webhooks_page, name="workshop-webhooks"),
    path(one, webhooks.webhook_page, name="workshop-webhook"),
    path(f"{one}secret/", webhooks.webhook_secret, name="workshop-webhook-secret"),
    path(f"{one}test/", webhooks.webhook_test, name="workshop-webhook-test"),
    path(f"{one}delete/", webhooks.webhook_delete, name="workshop-webhook-delete"),
    path(
        f"{one}deliveries/<id:delivery_id>/resend/",
        webhooks.delivery_resend,
        name="workshop-webhook-resend",
    ),
    path("notifications/", preferences.preferences_page, name="notifications-preferences"),
    path(
        "notifications/unsubscribe/<str:token>/",
        preferences.unsubscribe,
        name="notifications-unsubscribe",
    ),
]
