"""Maps: the list, the whole board, its history, undo and redo."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.response import Response

from .. import history, services
from ..access import map_for, require_role
from ..board import board_data
from ..models import (
    TITLE_MAX,
    JourneyMap,
    MapState,
    Role,
)
from ..realtime.broadcast import event_message
from ..serializers import (
    BoardSerializer,
    MapSerializer,
)
from ..services.blueprints import MAP_BLUEPRINTS
from ..services.workshops import DESCRIPTION_MAX
from .base import (
    ApiView,
    ErrorOutput,
    changed,
    deletes,
    op_id,
    optional_int,
    parse,
    reads,
    revision_header,
    text_field,
    whole_number,
    workshop_of,
    writes,
)

EVENTS_PAGE = 500


class MapCreateInput(serializers.Serializer):
    workshop = whole_number()
    title = text_field(nonblank=True, limit=TITLE_MAX)
    description = text_field(required=False, limit=DESCRIPTION_MAX)
    persona = optional_int()
    state = serializers.ChoiceField(MapState.choices, required=False)
    template = serializers.ChoiceField(list(MAP_BLUEPRINTS), required=False)


class MapUpdateInput(serializers.Serializer):
    title = text_field(required=False, nonblank=True, limit=TITLE_MAX)
    description = text_field(required=False, limit=DESCRIPTION_MAX)
    persona = optional_int()
    state = serializers.ChoiceField(MapState.choices, required=False)
    base_revision = whole_number(required=False, min_value=0)


class MapFilter(serializers.Serializer):
    workshop = whole_number(required=False, help_text="Only the maps of this workshop.")
    archived = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: the archived maps instead of those in use (the default).",
    )
    search = text_field(
        required=False,
        limit=TITLE_MAX,
        max_length=TITLE_MAX,
        help_text="Only the maps whose title or description holds each of these words "
        "(GET /api/search/ looks in cards and evidence too).",
    )


class EventsQuery(serializers.Serializer):
    since = whole_number(
        required=False, min_value=0, default=0, help_text="Events after this revision."
    )
    before = whole_number(
        required=False,
        min_value=1,
        help_text="Instead of since: the events before this revision, newest first.",
    )
    actor = whole_number(required=False, help_text="Only this user's changes.")
    limit = whole_number(required=False, min_value=1, max_value=EVENTS_PAGE, default=EVENTS_PAGE)


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


class ReviewedOutput(serializers.Serializer):
    reviewed_at = serializers.DateTimeField()


class MapList(ApiView):
    @reads(MapSerializer(many=True), by_id=False, parameters=[MapFilter], summary="Your maps")
    def get(self, request):
        query = parse(MapFilter, request, source=request.query_params)
        workshop_id = query.get("workshop")
        maps = JourneyMap.objects.for_user(request.user).select_related("persona")
        maps = maps.archived() if query["archived"] else maps.active()
        if workshop_id is not None:
            maps = maps.filter(workshop_id=workshop_id)
        for word in query.get("search", "").split():
            maps = maps.filter(Q(title__icontains=word) | Q(description__icontains=word))
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
        return Response(board_data(board, request.user))

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


class MapArchive(ApiView):
    @writes(
        None,
        MapSerializer,
        map_change=True,
        summary="Archive the map: off the default list, kept whole (facilitator)",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.FACILITATOR)
        event = services.map_archive(actor=request.user, map=journey_map, op_id=op_id(request))
        return self.answer(journey_map, event)

    @writes(
        None,
        MapSerializer,
        map_change=True,
        summary="Bring an archived map back to the list (facilitator)",
    )
    def delete(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.FACILITATOR)
        event = services.map_unarchive(actor=request.user, map=journey_map, op_id=op_id(request))
        return self.answer(journey_map, event)

    def answer(self, journey_map, event):
        journey_map.refresh_from_db()
        return Response(
            MapSerializer(journey_map).data, headers={"X-Map-Revision": str(event.revision)}
        )


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


UNDO_REFUSED = OpenApiResponse(
    ErrorOutput,
    description="Not undone (redone): code undo_conflict when someone else has changed it since, "
    "nothing_to_undo or nothing_to_redo; nothing changed.",
)


class MapUndo(ApiView):
    step = staticmethod(services.change_undo)

    @writes(
        None,
        EventOutput,
        map_change=True,
        also={409: UNDO_REFUSED},
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
    step = staticmethod(services.change_redo)

    @writes(
        None,
        EventOutput,
        map_change=True,
        also={409: UNDO_REFUSED},
        summary="Redo your newest undone change, if you made no new one since (editor)",
    )
    def post(self, request, map_id):
        return super().post(request, map_id)


class MapReviewed(ApiView):
    @writes(
        None,
        ReviewedOutput,
        summary="Mark the map reviewed: the quarterly reminder starts again (facilitator)",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.FACILITATOR)
        event = services.map_mark_reviewed(actor=request.user, map=journey_map)
        return Response({"reviewed_at": event.payload["reviewed_at"]})
