"""Importing evidence from a file: the preview, the dry run and the import, which runs in the
background and is followed at imports/<id>/ (docs/evidence.md, "Import from a file")."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from workshops.access import map_for
from workshops.api.base import (
    IDEMPOTENCY_KEY,
    ApiView,
    op_id,
    optional_int,
    parse,
    reads,
    writes,
)
from workshops.api.parsers import BoundedJSONField
from workshops.models import Role
from workshops.serializers import display_name

from .. import imports
from ..models import EvidenceImport, Kind
from .base import MULTIPART, TAGGED, limit_upload, read_upload

IMPORT_KINDS = [Kind.SURVEY, Kind.QUOTE, Kind.METRIC, Kind.RECORDING]


class PreviewInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (any separator and common encoding), XLSX, or a tool's JSON export; at "
        f"most {imports.MAX_BYTES // 1024 // 1024} MB. The tool is recognised from the file."
    )
    kind = serializers.ChoiceField(
        IMPORT_KINDS, required=False, help_text="For a plain table: what its rows are."
    )


class ImportInput(PreviewInput):
    mapping = BoundedJSONField(
        help_text="The preview's `mapping`, unchanged or edited; or a flat "
        '{"column": "field"} with `kind`.'
    )
    stage = optional_int(help_text="The stage of every row; or give stage_column.")
    stage_column = serializers.CharField(
        required=False, allow_blank=True, help_text="The column naming each row's stage (by title)."
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="false: check every row and report, store nothing; true: import in the "
        "background (202, then follow the import's url).",
    )


class PreviewOutput(serializers.Serializer):
    format = serializers.CharField(help_text="csv, xlsx or json")
    source = serializers.CharField(
        help_text="hotjar-survey, hotjar-feedback, typeform, surveymonkey, google-forms, "
        "qualtrics, ga4, clarity, or csv"
    )
    kind = serializers.CharField(help_text="survey, quote, metric or recording")
    shape = serializers.CharField(help_text="long (a row a piece) or wide (a row a respondent)")
    rows = serializers.IntegerField(
        help_text="Data rows; extra header and comment rows not counted."
    )
    skipped = serializers.ListField(child=serializers.DictField(), help_text="[{row, reason}]")
    header = serializers.ListField(child=serializers.CharField())
    sample = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()), help_text="The first rows."
    )
    mapping = serializers.JSONField(help_text="The proposed mapping: send it to import/.")
    summary = serializers.CharField(help_text="What was found, in a sentence.")
    questions = serializers.ListField(child=serializers.DictField())
    date_order = serializers.JSONField(allow_null=True)
    left_out = serializers.ListField(child=serializers.CharField(), help_text="Personal data.")
    stage_column = serializers.CharField(allow_null=True)
    fields = serializers.ListField(child=serializers.CharField())
    required = serializers.ListField(child=serializers.CharField())


class RowError(serializers.Serializer):
    row = serializers.IntegerField(help_text="As a spreadsheet numbers the file's rows.")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ImportReport(serializers.Serializer):
    kind = serializers.CharField()
    rows = serializers.IntegerField(help_text="Data rows in the file.")
    valid = serializers.IntegerField(help_text="Pieces that pass (a wide row may give several).")
    failed = serializers.IntegerField(help_text="Rows with a failure.")
    errors = RowError(many=True, help_text="The first 200 failed rows.")
    imported = serializers.IntegerField(help_text="Pieces stored: 0 in a dry run.")
    revision = serializers.IntegerField(required=False, help_text="The map's, after the import.")


class ImportOutput(serializers.ModelSerializer):
    created_by_name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="Follow the import here.")
    report = serializers.SerializerMethodField(help_text="Once done: what went in, what failed.")

    class Meta:
        model = EvidenceImport
        fields = [
            "id",
            "map",
            "file_name",
            "status",
            "rows_total",
            "rows_checked",
            "report",
            "error",
            "created_by",
            "created_by_name",
            "created_at",
            "finished_at",
            "url",
        ]

    def get_created_by_name(self, started) -> str:
        return display_name(started.created_by)

    def get_url(self, started) -> str:
        return reverse("api-evidence-import-detail", args=[started.map_id, started.pk])

    @extend_schema_field(ImportReport(allow_null=True))
    def get_report(self, started) -> dict | None:
        return started.report or None


@TAGGED
class ImportPreview(ApiView):
    parser_classes = MULTIPART
    throttle_scopes = ("import",)

    @writes(
        {"multipart/form-data": PreviewInput},
        PreviewOutput,
        summary="Read a file, recognise its tool and propose a mapping; nothing is stored (editor)",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        limit_upload(request, imports.MAX_BYTES)
        data = parse(PreviewInput, request)
        preview = imports.import_preview(
            actor=request.user,
            map=journey_map,
            data=read_upload(data["file"]),
            kind=data.get("kind"),
        )
        return Response(preview)


@TAGGED
class ImportRows(ApiView):
    parser_classes = MULTIPART
    throttle_scopes = ("import",)

    @writes(
        {"multipart/form-data": ImportInput},
        ImportReport,
        also={202: OpenApiResponse(ImportOutput, description="Started: follow its url.")},
        parameters=[IDEMPOTENCY_KEY],
        summary="Check a file's rows (confirm=false), or import them in the background (editor)",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        limit_upload(request, imports.MAX_BYTES)
        data = parse(ImportInput, request)
        upload = data["file"]
        arguments = {
            "actor": request.user,
            "map": journey_map,
            "data": read_upload(upload),
            "mapping": data["mapping"],
            "stage_id": data.get("stage"),
            "stage_column": data.get("stage_column") or None,
            "kind": data.get("kind"),
        }
        if not data["confirm"]:
            return Response(imports.import_check(**arguments))
        started = imports.import_start(**arguments, file_name=upload.name, op_id=op_id(request))
        body = ImportOutput(started).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


@TAGGED
class ImportList(ApiView):
    @reads(ImportOutput(many=True), summary="The map's imports, newest first")
    def get(self, request, map_id):
        found = imports.imports_of(map_for(request.user, map_id))
        return Response(ImportOutput(found[:100], many=True).data)


@TAGGED
class ImportDetail(ApiView):
    @reads(ImportOutput, summary="An import: its status, progress and, once done, its report")
    def get(self, request, map_id, import_id):
        journey_map = map_for(request.user, map_id)
        started = get_object_or_404(imports.imports_of(journey_map), pk=import_id)
        return Response(ImportOutput(started).data)
