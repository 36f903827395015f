"""The map as a picture through the API (any member), for slides and chat messages: the PDF's
map pages as one PNG (documents/pdf/png.py). A share link's own picture is web/share.py's."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from workshops import rates
from workshops.access import map_for
from workshops.api.base import TOO_MANY, UNAUTHORIZED

from ..pdf import png


class PNGRenderer(BaseRenderer):
    """Lets clients send Accept: image/png; the view returns the bytes itself."""

    media_type = "image/png"
    format = "png"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)  # an error body, which is JSON


class PictureTooBigOutput(serializers.Serializer):
    code = serializers.CharField(help_text="picture_too_big")
    detail = serializers.CharField(help_text="What would fit: a smaller width, fewer lanes.")
    widest = serializers.IntegerField(
        allow_null=True, help_text="The widest picture of these lanes that fits, if any does."
    )


def too_big(error: png.TooBig) -> Response:
    body = {"code": "picture_too_big", "detail": str(error), "widest": error.widest}
    return Response(body, status=status.HTTP_409_CONFLICT)


class MapExportPNGView(APIView):
    renderer_classes = (JSONRenderer, PNGRenderer)
    throttle_classes = rates.throttle_classes("export")  # a picture takes seconds, as a PDF

    @extend_schema(
        operation_id="maps_export_png",
        summary="The map as one picture (PNG)",
        description="The map pages of the PDF (stages, lanes, cards, the emotion curve) stacked "
        "in one PNG of the width asked. Any member of the map's workshop may export it.",
        parameters=[
            OpenApiParameter(
                "width",
                {"type": "integer", "minimum": png.MIN_WIDTH, "maximum": png.MAX_WIDTH},
                description=f"Pixels, {png.MIN_WIDTH} to {png.MAX_WIDTH} "
                f"(default {png.DEFAULT_WIDTH}).",
            ),
            OpenApiParameter(
                "lanes",
                OpenApiTypes.STR,
                description="Lane ids to draw, comma-separated (default: every lane).",
            ),
            OpenApiParameter("format", exclude=True),  # the path says .png already
        ],
        responses={
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY, description="The PNG."),
            400: OpenApiResponse(description="A width outside the limits, or an unknown lane."),
            (409, "application/json"): OpenApiResponse(
                PictureTooBigOutput,
                description='Too big for one picture (docs/sharing.md, "The picture"): ask '
                "for a smaller width or fewer lanes.",
            ),
            401: UNAUTHORIZED,
            404: OpenApiResponse(description="No such map, or you are not a member."),
            429: TOO_MANY,  # the export rate: a picture takes seconds, as a PDF does
        },
        tags=["maps"],
    )
    def get(self, request, map_id: int):
        journey_map = map_for(request.user, map_id)
        try:
            return png.png_download(journey_map, request.query_params)
        except png.TooBig as error:
            return too_big(error)
