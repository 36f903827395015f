"""The REST API. Reads go through the access helpers, every write through a service, so that a
change made here shows up live on every open board and in the map's history.

Each write first checks the role it needs (so a viewer's bad input is a 403, not a 400), then
parses the body with a small input serializer (types only: "position": "abc" is a 400 naming the
field), then calls the service, which owns every rule. Domain errors become responses in one place,
api_errors.py. A change to a map answers with the changed object as its event carries it, and the
map's new revision in the X-Map-Revision header.
"""

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.db.models import F
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import history, services, undo, voting
from .access import map_for, require_role
from .broadcast import event_message
from .map_templates import MAP_TEMPLATES
from .models import (
    Card,
    JourneyMap,
    Lane,
    LaneKind,
    MapEvent,
    MapState,
    Membership,
    Persona,
    Role,
    Stage,
    Workshop,
)
from .serializers import (
    BoardSerializer,
    CardSerializer,
    LaneSerializer,
    MapSerializer,
    MembershipSerializer,
    PersonaSerializer,
    StageSerializer,
    WorkshopSerializer,
)

OP_ID_MAX = 100  # MapEvent.op_id
EVENTS_PAGE = 500

# --- input serializers: types only, the services own the rules --------------------------------


def text_field(**options):
    # Blank and surrounding spaces pass through: the service decides what a title may be.
    return serializers.CharField(allow_blank=True, trim_whitespace=False, **options)


def optional_int(**options):
    return serializers.IntegerField(required=False, allow_null=True, **options)


class WorkshopInput(serializers.Serializer):
    name = text_field()
    description = text_field(required=False)


class MemberInput(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(Role.choices)


class RoleInput(serializers.Serializer):
    role = serializers.ChoiceField(Role.choices)


class PersonaInput(serializers.Serializer):
    name = text_field()
    segment = text_field(required=False)
    description = text_field(required=False)
    goals = text_field(required=False)


class MapCreateInput(serializers.Serializer):
    workshop = serializers.IntegerField()
    title = text_field()
    description = text_field(required=False)
    persona = optional_int()
    state = serializers.ChoiceField(MapState.choices, required=False)
    template = serializers.ChoiceField(list(MAP_TEMPLATES), required=False)


class MapUpdateInput(serializers.Serializer):
    title = text_field(required=False)
    description = text_field(required=False)
    persona = optional_int()
    state = serializers.ChoiceField(MapState.choices, required=False)
    base_revision = serializers.IntegerField(required=False, min_value=0)


class StageInput(serializers.Serializer):
    title = text_field()
    description = text_field(required=False)
    position = serializers.IntegerField(required=False)


class StageUpdateInput(serializers.Serializer):
    title = text_field(required=False)
    description = text_field(required=False)
    base_revision = serializers.IntegerField(required=False, min_value=0)


class LaneInput(serializers.Serializer):
    title = text_field()
    kind = serializers.ChoiceField(LaneKind.choices, required=False)
    position = serializers.IntegerField(required=False)


class LaneUpdateInput(serializers.Serializer):
    title = text_field(required=False)
    kind = serializers.ChoiceField(LaneKind.choices, required=False)
    base_revision = serializers.IntegerField(required=False, min_value=0)


class CardInput(serializers.Serializer):
    stage = serializers.IntegerField()
    lane = serializers.IntegerField()
    text = text_field(required=False)
    channel = text_field(required=False)
    emotion_score = optional_int(help_text="-2..2, cards in an emotions lane only.")
    severity = optional_int(help_text="1..3, cards in a pain points lane only.")
    position = serializers.IntegerField(
        required=False, help_text="0-based; default: end of the cell."
    )


class CardUpdateInput(serializers.Serializer):
    text = text_field(required=False)
    channel = text_field(required=False)
    emotion_score = optional_int()
    severity = optional_int()
    base_revision = serializers.IntegerField(required=False, min_value=0)


class CardMoveInput(serializers.Serializer):
    stage = serializers.IntegerField()
    lane = serializers.IntegerField()
    position = serializers.IntegerField(help_text="0-based, within the target cell.")


class MoveInput(serializers.Serializer):
    position = serializers.IntegerField(help_text="0-based.")


class MapFilter(serializers.Serializer):
    workshop = serializers.IntegerField(required=False, help_text="Only the maps of this workshop.")


class EventsQuery(serializers.Serializer):
    since = serializers.IntegerField(
        required=False, min_value=0, default=0, help_text="Events after this revision."
    )
    before = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Instead of since: the events before this revision, newest first.",
    )
    actor = serializers.IntegerField(required=False, help_text="Only this user's changes.")
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=EVENTS_PAGE, default=EVENTS_PAGE
    )


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


# --- output serializers that exist only here --------------------------------------------------


class WorkshopOutput(WorkshopSerializer):
    role = serializers.CharField(read_only=True, help_text="Your role in this workshop.")

    class Meta(WorkshopSerializer.Meta):
        fields = WorkshopSerializer.Meta.fields + ["role"]


class ActorOutput(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class EventOutput(serializers.Serializer):
    """One event as the live board receives it (docs/realtime.md)."""

    type = serializers.CharField()
    map = serializers.IntegerField()
    revision = serializers.IntegerField()
    event = serializers.CharField(help_text="card.created, card.moved, stage.deleted, ...")
    actor = ActorOutput()
    op = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()
    payload = serializers.JSONField()


class EventsOutput(serializers.Serializer):
    map = serializers.IntegerField()
    since = serializers.IntegerField()
    revision = serializers.IntegerField(help_text="The map's current revision.")
    before = serializers.IntegerField(allow_null=True, help_text="The before asked, if any.")
    events = EventOutput(many=True)
    more = serializers.BooleanField(
        help_text="True when there are more: ask again since the last (before the oldest)."
    )


class ConflictOutput(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    field = serializers.CharField()
    current = serializers.JSONField(help_text="The value someone else saved.")
    revision = serializers.IntegerField(
        help_text="Send again with this base_revision to keep yours."
    )


# --- schema helpers ---------------------------------------------------------------------------

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


def writes(request, response, *, code: int = 200, map_change: bool = False, **extra):
    """Schema of a write: typed body, answer, errors and, for map changes, the revision header."""
    responses = {code: response, 400: BAD_INPUT, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND}
    parameters = list(extra.pop("parameters", []))
    if map_change:
        responses[409] = CONFLICT
        responses[423] = LOCKED
        parameters += [IDEMPOTENCY_KEY, revision_header(code)]
    return extend_schema(request=request, responses=responses, parameters=parameters, **extra)


def deletes(*, map_change: bool = False, **extra):
    return writes(None, None, code=204, map_change=map_change, **extra)


# --- the views --------------------------------------------------------------------------------


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


# workshops


class WorkshopList(ApiView):
    @reads(WorkshopOutput(many=True), by_id=False, summary="Your workshops")
    def get(self, request):
        # The filter and the annotation share the join: the role is the caller's own.
        workshops = Workshop.objects.for_user(request.user).annotate(role=F("memberships__role"))
        return Response(WorkshopOutput(workshops, many=True).data)

    @writes(WorkshopInput, WorkshopOutput, code=201, summary="Create a workshop; you facilitate it")
    def post(self, request):
        workshop = services.workshop_create(actor=request.user, **parse(WorkshopInput, request))
        workshop.role = Role.FACILITATOR
        return Response(WorkshopOutput(workshop).data, status=status.HTTP_201_CREATED)


class WorkshopDetail(ApiView):
    @reads(WorkshopOutput)
    def get(self, request, workshop_id):
        return Response(WorkshopOutput(workshop_of(request, workshop_id)).data)

    @writes(WorkshopInput, WorkshopOutput, summary="Rename or describe (facilitator)")
    def patch(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        changes = parse(WorkshopInput, request, partial=True)
        services.workshop_update(actor=request.user, workshop=workshop, **changes)
        return Response(WorkshopOutput(workshop).data)

    @deletes(summary="Delete with all its maps (facilitator)")
    def delete(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        services.workshop_delete(actor=request.user, workshop=workshop)
        return Response(status=status.HTTP_204_NO_CONTENT)


# members


def membership_of(workshop: Workshop, user_id) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"), workshop=workshop, user_id=user_id
    )


class MemberList(ApiView):
    @reads(MembershipSerializer(many=True))
    def get(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id)
        members = workshop.memberships.select_related("user")
        return Response(MembershipSerializer(members, many=True).data)

    @writes(
        MemberInput,
        MembershipSerializer,
        code=201,
        summary="Add a member, or change the role of one (facilitator)",
    )
    def post(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        data = parse(MemberInput, request)
        user = get_user_model().objects.filter(username=data["username"]).first()
        if user is None:
            raise ValidationError({"username": [f"No user {data['username']!r}."]})
        membership = services.membership_set(
            actor=request.user, workshop=workshop, user=user, role=data["role"]
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberDetail(ApiView):
    @reads(MembershipSerializer)
    def get(self, request, workshop_id, user_id):
        workshop = workshop_of(request, workshop_id)
        return Response(MembershipSerializer(membership_of(workshop, user_id)).data)

    @writes(RoleInput, MembershipSerializer, summary="Change a member's role (facilitator)")
    def patch(self, request, workshop_id, user_id):
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        membership = membership_of(workshop, user_id)
        role = parse(RoleInput, request)["role"]
        membership = services.membership_set(
            actor=request.user, workshop=workshop, user=membership.user, role=role
        )
        return Response(MembershipSerializer(membership).data)

    @deletes(summary="Remove a member (facilitator)")
    def delete(self, request, workshop_id, user_id):
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        membership = membership_of(workshop, user_id)
        services.membership_remove(actor=request.user, workshop=workshop, user=membership.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# personas


class PersonaList(ApiView):
    @reads(PersonaSerializer(many=True))
    def get(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id)
        return Response(PersonaSerializer(workshop.personas.all(), many=True).data)

    @writes(PersonaInput, PersonaSerializer, code=201, summary="Create a persona (facilitator)")
    def post(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id, Role.FACILITATOR)
        persona = services.persona_create(
            actor=request.user, workshop=workshop, **parse(PersonaInput, request)
        )
        return Response(PersonaSerializer(persona).data, status=status.HTTP_201_CREATED)


class PersonaDetail(ApiView):
    def persona(self, request, workshop_id, persona_id, role=Role.VIEWER) -> Persona:
        workshop = workshop_of(request, workshop_id, role)
        return get_object_or_404(workshop.personas, pk=persona_id)

    @reads(PersonaSerializer)
    def get(self, request, workshop_id, persona_id):
        return Response(PersonaSerializer(self.persona(request, workshop_id, persona_id)).data)

    @writes(PersonaInput, PersonaSerializer, summary="Change a persona (facilitator)")
    def patch(self, request, workshop_id, persona_id):
        persona = self.persona(request, workshop_id, persona_id, Role.FACILITATOR)
        changes = parse(PersonaInput, request, partial=True)
        services.persona_update(actor=request.user, persona=persona, **changes)
        return Response(PersonaSerializer(persona).data)

    @deletes(summary="Delete a persona; its maps keep going without one (facilitator)")
    def delete(self, request, workshop_id, persona_id):
        persona = self.persona(request, workshop_id, persona_id, Role.FACILITATOR)
        services.persona_delete(actor=request.user, persona=persona)
        return Response(status=status.HTTP_204_NO_CONTENT)


# maps


class MapList(ApiView):
    @reads(MapSerializer(many=True), by_id=False, parameters=[MapFilter], summary="Your maps")
    def get(self, request):
        workshop_id = parse(MapFilter, request, source=request.query_params).get("workshop")
        maps = JourneyMap.objects.for_user(request.user).select_related("persona")
        if workshop_id is not None:
            maps = maps.filter(workshop_id=workshop_id)
        return Response(MapSerializer(maps, many=True).data)

    @writes(
        MapCreateInput,
        BoardSerializer,
        code=201,
        parameters=[revision_header(201)],
        summary="Create a map from a template (facilitator of its workshop)",
    )
    def post(self, request):
        data = parse(MapCreateInput, request)
        workshop = workshop_of(request, data.pop("workshop"), Role.FACILITATOR)
        if "persona" in data:
            data["persona_id"] = data.pop("persona")
        journey_map = services.map_create(actor=request.user, workshop=workshop, **data)
        board = JourneyMap.objects.with_board().get(pk=journey_map.pk)
        return Response(
            BoardSerializer(board).data,
            status=status.HTTP_201_CREATED,
            headers={"X-Map-Revision": str(board.revision)},
        )


class MapDetail(ApiView):
    @reads(BoardSerializer, summary="The whole board: map, stages, lanes and cards")
    def get(self, request, map_id):
        # One fetch of the board, then the role: a fixed number of queries whatever its size.
        board = get_object_or_404(JourneyMap.objects.with_board(viewer=request.user), pk=map_id)
        require_role(request.user, board.workshop, Role.VIEWER)
        return Response(voting.board_data(board, request.user))

    @writes(
        MapUpdateInput,
        MapSerializer,
        map_change=True,
        summary="Title, description (editor); persona, state (facilitator)",
    )
    def patch(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        changes = parse(MapUpdateInput, request, partial=True)
        event = services.map_update(
            actor=request.user, map=journey_map, op_id=op_id(request), **changes
        )
        return changed(event, "map.updated")

    @deletes(summary="Delete the map (facilitator)")
    def delete(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.FACILITATOR)
        services.map_delete(actor=request.user, map=journey_map)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MapEvents(ApiView):
    @reads(EventsOutput, parameters=[EventsQuery], summary="The map's history after a revision")
    def get(self, request, map_id):
        query = parse(EventsQuery, request, source=request.query_params)
        journey_map = map_for(request.user, map_id)
        events, more = history.events_page(journey_map, viewer=request.user.pk, **query)
        return Response(
            {
                "map": journey_map.pk,
                "since": query["since"],
                "before": query.get("before"),
                "revision": journey_map.revision,
                "events": events,
                "more": more,
            }
        )


class MapUndo(ApiView):
    step = staticmethod(undo.change_undo)

    @writes(
        None,
        EventOutput,
        map_change=True,
        summary="Undo your newest change on this map that is not undone yet (editor)",
        description="409 with code undo_conflict when someone else has changed it since, "
        "nothing_to_undo (nothing_to_redo) when there is nothing; nothing changes then.",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        event = self.step(actor=request.user, map=journey_map, op_id=op_id(request))
        return Response(
            event_message(event, viewer=request.user.pk),
            headers={"X-Map-Revision": str(event.revision)},
        )


class MapRedo(MapUndo):
    step = staticmethod(undo.change_redo)

    @writes(
        None,
        EventOutput,
        map_change=True,
        summary="Redo your newest undone change, if you made no new one since (editor)",
    )
    def post(self, request, map_id):
        return super().post(request, map_id)


# stages and lanes


def part_of(journey_map: JourneyMap, model, part_id):
    """A stage, lane or card of this map, or 404."""
    return get_object_or_404(model, map=journey_map, pk=part_id)


class StageList(ApiView):
    @reads(StageSerializer(many=True))
    def get(self, request, map_id):
        return Response(StageSerializer(map_for(request.user, map_id).stages.all(), many=True).data)

    @writes(StageInput, StageSerializer, code=201, map_change=True, summary="Add a stage (editor)")
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        event = services.stage_create(
            actor=request.user, map=journey_map, op_id=op_id(request), **parse(StageInput, request)
        )
        return changed(event, "stage.created", status.HTTP_201_CREATED)


class StageDetail(ApiView):
    @reads(StageSerializer)
    def get(self, request, map_id, stage_id):
        return Response(
            StageSerializer(part_of(map_for(request.user, map_id), Stage, stage_id)).data
        )

    @writes(StageUpdateInput, StageSerializer, map_change=True, summary="Change a stage (editor)")
    def patch(self, request, map_id, stage_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        part_of(journey_map, Stage, stage_id)
        changes = parse(StageUpdateInput, request, partial=True)
        event = services.stage_update(
            actor=request.user, map=journey_map, op_id=op_id(request), stage_id=stage_id, **changes
        )
        return changed(event, "stage.updated")

    @deletes(map_change=True, summary="Delete a stage and its cards (editor)")
    def delete(self, request, map_id, stage_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        part_of(journey_map, Stage, stage_id)
        event = services.stage_delete(
            actor=request.user, map=journey_map, op_id=op_id(request), stage_id=stage_id
        )
        return changed(event, "stage.deleted", status.HTTP_204_NO_CONTENT)


class StageMove(ApiView):
    @writes(MoveInput, StageSerializer, map_change=True, summary="Move a stage (editor)")
    def post(self, request, map_id, stage_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        stage = part_of(journey_map, Stage, stage_id)
        event = services.stage_move(
            actor=request.user,
            map=journey_map,
            op_id=op_id(request),
            stage_id=stage_id,
            **parse(MoveInput, request),
        )
        # The event carries only the new order; the answer is the stage in its new place.
        stage.refresh_from_db()
        return changed(event, "stage.moved", body=StageSerializer(stage).data)


class LaneList(ApiView):
    @reads(LaneSerializer(many=True))
    def get(self, request, map_id):
        return Response(LaneSerializer(map_for(request.user, map_id).lanes.all(), many=True).data)

    @writes(LaneInput, LaneSerializer, code=201, map_change=True, summary="Add a lane (editor)")
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        event = services.lane_create(
            actor=request.user, map=journey_map, op_id=op_id(request), **parse(LaneInput, request)
        )
        return changed(event, "lane.created", status.HTTP_201_CREATED)


class LaneDetail(ApiView):
    @reads(LaneSerializer)
    def get(self, request, map_id, lane_id):
        return Response(LaneSerializer(part_of(map_for(request.user, map_id), Lane, lane_id)).data)

    @writes(LaneUpdateInput, LaneSerializer, map_change=True, summary="Change a lane (editor)")
    def patch(self, request, map_id, lane_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        part_of(journey_map, Lane, lane_id)
        changes = parse(LaneUpdateInput, request, partial=True)
        event = services.lane_update(
            actor=request.user, map=journey_map, op_id=op_id(request), lane_id=lane_id, **changes
        )
        return changed(event, "lane.updated")

    @deletes(map_change=True, summary="Delete a lane and its cards (editor)")
    def delete(self, request, map_id, lane_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        part_of(journey_map, Lane, lane_id)
        event = services.lane_delete(
            actor=request.user, map=journey_map, op_id=op_id(request), lane_id=lane_id
        )
        return changed(event, "lane.deleted", status.HTTP_204_NO_CONTENT)


class LaneMove(ApiView):
    @writes(MoveInput, LaneSerializer, map_change=True, summary="Move a lane (editor)")
    def post(self, request, map_id, lane_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        lane = part_of(journey_map, Lane, lane_id)
        event = services.lane_move(
            actor=request.user,
            map=journey_map,
            op_id=op_id(request),
            lane_id=lane_id,
            **parse(MoveInput, request),
        )
        lane.refresh_from_db()
        return changed(event, "lane.moved", body=LaneSerializer(lane).data)


# cards


def cell_arguments(data: dict) -> dict:
    """The services name the target cell stage_id and lane_id; the wire says stage and lane."""
    for field in ("stage", "lane"):
        if field in data:
            data[f"{field}_id"] = data.pop(field)
    return data


class CardList(ApiView):
    @reads(CardSerializer(many=True))
    def get(self, request, map_id):
        cards = map_for(request.user, map_id).cards.visible_to(request.user)
        cards = cards.select_related("author")
        return Response(CardSerializer(cards, many=True).data)

    @writes(CardInput, CardSerializer, code=201, map_change=True, summary="Add a card (editor)")
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        data = cell_arguments(parse(CardInput, request))
        event = services.card_create(
            actor=request.user, map=journey_map, op_id=op_id(request), **data
        )
        return changed(event, "card.created", status.HTTP_201_CREATED)


class CardDetail(ApiView):
    @reads(CardSerializer)
    def get(self, request, map_id, card_id):
        card = part_of(
            map_for(request.user, map_id),
            Card.objects.visible_to(request.user).select_related("author"),
            card_id,
        )
        return Response(CardSerializer(card).data)

    @writes(CardUpdateInput, CardSerializer, map_change=True, summary="Change a card (editor)")
    def patch(self, request, map_id, card_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        part_of(journey_map, Card.objects.visible_to(request.user), card_id)
        changes = parse(CardUpdateInput, request, partial=True)
        event = services.card_update(
            actor=request.user, map=journey_map, op_id=op_id(request), card_id=card_id, **changes
        )
        return changed(event, "card.updated")

    @deletes(map_change=True, summary="Delete a card (editor)")
    def delete(self, request, map_id, card_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        part_of(journey_map, Card.objects.visible_to(request.user), card_id)
        event = services.card_delete(
            actor=request.user, map=journey_map, op_id=op_id(request), card_id=card_id
        )
        return changed(event, "card.deleted", status.HTTP_204_NO_CONTENT)


class CardMove(ApiView):
    @writes(
        CardMoveInput,
        CardSerializer,
        map_change=True,
        summary="Move a card to a cell and position (editor)",
    )
    def post(self, request, map_id, card_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        part_of(journey_map, Card.objects.visible_to(request.user), card_id)
        data = cell_arguments(parse(CardMoveInput, request))
        event = services.card_move(
            actor=request.user, map=journey_map, op_id=op_id(request), card_id=card_id, **data
        )
        return changed(event, "card.moved")
