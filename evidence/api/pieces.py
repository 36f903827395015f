"""Pieces of evidence: list, attach, change, delete, their pictures, coverage and settings.

JSON for every kind; multipart for images (field `image`). Pictures are served only here, to
members of the map's workshop. Same shape as the workshops API (workshops/api/base.py, whose
helpers this uses): the role is checked first, the body parsed by a small input serializer
(types only), then a service applies the rules and records the change.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from workshops.access import map_for
from workshops.api.base import (
    ApiView,
    changed,
    deletes,
    op_id,
    optional_int,
    parse,
    reads,
    text_field,
    writes,
)
from workshops.models import JourneyMap, Role

from .. import coverage, images, services
from ..models import LAYER_OF, Evidence, Kind, Layer, ScoreScale
from ..serializers import OUTPUTS, evidence_data, evidence_list
from .base import MULTIPART, TAGGED, limit_upload, piece_of


def optional_number(**options):
    return serializers.FloatField(required=False, allow_null=True, **options)


class PlaceInput(serializers.Serializer):
    kind = serializers.ChoiceField(Kind.choices, help_text="Which fields the piece has.")
    stage = optional_int(help_text="The stage it is about; give this or card.")
    card = optional_int(help_text="The card it is about; it is then on the card's stage too.")
    collected_on = serializers.DateField(
        required=False, allow_null=True, help_text="When the data was collected (YYYY-MM-DD)."
    )
    note = text_field(required=False)


class MetricInput(PlaceInput):
    name = text_field(help_text="Lead form conversion, Buy Policy clicks...")
    value = serializers.FloatField()
    unit = text_field(required=False, help_text="%, count, EUR, seconds...")
    baseline = optional_number()
    target = optional_number()
    period = text_field(required=False, help_text="Q1 2026, last 30 days...")
    source = text_field(required=False, help_text="GA4, CUX, Hotjar funnel...")
    sample_size = optional_int(min_value=0)


class SurveyInput(PlaceInput):
    question = text_field()
    answer = text_field(required=False)
    score = optional_int(help_text="NPS 0-10 or CSAT 1-5, as score_scale says (default NPS).")
    score_scale = serializers.ChoiceField(ScoreScale.choices, required=False, allow_blank=True)
    segment = text_field(required=False, help_text="The respondent's segment.")
    source = text_field(required=False)


class QuoteInput(PlaceInput):
    text = text_field()
    who = text_field(required=False, help_text="Who said it: a role or a segment.")
    source = text_field(required=False, help_text="Interview, support chat...")


class RecordingInput(PlaceInput):
    url = text_field(help_text="An http(s) link; the provider is recognised from its host.")
    start_seconds = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text='Seconds (83) or minutes:seconds ("1:23").',
    )


class ImageInput(PlaceInput):
    image = serializers.FileField(help_text="PNG, JPEG, WebP or GIF; at most 10 MB, 40 megapixels.")
    caption = text_field(required=False)


class ImageUpdateInput(PlaceInput):
    caption = text_field(required=False)


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
    stage = serializers.IntegerField(
        required=False, help_text="On this stage, its cards' included."
    )
    card = serializers.IntegerField(required=False)
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


EVIDENCE_PATCH = PolymorphicProxySerializer(
    component_name="EvidencePatch",
    resource_type_field_name=None,
    serializers=[serializer(partial=True) for serializer in UPDATE_INPUTS.values()],
)


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


class StaleAgeInput(serializers.Serializer):
    stale_after_days = serializers.IntegerField(
        help_text="Evidence collected more than this many days ago is flagged as stale (1-3650)."
    )


def place_arguments(data: dict) -> dict:
    """The services say stage_id and card_id; the wire says stage and card."""
    for field in ("stage", "card"):
        if field in data:
            data[f"{field}_id"] = data.pop(field)
    return data


def kind_of(request) -> str:
    kind = request.data.get("kind") if hasattr(request.data, "get") else None
    if kind not in INPUTS:
        raise ValidationError({"kind": [f"Choose one of {', '.join(Kind.values)}."]})
    return kind


@TAGGED
class EvidenceList(ApiView):
    parser_classes = [JSONParser, *MULTIPART]

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
        data = place_arguments(parse(INPUTS[kind], request))
        event = services.evidence_attach(
            actor=request.user, map=journey_map, op_id=op_id(request), **data
        )
        return changed(event, "evidence.created", status.HTTP_201_CREATED)


@TAGGED
class EvidenceDetail(ApiView):
    parser_classes = [JSONParser]

    @reads(EVIDENCE)
    def get(self, request, map_id, pk):
        return Response(evidence_data(piece_of(map_for(request.user, map_id), pk)))

    @writes(
        EVIDENCE_PATCH,
        EVIDENCE,
        map_change=True,
        summary="Change a piece of evidence (editor); its kind and picture stay",
    )
    def patch(self, request, map_id, pk):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        piece = piece_of(journey_map, pk)
        changes = place_arguments(parse(UPDATE_INPUTS[piece.kind], request, partial=True))
        if changes.pop("kind", piece.kind) != piece.kind:
            raise ValidationError({"kind": ["The kind of a piece cannot change; add a new one."]})
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


@TAGGED
class EvidenceSettings(ApiView):
    parser_classes = [JSONParser]

    @reads(StaleAgeInput, summary="The map's evidence settings: when evidence counts as stale")
    def get(self, request, map_id):
        journey_map = map_for(request.user, map_id)
        return Response({"stale_after_days": coverage.stale_after_days(journey_map)})

    @writes(
        StaleAgeInput,
        StaleAgeInput,
        map_change=True,
        summary="Set the age after which evidence is flagged as stale (facilitator)",
    )
    def put(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.FACILITATOR)
        days = parse(StaleAgeInput, request)["stale_after_days"]
        event = services.evidence_stale_age_set(
            actor=request.user, map=journey_map, op_id=op_id(request), days=days
        )
        body = {"stale_after_days": event.payload.get("stale_after_days")}
        return changed(event, "evidence.stale_age_set", body=body)
