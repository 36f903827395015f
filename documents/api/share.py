"""The REST API of a map's share links (facilitators only; docs/sharing.md): list, create,
revoke. Built as the rest of the API (workshops/api/base.py): the role first, a small input
serializer, then the service (documents/sharing/links.py) holds the rules.

The token is only in the answer that made the link (`token` and `url`); the list names each
link by its `hint`, the token's first characters, and its `label`."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from workshops.access import map_for
from workshops.api.base import ApiView, deletes, parse, reads, text_field, writes
from workshops.models import Role
from workshops.serializers import display_name

from ..models import ShareLink
from ..sharing import links

EXPIRES_HELP = (
    f"{', '.join(links.EXPIRY_CHOICES)}, or an ISO 8601 date and time with its zone, within a "
    f"year (default {links.DEFAULT_EXPIRY}); never: until revoked."
)


class ShareLinkInput(serializers.Serializer):
    label = text_field(
        required=False,
        limit=links.LABEL_MAX,
        help_text="Who the link is for, to tell links apart (e.g. Board meeting).",
    )
    expires = serializers.CharField(required=False, help_text=EXPIRES_HELP)
    include_evidence = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Show the evidence: counts, scores and a few pieces a stage (default: false).",
    )
    allow_png = serializers.BooleanField(
        required=False, default=True, help_text="Offer the map as a picture (default: true)."
    )
    follow_present = serializers.BooleanField(
        required=False,
        default=False,
        help_text="While a facilitator presents the map, the page shows the stage presented "
        "(default: false).",
    )


class ShareLinkOutput(serializers.ModelSerializer):
    hint = serializers.SerializerMethodField(help_text="The token's first characters.")
    state = serializers.SerializerMethodField()
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "map",
            "label",
            "hint",
            "state",
            "include_evidence",
            "allow_png",
            "follow_present",
            "created_by",
            "created_by_name",
            "created_at",
            "expires_at",
        ]

    def get_hint(self, link) -> str:
        return f"{link.hint}…"

    @extend_schema_field(serializers.ChoiceField(choices=links.LINK_STATES))
    def get_state(self, link) -> str:
        active, expired = links.LINK_STATES
        return expired if links.is_expired(link) else active

    def get_created_by_name(self, link) -> str:
        return display_name(link.created_by)


class NewShareLinkOutput(ShareLinkOutput):
    token = serializers.CharField(help_text="Shown this once: only its hash is kept.")
    url = serializers.CharField(help_text="The link to hand out; shown this once.")

    class Meta(ShareLinkOutput.Meta):
        fields = ShareLinkOutput.Meta.fields + ["token", "url"]


def _expires(value: str | None):
    if value is None or value in links.EXPIRY_CHOICES:
        return value
    try:
        return serializers.DateTimeField().to_internal_value(value)
    except serializers.ValidationError:
        choices = ", ".join(links.EXPIRY_CHOICES)
        words = f"Choose one of {choices}, or give an ISO 8601 date and time with its zone."
        raise serializers.ValidationError({"expires": [words]}) from None


class ShareLinkList(ApiView):
    @reads(ShareLinkOutput(many=True), summary="The map's share links, newest first (facilitator)")
    def get(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.FACILITATOR)
        found = links.share_links_of(actor=request.user, map=journey_map)
        return Response(ShareLinkOutput(found, many=True).data)

    @writes(
        ShareLinkInput,
        NewShareLinkOutput,
        code=201,
        summary="Make a public read-only link to the map (facilitator); its token shows once",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.FACILITATOR)
        data = parse(ShareLinkInput, request)
        link, token = links.share_link_create(
            actor=request.user,
            map=journey_map,
            label=data.get("label", ""),
            expires=_expires(data.get("expires")),
            include_evidence=data["include_evidence"],
            allow_png=data["allow_png"],
            follow_present=data["follow_present"],
        )
        url = request.build_absolute_uri(reverse("share-page", args=[token]))
        link.token, link.url = token, url
        return Response(NewShareLinkOutput(link).data, status=status.HTTP_201_CREATED)


class ShareLinkDetail(ApiView):
    @deletes(summary="Revoke a share link (facilitator): it answers 404 from now on")
    def delete(self, request, map_id, share_link_id):
        journey_map = map_for(request.user, map_id, Role.FACILITATOR)
        link = links.share_link_for(actor=request.user, map=journey_map, link_id=share_link_id)
        links.share_link_revoke(actor=request.user, link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)
