"""How evidence looks on the wire: the REST API and the live-board events use these, so a piece
reads the same wherever it comes from. Each kind shows its own fields only. Representation only."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workshops.serializers import display_name

from . import providers
from .fields import change_percent
from .models import Evidence, Kind

COMMON_FIELDS = [
    "id",
    "kind",
    "layer",
    "map",
    "stage",
    "card",
    "added_by",
    "added_by_name",
    "collected_on",
    "note",
    "created_at",
    "updated_at",
]


def kind_field(kind: str):
    """The `kind` of one kind's output. Its schema names that kind alone, so that a piece
    matches one schema of the API's oneOf, not several (their other fields may be absent)."""

    @extend_schema_field({"type": "string", "enum": [kind]})
    class KindField(serializers.CharField):
        pass

    return KindField(read_only=True)


class EvidenceBase(serializers.ModelSerializer):
    layer = serializers.CharField(
        read_only=True, help_text="quantitative, qualitative or behavioural"
    )
    stage = serializers.SerializerMethodField(
        help_text="The stage it is on; for a card's, the card's stage."
    )
    added_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = COMMON_FIELDS

    def get_stage(self, evidence) -> int:
        return evidence.card.stage_id if evidence.card_id else evidence.stage_id

    def get_added_by_name(self, evidence) -> str:
        return display_name(evidence.added_by)


class MetricOutput(EvidenceBase):
    kind = kind_field(Kind.METRIC)
    change_percent = serializers.SerializerMethodField(
        help_text="Change from the baseline, in percent of it (3 -> 4.5 is +50.0); null if none."
    )

    class Meta(EvidenceBase.Meta):
        fields = COMMON_FIELDS + [
            "name",
            "value",
            "unit",
            "baseline",
            "target",
            "period",
            "source",
            "sample_size",
            "change_percent",
        ]

    def get_change_percent(self, evidence) -> float | None:
        return change_percent(evidence.baseline, evidence.value)


class SurveyOutput(EvidenceBase):
    kind = kind_field(Kind.SURVEY)

    class Meta(EvidenceBase.Meta):
        fields = COMMON_FIELDS + ["question", "answer", "score", "score_scale", "segment", "source"]


class QuoteOutput(EvidenceBase):
    kind = kind_field(Kind.QUOTE)

    class Meta(EvidenceBase.Meta):
        fields = COMMON_FIELDS + ["text", "who", "source"]


class RecordingOutput(EvidenceBase):
    kind = kind_field(Kind.RECORDING)
    start_url = serializers.SerializerMethodField(
        help_text="The link that opens at the start time, where the provider supports one."
    )

    class Meta(EvidenceBase.Meta):
        fields = COMMON_FIELDS + ["url", "provider", "start_seconds", "start_url"]

    def get_start_url(self, evidence) -> str:
        return providers.start_link(evidence.url, evidence.provider, evidence.start_seconds)


class ImageOutput(EvidenceBase):
    kind = kind_field(Kind.IMAGE)
    image_url = serializers.SerializerMethodField(
        help_text="Served to members of the workshop only."
    )
    thumbnail_url = serializers.SerializerMethodField(help_text="480 px wide, WebP.")

    class Meta(EvidenceBase.Meta):
        fields = COMMON_FIELDS + ["caption", "width", "height", "image_url", "thumbnail_url"]

    def get_image_url(self, evidence) -> str:
        return reverse("api-evidence-image", kwargs={"map_id": evidence.map_id, "pk": evidence.pk})

    def get_thumbnail_url(self, evidence) -> str:
        return reverse(
            "api-evidence-thumbnail", kwargs={"map_id": evidence.map_id, "pk": evidence.pk}
        )


OUTPUTS = {
    Kind.METRIC: MetricOutput,
    Kind.SURVEY: SurveyOutput,
    Kind.QUOTE: QuoteOutput,
    Kind.RECORDING: RecordingOutput,
    Kind.IMAGE: ImageOutput,
}


def evidence_data(evidence: Evidence) -> dict:
    return OUTPUTS[evidence.kind](evidence).data


def evidence_list(pieces) -> list[dict]:
    """Many pieces, in their order. One list serializer per kind: building a serializer's fields
    costs far more than filling them, so one per piece took 15 s for 10,000."""
    pieces = list(pieces)
    by_kind = {}
    for piece in pieces:
        by_kind.setdefault(piece.kind, []).append(piece)
    data = {}
    for kind, group in by_kind.items():
        for piece, item in zip(group, OUTPUTS[kind](group, many=True).data, strict=True):
            data[piece.pk] = item
    return [data[piece.pk] for piece in pieces]
