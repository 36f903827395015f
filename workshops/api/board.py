"""The board's content: stages, lanes and cards, with their moves."""

from rest_framework import serializers, status
from rest_framework.response import Response

from .. import services
from ..access import map_for
from ..models import (
    CARD_TEXT_MAX,
    TITLE_MAX,
    Card,
    Lane,
    LaneKind,
    Role,
    Stage,
)
from ..serializers import (
    CardSerializer,
    LaneSerializer,
    StageSerializer,
)
from ..services.board import CHANNEL_MAX
from ..services.workshops import DESCRIPTION_MAX
from .base import (
    ApiView,
    changed,
    deletes,
    op_id,
    optional_int,
    parse,
    part_of,
    reads,
    text_field,
    whole_number,
    writes,
)


class StageInput(serializers.Serializer):
    title = text_field(nonblank=True, limit=TITLE_MAX)
    description = text_field(required=False, limit=DESCRIPTION_MAX)
    position = whole_number(required=False)


class StageUpdateInput(serializers.Serializer):
    title = text_field(required=False, nonblank=True, limit=TITLE_MAX)
    description = text_field(required=False, limit=DESCRIPTION_MAX)
    base_revision = whole_number(required=False, min_value=0)


class LaneInput(serializers.Serializer):
    title = text_field(nonblank=True, limit=TITLE_MAX)
    kind = serializers.ChoiceField(LaneKind.choices, required=False)
    position = whole_number(required=False)


class LaneUpdateInput(serializers.Serializer):
    title = text_field(required=False, nonblank=True, limit=TITLE_MAX)
    kind = serializers.ChoiceField(LaneKind.choices, required=False)
    base_revision = whole_number(required=False, min_value=0)


class CardInput(serializers.Serializer):
    stage = whole_number()
    lane = whole_number()
    text = text_field(required=False, limit=CARD_TEXT_MAX)
    channel = text_field(required=False, limit=CHANNEL_MAX)
    emotion_score = optional_int(help_text="-2..2, cards in an emotions lane only.")
    severity = optional_int(help_text="1..3, cards in a pain points lane only.")
    position = whole_number(required=False, help_text="0-based; default: end of the cell.")


class CardUpdateInput(serializers.Serializer):
    text = text_field(required=False, limit=CARD_TEXT_MAX)
    channel = text_field(required=False, limit=CHANNEL_MAX)
    emotion_score = optional_int()
    severity = optional_int()
    base_revision = whole_number(required=False, min_value=0)


class CardMoveInput(serializers.Serializer):
    stage = whole_number()
    lane = whole_number()
    position = whole_number(help_text="0-based, within the target cell.")


class MoveInput(serializers.Serializer):
    position = whole_number(help_text="0-based.")


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
