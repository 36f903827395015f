"""Downloading the executive PDF through the API; the board page's link is web/pdf.py. Both
read the same options (lanes=3,5, evidence=0/1, a comparison) and answer 404 to non-members."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.views import APIView

from workshops.access import map_for

from ..pdf.download import pdf_download


class PDFRenderer(BaseRenderer):
    """Lets clients send Accept: application/pdf; the view returns the bytes itself."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)  # an error body, which is JSON


class MapExportPDFView(APIView):
    renderer_classes = (JSONRenderer, PDFRenderer)

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
            404: OpenApiResponse(description="No such map, or you are not a member."),
        },
        tags=["maps"],
    )
    def get(self, request, map_id: int):
        journey_map = map_for(request.user, map_id)
        return pdf_download(request.user, journey_map, request.query_params)
