"""PDFs made in the background (docs/api.md, "The PDF"): start one (202, then follow its url),
read its state, download its file. Each person sees their own exports of a map they are a
member of; anyone else gets 404, as for the map itself."""

from django.http import FileResponse, QueryDict
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from workshops.access import map_for
from workshops.api.base import ApiView, parse, reads, text_field, whole_number, writes

from ..models import ExportStatus, PdfExport
from ..pdf import exports
from ..pdf.options import filename_for
from .pdf import PDFRenderer


class ExportInput(serializers.Serializer):
    """The options of GET export.pdf, in the body (or, with an empty body, the query string)."""

    lanes = text_field(required=False, help_text="Lane ids, comma-separated (default: every lane).")
    evidence = serializers.BooleanField(
        required=False, default=True, help_text="Include the evidence pages (default: true)."
    )
    compare = whole_number(required=False, help_text="Add a comparison with this map.")
    compare_version = whole_number(
        required=False, help_text="Add a comparison with this version of the map."
    )


class ExportOptionsOutput(serializers.Serializer):
    lanes = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    evidence = serializers.BooleanField()
    compare = serializers.IntegerField(allow_null=True)
    compare_version = serializers.IntegerField(allow_null=True)


class ExportOutput(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    options = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="Follow the export here.")
    file_url = serializers.SerializerMethodField(help_text="The PDF, once done.")
    expires_at = serializers.SerializerMethodField(help_text="When its file is deleted.")

    class Meta:
        model = PdfExport
        fields = [
            "id",
            "map",
            "status",
            "status_label",
            "options",
            "pages",
            "size",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "url",
            "file_url",
        ]

    @extend_schema_field(ExportOptionsOutput)
    def get_options(self, export) -> dict:
        query = QueryDict(export.query)
        lanes = query.get("lanes")

        def whole(name):
            return int(query[name]) if name in query else None

        return {
            "lanes": [int(lane) for lane in lanes.split(",")] if lanes else None,
            "evidence": query.get("evidence", "1") == "1",
            "compare": whole("compare"),
            "compare_version": whole("compare_version"),
        }

    def get_url(self, export) -> str:
        return reverse("api-map-export-detail", args=[export.map_id, export.pk])

    def get_file_url(self, export) -> str | None:
        if export.status != ExportStatus.DONE:
            return None
        return reverse("api-map-export-file", args=[export.map_id, export.pk])

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_expires_at(self, export):
        return exports.expires_at(export)


def as_query(options: dict) -> dict:
    """The parsed input as export.pdf's query string spells it (exports.canonical_query)."""
    query = {"lanes": options.get("lanes", ""), "evidence": "1" if options["evidence"] else "0"}
    for name in ("compare", "compare_version"):
        if options.get(name) is not None:
            query[name] = str(options[name])
    return query


class ExportList(ApiView):
    throttle_scopes = ("export",)

    @reads(ExportOutput(many=True), summary="Your PDF exports of the map, newest first")
    def get(self, request, map_id):
        found = exports.exports_of(map_for(request.user, map_id), request.user)
        return Response(ExportOutput(found[:50], many=True).data)

    @writes(
        ExportInput,
        ExportOutput,
        code=202,
        summary="Make the map's PDF in the background (viewer): 202, then follow its url",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id)
        source = None if request.data else request.query_params
        options = parse(ExportInput, request, source=source)
        started = exports.export_start(actor=request.user, map=journey_map, query=as_query(options))
        body = ExportOutput(started).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class ExportDetail(ApiView):
    @reads(ExportOutput, summary="A PDF export: queued, rendering, done (file_url) or failed")
    def get(self, request, map_id, export_id):
        journey_map = map_for(request.user, map_id)
        return Response(ExportOutput(exports.export_for(journey_map, request.user, export_id)).data)


class ExportFile(ApiView):
    renderer_classes = (JSONRenderer, PDFRenderer)

    @extend_schema(
        operation_id="maps_exports_file",
        summary="The PDF of a finished export",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            404: OpenApiResponse(description="No such export of yours, or not a member."),
            409: OpenApiResponse(description="Not ready: queued, rendering, failed or expired."),
        },
        tags=["maps"],
    )
    def get(self, request, map_id, export_id):
        journey_map = map_for(request.user, map_id)
        export = exports.export_for(journey_map, request.user, export_id)
        if export.status != ExportStatus.DONE:
            body = {"code": f"export_{export.status}", "detail": export.get_status_display()}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=filename_for(journey_map),
            content_type="application/pdf",
        )
