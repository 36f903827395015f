"""Importing evidence from a file: the preview, and the import itself."""

from rest_framework import serializers
from rest_framework.response import Response

from workshops.access import map_for
from workshops.api.base import (
    ApiView,
    op_id,
    optional_int,
    parse,
    writes,
)
from workshops.models import Role

from .. import imports, services
from .base import MULTIPART, TAGGED, limit_upload, read_upload


class PreviewInput(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV file: comma, semicolon or tab separated.")
    kind = serializers.ChoiceField(imports.KINDS)


class ImportInput(PreviewInput):
    mapping = serializers.JSONField(help_text='{"csv column": "field"}, as the preview guesses it.')
    stage = optional_int(help_text="The stage of every row; or give stage_column.")
    stage_column = serializers.CharField(
        required=False, allow_blank=True, help_text="The column naming each row's stage (by title)."
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="false: only check and report; true: import the valid rows.",
    )


class PreviewOutput(serializers.Serializer):
    kind = serializers.CharField()
    header = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The first rows, as read.",
    )
    row_count = serializers.IntegerField()
    delimiter = serializers.CharField()
    encoding = serializers.CharField()
    mapping = serializers.DictField(
        child=serializers.CharField(), help_text="Guessed {column: field}."
    )
    stage_column = serializers.CharField(
        allow_null=True, help_text="A column that seems to name stages."
    )
    fields = serializers.ListField(child=serializers.CharField())
    required = serializers.ListField(child=serializers.CharField())


class RowError(serializers.Serializer):
    row = serializers.IntegerField(help_text="As a spreadsheet numbers it: the header is row 1.")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ImportReport(serializers.Serializer):
    kind = serializers.CharField()
    rows = serializers.IntegerField()
    valid = serializers.IntegerField()
    failed = serializers.IntegerField()
    errors = RowError(many=True, help_text="The first 200 failed rows.")
    imported = serializers.IntegerField(help_text="0 unless confirm was true.")
    revision = serializers.IntegerField(
        required=False, help_text="The map's revision after the import."
    )
    delimiter = serializers.CharField()
    encoding = serializers.CharField()


@TAGGED
class ImportPreview(ApiView):
    parser_classes = MULTIPART

    @writes(
        {"multipart/form-data": PreviewInput},
        PreviewOutput,
        summary="Read a CSV file and guess its columns; nothing is stored (editor)",
    )
    def post(self, request, map_id):
        map_for(request.user, map_id, Role.EDITOR)
        limit_upload(request, imports.MAX_BYTES)
        data = parse(PreviewInput, request)
        return Response(imports.preview(read_upload(data["file"]), kind=data["kind"]))


@TAGGED
class ImportRows(ApiView):
    parser_classes = MULTIPART

    @writes(
        {"multipart/form-data": ImportInput},
        ImportReport,
        map_change=True,
        summary="Check a CSV file's rows and, with confirm=true, import the valid ones (editor)",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        limit_upload(request, imports.MAX_BYTES)
        data = parse(ImportInput, request)
        report = services.evidence_import(
            actor=request.user,
            map=journey_map,
            op_id=op_id(request),
            kind=data["kind"],
            data=read_upload(data["file"]),
            mapping=data["mapping"],
            stage_id=data.get("stage"),
            stage_column=data.get("stage_column") or None,
            confirm=data["confirm"],
        )
        headers = {"X-Map-Revision": str(report["revision"])} if "revision" in report else {}
        return Response(report, headers=headers)
