"""The REST API of invite links (facilitators only), built as the rest of the API (base.py):
the access helpers, a small input serializer, one service in services/invites.py."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from rest_framework import serializers, status
from rest_framework.response import Response

from ..models import Invite, Role
from ..services import invites
from .base import ApiView, deletes, optional_int, parse, reads, workshop_of, writes


class InviteInput(serializers.Serializer):
    role = serializers.CharField(help_text="editor or viewer.")
    expires = serializers.CharField(
        help_text="1h, 1d, 7d or 30d, or an ISO 8601 date and time with its zone, within 30 days."
    )
    map = optional_int(
        help_text="A map of the workshop: people who join land on its board (default: none, "
        "they land on the workshop page)."
    )


class InviteOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The link to hand out.")
    state = serializers.SerializerMethodField(help_text="active, expired or revoked.")
    guests = serializers.IntegerField(
        source="guests.count", read_only=True, help_text="How many guests joined by it."
    )

    class Meta:
        model = Invite
        fields = [
            "id",
            "workshop",
            "map",
            "role",
            "url",
            "state",
            "created_by",
            "created_at",
            "expires_at",
            "revoked_at",
            "guests",
        ]

    def get_url(self, invite) -> str:
        return self.context["request"].build_absolute_uri(reverse("join", args=[invite.token]))

    def get_state(self, invite) -> str:
        return invites.invite_state(invite)


class InviteList(ApiView):
    @reads(
        InviteOutput(many=True), summary="The workshop's invite links, newest first (facilitator)"
    )
    def get(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        links = workshop.invites.all()
        return Response(InviteOutput(links, many=True, context={"request": request}).data)

    @writes(InviteInput, InviteOutput, code=201, summary="Create an invite link (facilitator)")
    def post(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        data = parse(InviteInput, request)
        invite = invites.invite_create(
            actor=request.user,
            workshop=workshop,
            role=data["role"],
            expires=_expires(data["expires"]),
            map_id=data.get("map"),
        )
        body = InviteOutput(invite, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


def _expires(value: str):
    if value in invites.EXPIRY_CHOICES:
        return value
    try:
        return serializers.DateTimeField().to_internal_value(value)
    except serializers.ValidationError as error:
        raise serializers.ValidationError({"expires": error.detail}) from None


class InviteDetail(ApiView):
    def invite(self, request, workshop_id, invite_id) -> Invite:
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        return get_object_or_404(workshop.invites, pk=invite_id)

    @reads(InviteOutput)
    def get(self, request, workshop_id, invite_id):
        invite = self.invite(request, workshop_id, invite_id)
        return Response(InviteOutput(invite, context={"request": request}).data)

    @deletes(
        summary="Revoke the link: nobody joins by it any more and its guests lose access "
        "(facilitator)"
    )
    def delete(self, request, workshop_id, invite_id):
        invite = self.invite(request, workshop_id, invite_id)
        invites.invite_revoke(actor=request.user, invite=invite)
        return Response(status=status.HTTP_204_NO_CONTENT)
