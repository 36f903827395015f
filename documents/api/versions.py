"""The REST API of a map as a document: versions, restore, JSON export and import, duplicate,
compare. Same shape as the workshops API, whose helpers this uses (workshops/api/base.py): the role
first, the body parsed by a small input serializer, then a service (versions.py, mapfile/) applies
the rules."""

from django.http import JsonResponse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from workshops.access import map_for
from workshops.api.base import (
    ApiView,
    changed,
    deletes,
    expect_event,
    op_id,
    parse,
    reads,
    text_field,
    whole_number,
    workshop_of,
    writes,
)
from workshops.models import TITLE_MAX, JourneyMap, MapState, MapVersion, Role
from workshops.serializers import BoardSerializer, display_name

from .. import compare, mapfile, versions

UPLOAD_SLACK = 64 * 1024  # the multipart envelope around a file

# --- input ------------------------------------------------------------------------------------


class VersionInput(serializers.Serializer):
    name = text_field(
        nonblank=True, limit=TITLE_MAX, help_text="1 to 200 characters, e.g. Q3 review."
    )


class DuplicateInput(serializers.Serializer):
    title = text_field(nonblank=True, limit=TITLE_MAX)
    state = serializers.ChoiceField(
        MapState.choices, required=False, help_text="Default: the same as the map's."
    )


class MapImportInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="A cjm-map JSON file (docs/map-format.md), at most "
        f"{mapfile.MAX_BYTES // 1024 // 1024} MB."
    )
    title = text_field(
        required=False, nonblank=True, limit=TITLE_MAX, help_text="Default: the title in the file."
    )


class CompareQuery(serializers.Serializer):
    # "with" is a Python keyword: the field is named in `fields` below.
    version = whole_number(required=False, help_text="A version of this map.")

    def get_fields(self):
        fields = super().get_fields()
        fields["with"] = whole_number(required=False, help_text="Another map of the same workshop.")
        return fields


# --- output -----------------------------------------------------------------------------------


class VersionOutput(serializers.ModelSerializer):
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = MapVersion
        fields = ["id", "map", "name", "revision", "created_by", "created_by_name", "created_at"]

    def get_created_by_name(self, version) -> str:
        return display_name(version.created_by)


class VersionDetailOutput(VersionOutput):
    snapshot = serializers.JSONField(help_text="The map as it was: a cjm-map document.")

    class Meta(VersionOutput.Meta):
        fields = VersionOutput.Meta.fields + ["snapshot"]


class RestoreOutput(serializers.Serializer):
    revision = serializers.IntegerField(help_text="The map's revision after the restore.")
    version = VersionOutput()
    saved_before = VersionOutput(help_text="The automatic version of what the restore replaced.")


class MetricChangeOutput(serializers.Serializer):
    stage = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    status = serializers.CharField(
        help_text="both; added or removed: on one side only, then before is that side's baseline."
    )
    before = serializers.FloatField(allow_null=True)
    after = serializers.FloatField(allow_null=True)
    change_percent = serializers.FloatField(allow_null=True, help_text="3 -> 4.5 is 50.0")
    text = serializers.CharField(help_text="3% → 4.5% (+50%)")


class EmotionChangeOutput(serializers.Serializer):
    stage = serializers.CharField()
    left = serializers.FloatField(allow_null=True, help_text="Mean feeling, -2..2.")
    right = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    left_text = serializers.CharField(help_text="−1, ±0, +0.5 or none")
    right_text = serializers.CharField()
    change_text = serializers.CharField()
    text = serializers.CharField(help_text="−1 → +1")


class CompareOutput(serializers.Serializer):
    left = serializers.CharField(help_text="The earlier side: the version, or this map.")
    right = serializers.CharField(help_text="This map now, or the other map.")
    stages = serializers.JSONField(
        help_text="Paired stages: title, old_title, status (same, renamed, added, removed)."
    )
    lanes = serializers.JSONField(
        help_text="Paired lanes, each with one cell per stage: added, "
        "removed, moved (from, before, after, fields), "
        "changed (before, after, fields) and same cards."
    )
    emotions = EmotionChangeOutput(many=True)
    metrics = MetricChangeOutput(many=True)
    counts = serializers.DictField(child=serializers.IntegerField())


# --- views ------------------------------------------------------------------------------------

VERSION_NOT_FOUND = OpenApiResponse(description="No such version of this map, or not a member.")


class VersionList(ApiView):
    @reads(VersionOutput(many=True), summary="The map's saved versions, newest first")
    def get(self, request, map_id):
        journey_map = map_for(request.user, map_id)
        found = journey_map.versions.defer("snapshot").select_related("created_by")
        return Response(VersionOutput(found, many=True).data)

    @writes(
        VersionInput, VersionOutput, code=201, summary="Save the map as a named version (editor)"
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        version = versions.version_save(
            actor=request.user, map=journey_map, **parse(VersionInput, request)
        )
        return Response(VersionOutput(version).data, status=status.HTTP_201_CREATED)


class VersionDetail(ApiView):
    @reads(VersionDetailOutput, summary="A version, with its snapshot (read-only)")
    def get(self, request, map_id, version_id):
        version = versions.version_for(request.user, map_for(request.user, map_id), version_id)
        return Response(VersionDetailOutput(version).data)

    @deletes(summary="Delete a version (facilitator); the map is not touched")
    def delete(self, request, map_id, version_id):
        journey_map = map_for(request.user, map_id, Role.FACILITATOR)
        version = versions.version_for(request.user, journey_map, version_id)
        versions.version_delete(actor=request.user, version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VersionRestore(ApiView):
    @writes(
        None,
        RestoreOutput,
        map_change=True,
        summary="Restore a version as one new change (editor); what it replaces is saved "
        "first as a version",
    )
    def post(self, request, map_id, version_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        version = versions.version_for(request.user, journey_map, version_id)
        event = versions.version_restore(
            actor=request.user, map=journey_map, version=version, op_id=op_id(request)
        )
        expect_event(event, "map.restored")  # before reading a restore's payload from it
        before = MapVersion.objects.get(pk=event.payload["saved_before"]["id"])
        body = {
            "revision": event.revision,
            "version": VersionOutput(version).data,
            "saved_before": VersionOutput(before).data,
        }
        return changed(event, "map.restored", body=body)


class MapExportJSON(ApiView):
    throttle_scopes = ("export",)

    @extend_schema(
        operation_id="maps_export_json",
        summary="The map as a cjm-map JSON file (docs/map-format.md), evidence included",
        parameters=[OpenApiParameter("format", exclude=True)],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The document."),
            404: OpenApiResponse(description="No such map, or not a member."),
        },
    )
    def get(self, request, map_id):
        journey_map = map_for(request.user, map_id)
        response = JsonResponse(mapfile.map_export(journey_map), json_dumps_params={"indent": 1})
        name = slugify(journey_map.title) or "journey-map"
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response


class MapImport(ApiView):
    parser_classes = [MultiPartParser, FormParser]
    throttle_scopes = ("import",)

    @writes(
        {"multipart/form-data": MapImportInput},
        BoardSerializer,
        code=201,
        summary="A new map from a cjm-map JSON file (facilitator); all of it or nothing",
    )
    def post(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > mapfile.MAX_BYTES + UPLOAD_SLACK:
            raise ValidationError(
                {"file": [f"The upload is over {mapfile.MAX_BYTES // 1024 // 1024} MB."]}
            )
        data = parse(MapImportInput, request)
        document = mapfile.read_document(data["file"].read())
        journey_map = mapfile.map_import(
            actor=request.user, workshop=workshop, data=document, title=data.get("title")
        )
        return board_response(journey_map)


def board_response(journey_map: JourneyMap) -> Response:
    board = JourneyMap.objects.with_board().get(pk=journey_map.pk)
    return Response(
        BoardSerializer(board).data,
        status=status.HTTP_201_CREATED,
        headers={"X-Map-Revision": str(board.revision)},
    )


class MapDuplicate(ApiView):
    @writes(
        DuplicateInput,
        BoardSerializer,
        code=201,
        summary="Copy the map with its stages, lanes, cards and evidence (facilitator)",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.FACILITATOR)
        copy = versions.map_duplicate(
            actor=request.user, map=journey_map, **parse(DuplicateInput, request)
        )
        return board_response(copy)


class MapCompare(ApiView):
    @reads(
        CompareOutput,
        parameters=[CompareQuery],
        summary="This map side by side with another map of its workshop, or a version",
    )
    def get(self, request, map_id):
        journey_map = map_for(request.user, map_id)
        query = parse(CompareQuery, request, source=request.query_params)
        left, right = compare.sides(
            request.user, journey_map, with_map=query.get("with"), version=query.get("version")
        )
        result = compare.compare_boards(left.document, right.document)
        result.pop("curve")
        return Response({"left": left.label, "right": right.label, **result})
