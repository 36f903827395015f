"""Comments on cards and stages (services/comments.py), and one's mentions (docs/api.md,
"Comments"). Comments on someone else's private card answer as comments that do not exist."""

from django.http import Http404
from rest_framework import serializers, status
from rest_framework.response import Response

from ..access import map_for
from ..mentions import mention_data, mentions_of
from ..models import COMMENT_TEXT_MAX, Comment, Role
from ..serializers import CommentSerializer
from ..services import comments
from .base import (
    TYPED,
    ApiView,
    changed,
    deletes,
    op_id,
    parse,
    reads,
    text_field,
    whole_number,
    writes,
)


class TypedBooleanField(serializers.BooleanField):
    """In a JSON body, true or false, as the schema says (DRF alone takes 0 and "yes")."""

    def to_internal_value(self, data):
        if self.context.get(TYPED) and not isinstance(data, bool):
            self.fail("invalid", input=data)
        return super().to_internal_value(data)


class CommentsQuery(serializers.Serializer):
    card = whole_number(required=False, help_text="Only the thread of this card.")
    stage = whole_number(
        required=False, help_text="Only the thread of this stage (not its cards')."
    )
    resolved = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only resolved, or only open."
    )


class CommentInput(serializers.Serializer):
    card = whole_number(required=False, help_text="The card it is on; or give stage.")
    stage = whole_number(required=False, help_text="The stage it is on; or give card.")
    text = text_field(
        nonblank=True,
        limit=COMMENT_TEXT_MAX,
        help_text="`@username` or `@DisplayNameWithoutSpaces` mentions a member.",
    )


class CommentUpdateInput(serializers.Serializer):
    text = text_field(nonblank=True, limit=COMMENT_TEXT_MAX)


class ResolveInput(serializers.Serializer):
    resolved = TypedBooleanField(
        required=False, default=True, help_text="false reopens it. Default: true."
    )


def _threads(journey_map, user, query: dict):
    found = Comment.objects.visible_to(user).filter(map=journey_map)
    if "card" in query:
        found = found.filter(card_id=query["card"])
    if "stage" in query:
        found = found.filter(stage_id=query["stage"])
    if query.get("resolved") is not None:
        found = found.filter(resolved=query["resolved"])
    return comments.with_details(found)


def _place_arguments(data: dict) -> dict:
    for field in ("card", "stage"):
        if field in data:
            data[f"{field}_id"] = data.pop(field)
    return data


class CommentList(ApiView):
    @reads(
        CommentSerializer(many=True),
        parameters=[CommentsQuery],
        summary="The map's comments, oldest first; by card or stage, open or resolved",
    )
    def get(self, request, map_id):
        query = parse(CommentsQuery, request, source=request.query_params)
        journey_map = map_for(request.user, map_id)
        found = _threads(journey_map, request.user, query)
        return Response(CommentSerializer(found, many=True).data)

    @writes(
        CommentInput,
        CommentSerializer,
        code=201,
        map_change=True,
        summary="Comment on a card or a stage (editor); @name mentions a member",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        data = _place_arguments(parse(CommentInput, request))
        event = comments.comment_create(
            actor=request.user, map=journey_map, op_id=op_id(request), **data
        )
        return changed(event, "comment.created", status.HTTP_201_CREATED)


class CommentDetail(ApiView):
    @reads(CommentSerializer)
    def get(self, request, map_id, comment_id):
        journey_map = map_for(request.user, map_id)
        found = _threads(journey_map, request.user, {}).filter(pk=comment_id).first()
        if found is None:
            raise Http404("No such comment.")
        return Response(CommentSerializer(found).data)

    @writes(
        CommentUpdateInput,
        CommentSerializer,
        map_change=True,
        summary="Change the text of your own comment (its author)",
    )
    def patch(self, request, map_id, comment_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        data = parse(CommentUpdateInput, request)
        event = comments.comment_update(
            actor=request.user,
            map=journey_map,
            op_id=op_id(request),
            comment_id=comment_id,
            **data,
        )
        return changed(event, "comment.updated")

    @deletes(map_change=True, summary="Delete your own comment (its author)")
    def delete(self, request, map_id, comment_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        event = comments.comment_delete(
            actor=request.user, map=journey_map, op_id=op_id(request), comment_id=comment_id
        )
        return changed(event, "comment.deleted", status.HTTP_204_NO_CONTENT)


class CommentResolve(ApiView):
    @writes(
        ResolveInput,
        CommentSerializer,
        map_change=True,
        summary="Resolve a comment, or reopen it (editor)",
    )
    def post(self, request, map_id, comment_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        data = parse(ResolveInput, request)
        event = comments.comment_resolve(
            actor=request.user,
            map=journey_map,
            op_id=op_id(request),
            comment_id=comment_id,
            **data,
        )
        return changed(event, "comment.resolved" if data["resolved"] else "comment.reopened")


class NamedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(required=False)
    name = serializers.CharField(required=False)


class PlaceOutput(serializers.Serializer):
    type = serializers.ChoiceField(["card", "stage"])
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="The card's text or the stage's title.")


class MentionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    by = serializers.CharField(help_text="Who wrote the comment.")
    comment = CommentSerializer()
    map = NamedOutput()
    workshop = NamedOutput()
    on = PlaceOutput()


class MyMentions(ApiView):
    @reads(
        MentionOutput(many=True),
        by_id=False,
        summary="Comments that mention you, newest first (the latest 100)",
    )
    def get(self, request):
        return Response([mention_data(mention) for mention in mentions_of(request.user)])
