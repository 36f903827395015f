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

from django.http import QueryDict
from django.shortcuts import get_object_or_404
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from ..access import require_role
from ..models import (
    ID_MAX,
    JourneyMap,
    MapEvent,
    Role,
    Workshop,
)
from ..rates import throttle_classes
from ..services.checks import is_whole_number
from .authentication import ExpiringTokenAuthentication
from .parsers import LimitedJSONParser

OP_ID_MAX = 100  # MapEvent.op_id


# In the serializer's context when the input is a JSON body, whose values have types: there a
# number must be a JSON number and text a JSON string, as the schema says (DRF alone takes "5"
# for 5 and 5 for "5"). Query strings and forms are all text, and are read as DRF reads them.
TYPED = "typed"


class TextField(serializers.CharField):
    """Text as sent: blank and surrounding spaces pass through, since the service decides what
    a title may be. `nonblank` and `limit` only tell the schema what the service will hold it
    to (minLength, a non-space, maxLength), so that the schema says what the API refuses."""

    def __init__(self, *, nonblank: bool = False, limit: int | None = None, **options):
        self.nonblank, self.limit = nonblank, limit
        super().__init__(allow_blank=True, trim_whitespace=False, **options)

    def to_internal_value(self, data):
        if self.context.get(TYPED) and not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextFieldSchema(OpenApiSerializerFieldExtension):
    target_class = TextField

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string"}
        if self.target.nonblank:
            schema |= {"minLength": 1, "pattern": r"\S"}
        if self.target.limit is not None:
            schema["maxLength"] = self.target.limit
        return schema


def text_field(**options):
    return TextField(**options)


class WholeNumberField(serializers.IntegerField):
    """A whole number that a query can carry: within the 64-bit range of the database's ids
    and integers (past it SQLite overflows, a 500), unless narrower bounds are given."""

    def __init__(self, *, min_value: int = -ID_MAX, max_value: int = ID_MAX, **options):
        super().__init__(
            min_value=max(min_value, -ID_MAX), max_value=min(max_value, ID_MAX), **options
        )

    def to_internal_value(self, data):
        if self.context.get(TYPED) and not is_whole_number(data):
            self.fail("invalid")
        return super().to_internal_value(data)


def whole_number(**options):
    """Every integer the API reads, from a body or a query string, is one of these."""
    return WholeNumberField(**options)


def optional_int(**options):
    return whole_number(required=False, allow_null=True, **options)


class NumberField(serializers.FloatField):
    """A finite number; in a JSON body a JSON number. `limit` tells the schema the magnitude
    the service allows (the service refuses past it, with its own message)."""

    def __init__(self, *, limit: float | None = None, **options):
        self.limit = limit
        super().__init__(**options)

    def to_internal_value(self, data):
        if self.context.get(TYPED) and (
            isinstance(data, bool) or not isinstance(data, int | float)
        ):
            self.fail("invalid")
        return super().to_internal_value(data)


class NumberFieldSchema(OpenApiSerializerFieldExtension):
    target_class = NumberField

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "number", "format": "double"}
        if self.target.limit is not None:
            schema |= {"minimum": -self.target.limit, "maximum": self.target.limit}
        return schema


def parse(serializer_class, request, *, partial: bool = False, source=None) -> dict:
    """The typed body (or query), with only the fields the client sent."""
    data = request.data if source is None else source
    typed = source is None and not isinstance(data, QueryDict)
    if source is not None and isinstance(source, QueryDict):
        # As a plain dict: from a QueryDict DRF reads a blank "?workshop=" as no workshop at
        # all, and a client whose id went missing would silently get everything.
        data = source.dict()
    serializer = serializer_class(data=data, partial=partial, context={TYPED: typed})
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


class ErrorOutput(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


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
    parameters = list(extra.pop("parameters", []))
    if map_change:
        responses |= {409: CONFLICT, 423: LOCKED}
        parameters += [IDEMPOTENCY_KEY, revision_header(code)]
    responses |= also or {}
    return extend_schema(request=request, responses=responses, parameters=parameters, **extra)


def deletes(*, map_change: bool = False, **extra):
    return writes(None, None, code=204, map_change=map_change, **extra)


TOO_MANY = OpenApiResponse(
    description='Over a rate limit (docs/api.md, "Limits"): wait the Retry-After seconds.'
)


class ApiView(APIView):
    # Token first: an anonymous request then gets 401 with "WWW-Authenticate: Token", which tells
    # a script what to do; the browser's session works as before (with its CSRF check).
    authentication_classes = (ExpiringTokenAuthentication, SessionAuthentication)
    # JSON within its bounds (parsers.py); forms and files for the uploads.
    parser_classes = (LimitedJSONParser, FormParser, MultiPartParser)
    # What else than writing it does that is limited (rates.py): "import", "export"...
    throttle_scopes: tuple[str, ...] = ()

    def get_throttles(self):
        scopes = list(self.throttle_scopes)
        if self.request.method not in SAFE_METHODS:
            scopes.append("write")
        return [throttle() for throttle in throttle_classes(*scopes)]


def expect_event(event: MapEvent, expected: str) -> MapEvent:
    """The change's event, unless it is a replay of another kind of change."""
    if event.type != expected:
        # A replayed Idempotency-Key that was first used for another change: nothing was applied,
        # and answering with that other change would mislead.
        raise ValidationError({"Idempotency-Key": [f"Already used for a {event.type} change."]})
    return event


def changed(event: MapEvent, expected: str, code: int = status.HTTP_200_OK, body=None) -> Response:
    """Answer a map change with the object its event carries and the map's new revision."""
    expect_event(event, expected)
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
