"""Domain errors mapped to API responses, in one place (HackSoft style)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .services import EditConflict


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, EditConflict):
        return Response(
            {"code": "conflict", "detail": str(exc), "field": exc.field, "current": exc.current,
             "revision": exc.revision},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
