"""The webhooks API's routes, included at api/ beside the workshops API."""

from django.urls import path

from . import webhooks

prefix = "workshops/<id:workshop_id>/webhooks/"
one = f"{prefix}<id:webhook_id>/"

urlpatterns = [
    path(prefix, webhooks.WebhookList.as_view(), name="api-webhook-list"),
    path(one, webhooks.WebhookDetail.as_view(), name="api-webhook-detail"),
    path(f"{one}secret/", webhooks.WebhookSecret.as_view(), name="api-webhook-secret"),
    path(f"{one}test/", webhooks.WebhookTest.as_view(), name="api-webhook-test"),
    path(f"{one}deliveries/", webhooks.DeliveryList.as_view(), name="api-webhook-deliveries"),
    path(
        f"{one}deliveries/<id:delivery_id>/resend/",
        webhooks.DeliveryResend.as_view(),
        name="api-delivery-resend",
    ),
]
