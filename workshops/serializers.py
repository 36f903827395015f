"""How the domain looks on the wire: the REST API, the live-board events and snapshots all use
these, so a card reads the same wherever it comes from. Representation only, no rules."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Card, Comment, JourneyMap, Lane, Membership, Persona, Stage, Workshop


def display_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "title", "description", "position"]


class LaneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lane
        fields = ["id", "title", "kind", "position"]


class CardSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Card
        fields = [
            "id",
            "stage",
            "lane",
            "position",
            "text",
            "emotion_score",
            "severity",
            "channel",
            "author",
            "author_name",
            "private",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["author", "private", "created_at", "updated_at"]

    def get_author_name(self, card) -> str:
        return display_name(card.author)


# One card as every card event carries it. Building a ModelSerializer's fields costs about a
# millisecond, paid on each of a busy board's 60 changes a second; one instance, made once,
# keeps its fields (they hold no state of their own while representing).
card_data = CardSerializer().to_representation


class MentionedSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    username = serializers.CharField(source="user.username")
    name = serializers.SerializerMethodField()

    def get_name(self, mention) -> str:
        return display_name(mention.user)


class CommentSerializer(serializers.ModelSerializer):
    """A comment as its events, the REST API and the mentions list carry it (services/comments.py
    loads it with its author, resolver and mentions)."""

    author_name = serializers.SerializerMethodField()
    resolved_by_name = serializers.SerializerMethodField()
    mentions = MentionedSerializer(many=True, read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "map",
            "card",
            "stage",
            "author",
            "author_name",
            "text",
            "mentions",
            "resolved",
            "resolved_by",
            "resolved_by_name",
            "resolved_at",
            "created_at",
            "updated_at",
            "edited_at",
        ]
        read_only_fields = fields

    def get_author_name(self, comment) -> str:
        return display_name(comment.author)

    def get_resolved_by_name(self, comment) -> str:
        return display_name(comment.resolved_by)


class PersonaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Persona
        fields = ["id", "workshop", "name", "segment", "description", "goals", "photo"]
        read_only_fields = ["workshop", "photo"]


class MapSerializer(serializers.ModelSerializer):
    persona_name = serializers.CharField(source="persona.name", default="", read_only=True)

    class Meta:
        model = JourneyMap
        fields = [
            "id",
            "workshop",
            "title",
            "description",
            "persona",
            "persona_name",
            "state",
            "revision",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["workshop", "revision", "archived_at", "created_at", "updated_at"]


# Parts of the board that apps above this one add (evidence/apps.py registers the evidence
# counts): {key: (function of the prefetched board, help text for the schema)}.
BOARD_PARTS = {}


def register_board_part(key: str, build, help_text: str) -> None:
    BOARD_PARTS[key] = (build, help_text)


@extend_schema_field(OpenApiTypes.OBJECT)
class BoardPartField(serializers.Field):
    def __init__(self, build, **options):
        super().__init__(source="*", read_only=True, **options)
        self.build = build

    def to_representation(self, journey_map):
        return self.build(journey_map)


class BoardSerializer(MapSerializer):
    """The whole board in one answer: what a client needs to draw the map."""

    stages = StageSerializer(many=True, read_only=True)
    lanes = LaneSerializer(many=True, read_only=True)
    cards = CardSerializer(many=True, read_only=True)
    # The facilitator's board controls: locked, timer, follow, present (services/facilitation.py).
    controls = serializers.JSONField(read_only=True)

    class Meta(MapSerializer.Meta):
        fields = MapSerializer.Meta.fields + ["stages", "lanes", "cards", "controls"]

    def get_fields(self):
        fields = super().get_fields()
        for key, (build, help_text) in BOARD_PARTS.items():
            fields[key] = BoardPartField(build, help_text=help_text)
        return fields


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["user", "username", "name", "role", "joined_at"]
        read_only_fields = ["user", "joined_at"]

    def get_name(self, membership) -> str:
        return display_name(membership.user)


class WorkshopSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workshop
        fields = ["id", "name", "description", "created_by", "created_at"]
        read_only_fields = ["created_by", "created_at"]
