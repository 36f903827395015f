"""Domain errors mapped to API responses, in one place (HackSoft style).

ValidationError with a field dict -> 400 {field: [messages]}; PermissionDenied -> 403;
Http404 -> 404; EditConflict -> 409 with the current value; BoardLocked (a change while the
facilitator has locked the board) -> 423 {"code": "locked", "detail": message}; UndoRefused
(services/undo.py) -> 409 {"code": "undo_conflict" | "nothing_to_undo" | "nothing_to_redo",
"detail"}; DataError (a value the database refuses) -> 400. DRF's own errors (input
serializers, authentication, throttles) keep DRF's handling. Refusals for a rate limit or a
role too low are also written to the audit log.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..models import AuditKind
from ..services import BoardLocked, EditConflict, UndoRefused
from ..services.audit import audit_record


def exception_handler(exc, context):
    if isinstance(exc, UndoRefused):
        return Response({"code": exc.code, "detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, BoardLocked):
        return Response({"code": "locked", "detail": str(exc)}, status=status.HTTP_423_LOCKED)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, EditConflict):
        return Response(
            {
                "code": "conflict",
                "detail": str(exc),
                "field": exc.field,
                "current": exc.current,
                "revision": exc.revision,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        # One message for every 404: "No such workshop" (not a member) against "No JourneyMap
        # matches" (no such id) would tell an outsider which ids exist.
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DataError):
        # The database refused a value (a number past its column, on PostgreSQL): the input's
        # fault, so a 400 and not a 500, though the serializers bound what they can before.
        return Response(
            {"detail": "A value is out of the range the database holds."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    _audit(exc, context["request"])
    return response


def _audit(exc, request) -> None:
    """Refusals worth a staff member's look go to the audit log (services/audit.py)."""
    if isinstance(exc, Throttled):
        audit_record(kind=AuditKind.THROTTLED, request=request, detail=str(exc.detail))
    elif isinstance(exc, PermissionDenied | DRFPermissionDenied) and request.user.is_authenticated:
        audit_record(kind=AuditKind.REFUSED, request=request, detail=str(exc))
