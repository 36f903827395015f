"""GET /api/search/?q=: the search across one's workshops, for scripts and the schema."""

from django.core.exceptions import ValidationError as NoQuery
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from workshops.api.base import (
    BAD_INPUT,
    TOO_MANY,
    UNAUTHORIZED,
    ApiView,
    parse,
    text_field,
    whole_number,
)

from .query import QUERY_MAX
from .searching import LIMIT_DEFAULT, LIMIT_MAX, search


class SearchInput(serializers.Serializer):
    q = text_field(
        nonblank=True,
        limit=QUERY_MAX,
        help_text='Words (all must be found; a word finds the words it begins), "a phrase", '
        "`or` between two, `-word` to leave out.",
    )
    limit = whole_number(required=False, min_value=1, max_value=LIMIT_MAX, default=LIMIT_DEFAULT)
    archived = serializers.BooleanField(
        required=False, default=False, help_text="true: search the archived maps instead."
    )


class FoundMapOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class FoundWorkshopOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SearchResultOutput(serializers.Serializer):
    kind = serializers.ChoiceField(["map", "card", "evidence", "comment"])
    id = serializers.IntegerField(help_text="The map's, card's, piece's or comment's id.")
    label = serializers.CharField(help_text='What it is: "Map", "Pain points · Research"...')
    snippet = serializers.CharField(
        help_text="HTML: the text around the match, escaped, the words found in <mark>."
    )
    map = FoundMapOutput()
    workshop = FoundWorkshopOutput()
    card = serializers.IntegerField(allow_null=True, help_text="The card it is or hangs on.")
    stage = serializers.IntegerField(allow_null=True, help_text="The stage evidence is on.")
    url = serializers.CharField(help_text="The board, opened on the card or stage (#card-12).")


class SearchOutput(serializers.Serializer):
    query = serializers.CharField()
    results = SearchResultOutput(many=True)
    more = serializers.BooleanField(help_text="There are more results than the limit.")


class Search(ApiView):
    throttle_scopes = ("search",)

    @extend_schema(
        tags=["search"],
        parameters=[SearchInput],
        responses={200: SearchOutput, 400: BAD_INPUT, 401: UNAUTHORIZED, 429: TOO_MANY},
        summary="Search the maps, cards, evidence and comments of your workshops, best first",
    )
    def get(self, request):
        asked = parse(SearchInput, request, source=request.query_params)
        try:
            found = search(
                request.user, asked["q"], limit=asked["limit"], archived=asked["archived"]
            )
        except NoQuery as refusal:
            raise ValidationError({"q": refusal.messages}) from None
        return Response(SearchOutput(found).data)
