"""Downloading the executive PDF through the API; the board page's link is web/pdf.py. Both
read the same options (lanes=3,5, evidence=0/1, a comparison) and answer 404 to non-members.
A map too big to render in a request answers 409, pointing to the background exports
(api/exports.py)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from workshops import rates
from workshops.access import map_for

from ..pdf.download import TooBigForRequest, pdf_download


class PDFRenderer(BaseRenderer):
    """Lets clients send Accept: application/pdf; the view returns the bytes itself."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)  # an error body, which is JSON


class TooBigOutput(serializers.Serializer):
    code = serializers.CharField(help_text="export_in_background")
    detail = serializers.CharField()
    exports_url = serializers.CharField(help_text="POST the same options here (202).")


def too_big(error: TooBigForRequest, map_id: int) -> Response:
    body = {
        "code": "export_in_background",
        "detail": str(error),
        "exports_url": reverse("api-map-exports", args=[map_id]),
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


class MapExportPDFView(APIView):
    renderer_classes = (JSONRenderer, PDFRenderer)
    throttle_classes = rates.throttle_classes("export")  # a PDF takes seconds of a process

    @extend_schema(
        operation_id="maps_export_pdf",
        summary="The map as an executive PDF",
        description="Cover, executive summary, the map on landscape pages with the emotion curve, "
        "and one evidence section per stage. Any member of the map's workshop may export it.",
        parameters=[
            OpenApiParameter(
                "lanes",
                OpenApiTypes.STR,
                description="Lane ids to include, comma-separated (default: every lane).",
            ),
            OpenApiParameter(
                "evidence",
                OpenApiTypes.BOOL,
                description="Include the evidence section of each stage (default: true).",
            ),
            OpenApiParameter(
                "compare",
                OpenApiTypes.INT,
                description="Add a comparison section with this other map of the workshop.",
            ),
            OpenApiParameter(
                "compare_version",
                OpenApiTypes.INT,
                description="Add a comparison section with this saved version of the map.",
            ),
            OpenApiParameter("format", exclude=True),  # the path says .pdf already
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            400: OpenApiResponse(description="An unknown lane or a malformed option."),
            409: OpenApiResponse(
                TooBigOutput,
                description="More cards and evidence than a request renders (docs/api.md, "
                '"The PDF"): start a background export at exports_url instead.',
            ),
            404: OpenApiResponse(description="No such map, or you are not a member."),
        },
        tags=["maps"],
    )
    def get(self, request, map_id: int):
        journey_map = map_for(request.user, map_id)
        try:
            return pdf_download(request.user, journey_map, request.query_params)
        except TooBigForRequest as error:
            return too_big(error, map_id)
