"""What the evidence API's views share: the upload limit, the piece of a map, the tag."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser

from workshops.models import JourneyMap

from .. import importing
from ..models import Evidence

UPLOAD_SLACK = 64 * 1024  # the multipart envelope around a file


def limit_upload(request, limit: int):
    """Refuse an oversized upload from its Content-Length, before Django reads the body."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > limit + UPLOAD_SLACK:
        raise ValidationError({"file": [f"The upload is over {limit // 1024 // 1024} MB."]})


def piece_of(journey_map: JourneyMap, pk) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related("added_by", "card"), map=journey_map, pk=pk
    )


MULTIPART = [MultiPartParser, FormParser]


TAGGED = extend_schema(tags=["evidence"])


def read_upload(upload) -> bytes:
    if upload.size > importing.MAX_BYTES:
        raise ValidationError(
            {"file": [f"The file is over {importing.MAX_BYTES // 1024 // 1024} MB."]}
        )
    return upload.read()
