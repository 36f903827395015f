"""The REST API of a workshop's webhooks (facilitators only; docs/api.md "Webhooks"), built as
the rest of the API (workshops/api/base.py): the role first, a small input serializer for the
types, one service in notifications/webhooks.py for the rules."""

import json

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from workshops.api.base import (
    TYPED,
    ApiView,
    deletes,
    parse,
    reads,
    text_field,
    workshop_of,
    writes,
)
from workshops.models import Role

from .. import webhooks
from ..addresses import URL_MAX
from ..models import Delivery, Event, Format, Webhook

TAGGED = extend_schema(tags=["webhooks"])
DELIVERIES_LISTED = 100


class StrictBooleanField(serializers.BooleanField):
    """In a JSON body, true or false; not "true" or 1, as the schema says."""

    def to_internal_value(self, data):
        if self.context.get(TYPED) and not isinstance(data, bool):
            self.fail("invalid", input=data)
        return super().to_internal_value(data)


class WebhookInput(serializers.Serializer):
    url = text_field(
        nonblank=True,
        limit=URL_MAX,
        help_text="http(s); not a loopback, private or link-local address. A Slack incoming "
        "webhook (https://hooks.slack.com/services/...) gets Slack's format.",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(Event.choices), min_length=1, max_length=len(Event.values)
    )
    format = serializers.ChoiceField(
        Format.choices,
        required=False,
        help_text="json (signed, docs/webhooks.md) or slack; by default slack for a Slack URL.",
    )
    active = StrictBooleanField(required=False, help_text="Off: nothing is sent. On by default.")


class WebhookOutput(serializers.ModelSerializer):
    deliveries_url = serializers.SerializerMethodField()

    class Meta:
        model = Webhook
        fields = ["id", "workshop", "url", "format", "events", "active", "created_by"]
        fields += ["created_at", "deliveries_url"]

    def get_deliveries_url(self, webhook) -> str:
        return reverse("api-webhook-deliveries", args=[webhook.workshop_id, webhook.pk])


class WebhookCreatedOutput(WebhookOutput):
    secret = serializers.CharField(
        help_text="Signs every delivery (X-CJM-Signature). Shown here, and at secret/ on request."
    )

    class Meta(WebhookOutput.Meta):
        fields = [*WebhookOutput.Meta.fields, "secret"]


class SecretOutput(serializers.Serializer):
    secret = serializers.CharField()


class DeliveryOutput(serializers.ModelSerializer):
    payload = serializers.SerializerMethodField(help_text="The body as sent, parsed.")

    class Meta:
        model = Delivery
        fields = ["id", "webhook", "event_id", "event_type", "status", "attempts", "created_at"]
        fields += ["attempted_at", "next_attempt_at", "response_code", "reason", "resent"]
        fields += ["resend_of"]
        fields += ["payload"]

    def get_payload(self, delivery) -> dict:
        return json.loads(delivery.body)


def webhook_of(request, workshop_id, webhook_id) -> Webhook:
    workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
    return webhooks.webhook_for(request.user, workshop, webhook_id)


@TAGGED
class WebhookList(ApiView):
    @reads(WebhookOutput(many=True), summary="The workshop's webhooks (facilitator)")
    def get(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        found = webhooks.webhooks_of(request.user, workshop)
        return Response(WebhookOutput(found, many=True).data)

    @writes(
        WebhookInput,
        WebhookCreatedOutput,
        code=201,
        summary="Register a webhook; the answer holds its secret (facilitator)",
    )
    def post(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        data = parse(WebhookInput, request)
        made = webhooks.webhook_create(actor=request.user, workshop=workshop, **data)
        return Response(WebhookCreatedOutput(made).data, status=status.HTTP_201_CREATED)


@TAGGED
class WebhookDetail(ApiView):
    @reads(WebhookOutput)
    def get(self, request, workshop_id, webhook_id):
        return Response(WebhookOutput(webhook_of(request, workshop_id, webhook_id)).data)

    @writes(
        WebhookInput(partial=True),
        WebhookOutput,
        summary="Change the URL, events, format, or turn it on or off (facilitator)",
    )
    def patch(self, request, workshop_id, webhook_id):
        webhook = webhook_of(request, workshop_id, webhook_id)
        changes = parse(WebhookInput, request, partial=True)
        changed = webhooks.webhook_update(actor=request.user, webhook=webhook, **changes)
        return Response(WebhookOutput(changed).data)

    @deletes(summary="Delete the webhook and its deliveries (facilitator)")
    def delete(self, request, workshop_id, webhook_id):
        webhook = webhook_of(request, workshop_id, webhook_id)
        webhooks.webhook_delete(actor=request.user, webhook=webhook)
        return Response(status=status.HTTP_204_NO_CONTENT)


@TAGGED
class WebhookSecret(ApiView):
    @reads(SecretOutput, summary="The webhook's secret (facilitator)")
    def get(self, request, workshop_id, webhook_id):
        webhook = webhook_of(request, workshop_id, webhook_id)
        return Response({"secret": webhook.secret})

    @writes(None, SecretOutput, summary="Replace the secret with a new one (facilitator)")
    def post(self, request, workshop_id, webhook_id):
        webhook = webhook_of(request, workshop_id, webhook_id)
        renewed = webhooks.webhook_secret_renew(actor=request.user, webhook=webhook)
        return Response({"secret": renewed.secret})


@TAGGED
class WebhookTest(ApiView):
    @writes(
        None,
        DeliveryOutput,
        code=202,
        summary="Send a webhook.test message now, in the background (facilitator)",
    )
    def post(self, request, workshop_id, webhook_id):
        webhook = webhook_of(request, workshop_id, webhook_id)
        sent = webhooks.webhook_test(actor=request.user, webhook=webhook)
        return Response(DeliveryOutput(sent).data, status=status.HTTP_202_ACCEPTED)


@TAGGED
class DeliveryList(ApiView):
    @reads(DeliveryOutput(many=True), summary="The webhook's last 100 deliveries, newest first")
    def get(self, request, workshop_id, webhook_id):
        webhook = webhook_of(request, workshop_id, webhook_id)
        found = webhooks.deliveries_of(request.user, webhook)[:DELIVERIES_LISTED]
        return Response(DeliveryOutput(found, many=True).data)


@TAGGED
class DeliveryResend(ApiView):
    @writes(
        None,
        DeliveryOutput,
        code=202,
        summary="Send a delivery's message again, as a new delivery (facilitator)",
    )
    def post(self, request, workshop_id, webhook_id, delivery_id):
        webhook = webhook_of(request, workshop_id, webhook_id)
        delivery = webhooks.delivery_for(request.user, webhook, delivery_id)
        again = webhooks.delivery_resend(actor=request.user, delivery=delivery)
        return Response(DeliveryOutput(again).data, status=status.HTTP_202_ACCEPTED)
