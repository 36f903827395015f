"""What every REST view shares: authentication, parsing a body by a small input serializer (types
only: the services own the rules), the Idempotency-Key, answering a map change, and the schema
of reads, writes and deletes. Reads go through the access helpers, every write through a
service, so that a change made here shows up live on every open board and in the map's history.

Each write first checks the role it needs (so a viewer's bad input is a 403, not a 400), then
parses the body, then calls the service. Domain errors become responses in one place,
errors.py. A change to a map answers with the changed object as its event carries it, and the
map's new revision in the X-Map-Revision header.
"""

from collections.abc import Mapping

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..access import require_role
from ..models import (
    JourneyMap,
    MapEvent,
    Role,
    Workshop,
)

OP_ID_MAX = 100  # MapEvent.op_id


def text_field(**options):
    # Blank and surrounding spaces pass through: the service decides what a title may be.
    return serializers.CharField(allow_blank=True, trim_whitespace=False, **options)


def optional_int(**options):
    return serializers.IntegerField(required=False, allow_null=True, **options)


def parse(serializer_class, request, *, partial: bool = False, source=None) -> dict:
    """The typed body (or query), with only the fields the client sent."""
    data = request.data if source is None else source
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    # A misspelt field would otherwise be dropped in silence; query strings may carry ?format=.
    strict = source is None and isinstance(data, Mapping)
    unknown = set(data) - set(serializer.fields) if strict else set()
    if unknown:
        raise ValidationError({field: ["Unknown field."] for field in sorted(unknown)})
    return dict(serializer.validated_data)


def op_id(request) -> str:
    """A resent request with the same Idempotency-Key is answered, not applied again."""
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > OP_ID_MAX:
        raise ValidationError({"Idempotency-Key": [f"At most {OP_ID_MAX} characters."]})
    return key


class ConflictOutput(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    field = serializers.CharField()
    current = serializers.JSONField(help_text="The value someone else saved.")
    revision = serializers.IntegerField(
        help_text="Send again with this base_revision to keep yours."
    )


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Optional, at most 100 characters: a resent request with the same key (from the "
    "same user) answers with the first result instead of applying again.",
)


BAD_INPUT = OpenApiResponse(description="Invalid input: {field: [messages]}; nothing changed.")


UNAUTHORIZED = OpenApiResponse(description="Not logged in: send a session cookie or a token.")


FORBIDDEN = OpenApiResponse(description="Your role in this workshop is too low.")


NOT_FOUND = OpenApiResponse(description="No such object, or not a member of its workshop.")


CONFLICT = OpenApiResponse(
    ConflictOutput,
    description="Someone else changed this text since base_revision; nothing changed.",
)


LOCKED = OpenApiResponse(
    description='The facilitator has locked the board: {"code": "locked", "detail": "..."}; '
    "nothing changed. Facilitators still change it."
)


def revision_header(code: int) -> OpenApiParameter:
    return OpenApiParameter(
        "X-Map-Revision",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=[code],
        description="The map's revision after this change.",
    )


def reads(response, *, by_id: bool = True, **extra):
    responses = {200: response, 401: UNAUTHORIZED}
    if by_id:
        responses |= {403: FORBIDDEN, 404: NOT_FOUND}
    return extend_schema(responses=responses, **extra)


def writes(request, response, *, code: int = 200, map_change: bool = False, also=None, **extra):
    """Schema of a write: typed body, answer, errors and, for map changes, the revision header.
    `also`: other answers it may give, {status: OpenApiResponse}."""
    responses = {code: response, 400: BAD_INPUT, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND}
    responses |= also or {}
    parameters = list(extra.pop("parameters", []))
    if map_change:
        responses[409] = CONFLICT
        responses[423] = LOCKED
        parameters += [IDEMPOTENCY_KEY, revision_header(code)]
    return extend_schema(request=request, responses=responses, parameters=parameters, **extra)


def deletes(*, map_change: bool = False, **extra):
    return writes(None, None, code=204, map_change=map_change, **extra)


class ApiView(APIView):
    # Token first: an anonymous request then gets 401 with "WWW-Authenticate: Token", which tells
    # a script what to do; the browser's session works as before (with its CSRF check).
    authentication_classes = (TokenAuthentication, SessionAuthentication)


def changed(event: MapEvent, expected: str, code: int = status.HTTP_200_OK, body=None) -> Response:
    """Answer a map change with the object its event carries and the map's new revision."""
    if event.type != expected:
        # A replayed Idempotency-Key that was first used for another change: nothing was applied,
        # and answering with that other change would mislead.
        raise ValidationError({"Idempotency-Key": [f"Already used for a {event.type} change."]})
    if body is None and code != status.HTTP_204_NO_CONTENT:
        body = event.payload[expected.split(".")[0]]
    return Response(body, status=code, headers={"X-Map-Revision": str(event.revision)})


def workshop_of(request, workshop_id, role: str = Role.VIEWER) -> Workshop:
    workshop = get_object_or_404(Workshop, pk=workshop_id)
    workshop.role = require_role(request.user, workshop, role)
    return workshop


def part_of(journey_map: JourneyMap, model, part_id):
    """A stage, lane or card of this map, or 404."""
    return get_object_or_404(model, map=journey_map, pk=part_id)
