"""Pieces of evidence: list, attach, change, delete, their pictures and coverage (the
settings are in settings.py).

JSON for every kind; multipart for images (field `image`). Pictures are served only here, to
members of the map's workshop. Same shape as the workshops API (workshops/api/base.py, whose
helpers this uses): the role is checked first, the body parsed by a small input serializer
(types only), then a service applies the rules and records the change.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from workshops.access import map_for
from workshops.api.base import (
    TYPED,
    ApiView,
    NumberField,
    changed,
    deletes,
    op_id,
    optional_int,
    parse,
    reads,
    text_field,
    whole_number,
    writes,
)
from workshops.api.parsers import LimitedJSONParser
from workshops.models import JourneyMap, Role
from workshops.services.checks import is_whole_number

from .. import coverage, fields, images, services
from ..models import LAYER_OF, Evidence, Kind, Layer, ScoreScale
from ..serializers import OUTPUTS, evidence_data, evidence_list
from .base import MULTIPART, TAGGED, limit_upload, piece_of
from .missing import NOT_A_NUMBER, RequiredText, missing, refusal_in_full
from .settings import EvidenceSettings  # noqa: F401 (routed as pieces.EvidenceSettings)


def optional_number(**options):
    return NumberField(required=False, allow_null=True, limit=fields.NUMBER_MAX, **options)


def piece_text(kind: str | None, name: str, **options):
    """A text field of a kind: its limit and whether it must hold text, as evidence/fields.py
    (which checks it) says; kind None for the fields every kind has."""
    check = fields.COMMON[name] if kind is None else fields.FIELDS[kind][name]
    if kind is not None and name in fields.REQUIRED[kind]:
        return RequiredText(name=name, limit=check.max_length, **options)
    return text_field(limit=check.max_length, **options)


def kind_field(kind: str):
    """One kind per input: in the schema's oneOf a body then matches exactly one of them. The
    schema is given as is (an enum component per kind would need a name each)."""

    @extend_schema_field({"type": "string", "enum": [kind]})
    class KindField(serializers.ChoiceField):
        pass

    return KindField([kind], help_text="Which fields the piece has.")


@extend_schema_field(
    {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string"}], "nullable": True}
)
class StartField(serializers.CharField):
    """Seconds as a number (83), or as text ("83", "1:23"); the service reads either."""

    def __init__(self, **options):
        super().__init__(allow_blank=True, allow_null=True, **options)

    def to_internal_value(self, data):
        if self.context.get(TYPED) and not (is_whole_number(data) or isinstance(data, str)):
            self.fail("invalid")
        return super().to_internal_value(data)


class PlaceInput(serializers.Serializer):
    stage = optional_int(help_text="The stage it is about; give this or card.")
    card = optional_int(help_text="The card it is about; it is then on the card's stage too.")
    collected_on = serializers.DateField(
        required=False, allow_null=True, help_text="When the data was collected (YYYY-MM-DD)."
    )
    note = piece_text(None, "note", required=False)


class MetricInput(PlaceInput):
    kind = kind_field(Kind.METRIC)
    name = piece_text(Kind.METRIC, "name", help_text="Lead form conversion, Buy Policy clicks...")
    value = NumberField(
        limit=fields.NUMBER_MAX, error_messages={**missing("value"), "invalid": NOT_A_NUMBER}
    )
    unit = piece_text(Kind.METRIC, "unit", required=False, help_text="%, count, EUR, seconds...")
    baseline = optional_number()
    target = optional_number()
    period = piece_text(Kind.METRIC, "period", required=False, help_text="Q1 2026, last 30 days...")
    source = piece_text(
        Kind.METRIC, "source", required=False, help_text="GA4, CUX, Hotjar funnel..."
    )
    sample_size = optional_int(min_value=0, max_value=2**31 - 1)


class SurveyInput(PlaceInput):
    kind = kind_field(Kind.SURVEY)
    question = piece_text(Kind.SURVEY, "question")
    answer = piece_text(Kind.SURVEY, "answer", required=False)
    score = optional_int(help_text="NPS 0-10 or CSAT 1-5, as score_scale says (default NPS).")
    score_scale = serializers.ChoiceField(ScoreScale.choices, required=False, allow_blank=True)
    segment = piece_text(
        Kind.SURVEY, "segment", required=False, help_text="The respondent's segment."
    )
    source = piece_text(Kind.SURVEY, "source", required=False)


class QuoteInput(PlaceInput):
    kind = kind_field(Kind.QUOTE)
    text = piece_text(Kind.QUOTE, "text")
    who = piece_text(
        Kind.QUOTE, "who", required=False, help_text="Who said it: a role or a segment."
    )
    source = piece_text(
        Kind.QUOTE, "source", required=False, help_text="Interview, support chat..."
    )


class RecordingInput(PlaceInput):
    kind = kind_field(Kind.RECORDING)
    url = RequiredText(
        name="url",
        limit=fields.URL_MAX,
        help_text="An http(s) link; the provider is recognised from its host.",
    )
    start_seconds = StartField(
        required=False, help_text='Seconds (83) or minutes:seconds ("1:23").'
    )


class ImageInput(PlaceInput):
    kind = kind_field(Kind.IMAGE)
    image = serializers.FileField(help_text="PNG, JPEG, WebP or GIF; at most 10 MB, 40 megapixels.")
    caption = piece_text(Kind.IMAGE, "caption", required=False)


class ImageUpdateInput(PlaceInput):
    kind = kind_field(Kind.IMAGE)
    caption = piece_text(Kind.IMAGE, "caption", required=False)


INPUTS = {
    Kind.METRIC: MetricInput,
    Kind.SURVEY: SurveyInput,
    Kind.QUOTE: QuoteInput,
    Kind.RECORDING: RecordingInput,
    Kind.IMAGE: ImageInput,
}


# A picture cannot be replaced: delete the piece and add a new one.
UPDATE_INPUTS = {**INPUTS, Kind.IMAGE: ImageUpdateInput}


class EvidenceFilter(serializers.Serializer):
    stage = whole_number(required=False, help_text="On this stage, its cards' included.")
    card = whole_number(required=False)
    kind = serializers.ChoiceField(Kind.choices, required=False)
    layer = serializers.ChoiceField(Layer.choices, required=False)


EVIDENCE = PolymorphicProxySerializer(
    component_name="Evidence",
    resource_type_field_name="kind",
    serializers={str(kind): serializer for kind, serializer in OUTPUTS.items()},
)


EVIDENCE_LIST = PolymorphicProxySerializer(
    component_name="Evidence",
    resource_type_field_name="kind",
    many=True,
    serializers={str(kind): serializer for kind, serializer in OUTPUTS.items()},
)


EVIDENCE_INPUT = PolymorphicProxySerializer(
    component_name="EvidenceInput",
    resource_type_field_name="kind",
    serializers={
        str(kind): serializer for kind, serializer in INPUTS.items() if kind != Kind.IMAGE
    },
)


def _patch_fields() -> dict:
    merged = {"kind": serializers.ChoiceField(Kind.choices, help_text="The piece's own kind.")}
    for serializer in UPDATE_INPUTS.values():
        for name, field in serializer._declared_fields.items():
            merged.setdefault(name, field)  # a field of several kinds is the same in each
    return merged


# The schema of a change: one object with every kind's fields, for a oneOf of the kinds' inputs
# with every field optional would match any body several times over. Only the fields of the
# piece's own kind are taken; another's is refused (400 naming it).
EvidencePatch = type("EvidencePatch", (serializers.Serializer,), _patch_fields())


class StageCoverage(serializers.Serializer):
    stage = serializers.IntegerField()
    title = serializers.CharField()
    layers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Pieces per layer: quantitative, qualitative, behavioural.",
    )
    total = serializers.IntegerField()
    evidenced_layers = serializers.IntegerField()
    assumption = serializers.BooleanField(help_text="True when the stage has no evidence at all.")


class CoverageSummary(serializers.Serializer):
    pieces = serializers.IntegerField()
    by_layer = serializers.DictField(child=serializers.IntegerField())
    stages = serializers.IntegerField()
    evidenced_stages = serializers.IntegerField()
    stage_layers = serializers.IntegerField()
    evidenced_stage_layers = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Share of (stage, layer) pairs with evidence.")
    cards = serializers.IntegerField()
    evidenced_cards = serializers.IntegerField()


class CoverageOutput(serializers.Serializer):
    stages = StageCoverage(many=True)
    cards = serializers.DictField(child=serializers.IntegerField(), help_text="Pieces per card id.")
    summary = CoverageSummary()


def place_arguments(data: dict) -> dict:
    """The services say stage_id and card_id; the wire says stage and card."""
    for field in ("stage", "card"):
        if field in data:
            data[f"{field}_id"] = data.pop(field)
    return data


def kind_of(request, default=None) -> str:
    kind = request.data.get("kind", default) if hasattr(request.data, "get") else default
    if not isinstance(kind, str) or kind not in INPUTS:  # {} or [] would not even hash
        raise ValidationError({"kind": [f"Choose one of {', '.join(Kind.values)}."]})
    return kind


@TAGGED
class EvidenceList(ApiView):
    parser_classes = [LimitedJSONParser, *MULTIPART]

    @reads(
        EVIDENCE_LIST,
        parameters=[EvidenceFilter],
        operation_id="maps_evidence_list",
        summary="The map's evidence, filtered",
    )
    def get(self, request, map_id):
        filters = parse(EvidenceFilter, request, source=request.query_params)
        pieces = Evidence.objects.filter(map=map_for(request.user, map_id)).select_related(
            "added_by", "card"
        )
        if "stage" in filters:
            pieces = pieces.on_stage(filters["stage"])
        if "card" in filters:
            pieces = pieces.filter(card_id=filters["card"])
        if "kind" in filters:
            pieces = pieces.filter(kind=filters["kind"])
        if "layer" in filters:
            pieces = pieces.filter(
                kind__in=[k for k, layer in LAYER_OF.items() if layer == filters["layer"]]
            )
        return Response(evidence_list(pieces))

    @writes(
        {"application/json": EVIDENCE_INPUT, "multipart/form-data": ImageInput},
        EVIDENCE,
        code=201,
        map_change=True,
        summary="Attach evidence to a stage or card (editor); JSON, or multipart for an image",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        limit_upload(request, images.MAX_BYTES)
        kind = kind_of(request)
        try:
            data = place_arguments(parse(INPUTS[kind], request))
        except ValidationError as refusal:
            raise refusal_in_full(kind, request.data, refusal) from None
        event = services.evidence_attach(
            actor=request.user, map=journey_map, op_id=op_id(request), **data
        )
        return changed(event, "evidence.created", status.HTTP_201_CREATED)


@TAGGED
class EvidenceDetail(ApiView):
    parser_classes = [LimitedJSONParser]

    @reads(EVIDENCE)
    def get(self, request, map_id, pk):
        return Response(evidence_data(piece_of(map_for(request.user, map_id), pk)))

    @writes(
        EvidencePatch,
        EVIDENCE,
        map_change=True,
        summary="Change a piece of evidence (editor); its kind and picture stay",
    )
    def patch(self, request, map_id, pk):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        piece = piece_of(journey_map, pk)
        if kind_of(request, default=piece.kind) != piece.kind:
            raise ValidationError({"kind": ["The kind of a piece cannot change; add a new one."]})
        changes = place_arguments(parse(UPDATE_INPUTS[piece.kind], request, partial=True))
        changes.pop("kind", None)
        event = services.evidence_update(
            actor=request.user,
            map=journey_map,
            op_id=op_id(request),
            evidence_id=piece.pk,
            **changes,
        )
        return changed(event, "evidence.updated")

    @deletes(map_change=True, summary="Delete a piece of evidence (editor)")
    def delete(self, request, map_id, pk):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        piece = piece_of(journey_map, pk)
        event = services.evidence_delete(
            actor=request.user, map=journey_map, op_id=op_id(request), evidence_id=piece.pk
        )
        return changed(event, "evidence.deleted", status.HTTP_204_NO_CONTENT)


@TAGGED
class EvidenceFile(ApiView):
    """A piece's picture or thumbnail, to members of the workshop only."""

    which = "image"

    def perform_content_negotiation(self, request, force=False):
        # An <img> may accept only image types; errors still answer in JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={
            (200, "image/*"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such picture, or not a member."),
        }
    )
    def get(self, request, map_id, pk):
        piece = get_object_or_404(
            Evidence, map=map_for(request.user, map_id), pk=pk, kind=Kind.IMAGE
        )
        file = getattr(piece, self.which)
        if not file or not file.storage.exists(file.name):
            raise Http404("The picture's file is missing.")
        response = FileResponse(file.open("rb"), content_type=images.content_type(file.name))
        response["Cache-Control"] = "private, max-age=3600"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


@TAGGED
class EvidenceThumbnail(EvidenceFile):
    which = "thumbnail"


@TAGGED
class EvidenceCoverage(ApiView):
    @reads(CoverageOutput, summary="Evidence coverage per stage and layer, per card, and in all")
    def get(self, request, map_id):
        journey_map = map_for(request.user, map_id)
        # The board as this reader may see it: no one else's private card among its cards.
        board = JourneyMap.objects.with_board(viewer=request.user).get(pk=journey_map.pk)
        return Response(coverage.map_coverage(board))
