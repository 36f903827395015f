"""Links between cards, the work of an opportunity, and a workshop's list of opportunities
(docs/api.md, "Opportunities"). Every write is a map change (services/links.py,
services/opportunities.py); someone else's private card answers as a card that does not exist."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.response import Response

from ..access import map_for
from ..models import TICKETS_MAX, Card, CardLink, OpportunityStatus, Role
from ..opportunity_list import QUADRANTS, SORTS, opportunities_of, read_filters
from ..services import links, opportunities
from ..tickets import URL_MAX
from .base import (
    ApiView,
    changed,
    deletes,
    op_id,
    optional_int,
    parse,
    part_of,
    reads,
    whole_number,
    workshop_of,
    writes,
)


class LinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    opportunity = serializers.IntegerField(help_text="The opportunity card's id.")
    pain_point = serializers.IntegerField(help_text="The id of the pain point card it answers.")


class LinkInput(serializers.Serializer):
    opportunity = whole_number(help_text="A card in an opportunities lane of this map.")
    pain_point = whole_number(help_text="A card in a pain points lane of this map, any stage.")


class TicketSerializer(serializers.Serializer):
    url = serializers.URLField()
    tracker = serializers.ChoiceField(
        ["jira", "linear", "github", "gitlab", "azure_devops", "asana", "trello", "link"]
    )
    name = serializers.CharField(help_text="The tracker's name: Jira, GitHub... or Link.")
    key = serializers.CharField(help_text="The issue's key (SHOP-142, acme/shop#17), or the host.")


class OpportunitySerializer(serializers.Serializer):
    card = serializers.IntegerField()
    owner = serializers.IntegerField(allow_null=True)
    owner_name = serializers.CharField()
    status = serializers.ChoiceField(OpportunityStatus.choices)
    status_label = serializers.CharField()
    impact = serializers.IntegerField(allow_null=True, min_value=1, max_value=5)
    effort = serializers.IntegerField(allow_null=True, min_value=1, max_value=5)
    tickets = TicketSerializer(many=True)


class OpportunityInput(serializers.Serializer):
    owner = optional_int(help_text="A member's user id; null: nobody.")
    status = serializers.ChoiceField(OpportunityStatus.choices, required=False)
    impact = optional_int(min_value=1, max_value=5)
    effort = optional_int(min_value=1, max_value=5)
    tickets = serializers.ListField(
        child=serializers.CharField(max_length=URL_MAX, trim_whitespace=False),
        max_length=TICKETS_MAX,
        required=False,
        help_text="The whole list of ticket links (http or https), replacing the old one.",
    )


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class AnsweredSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class OpportunityRowSerializer(OpportunitySerializer):
    text = serializers.CharField()
    map = NamedSerializer()
    stage = NamedSerializer()
    quadrant = serializers.ChoiceField(list(QUADRANTS))
    answers = AnsweredSerializer(many=True, help_text="The pain points it answers.")
    url = serializers.CharField(help_text="The board, opened on the card.")


class LinkList(ApiView):
    @reads(LinkSerializer(many=True), summary="The links between the map's cards")
    def get(self, request, map_id):
        journey_map = map_for(request.user, map_id)
        visible = Card.objects.visible_to(request.user).filter(map=journey_map)
        found = CardLink.objects.filter(
            map=journey_map, opportunity__in=visible, pain_point__in=visible
        )
        return Response([links.link_data(link) for link in found])

    @writes(
        LinkInput,
        LinkSerializer,
        code=201,
        map_change=True,
        summary="Say that an opportunity answers a pain point (editor)",
    )
    def post(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        data = parse(LinkInput, request)
        event = links.link_create(
            actor=request.user,
            map=journey_map,
            op_id=op_id(request),
            opportunity_id=data["opportunity"],
            pain_point_id=data["pain_point"],
        )
        return changed(event, "link.created", status.HTTP_201_CREATED)


class LinkDetail(ApiView):
    @deletes(map_change=True, summary="Take a link between two cards away (editor)")
    def delete(self, request, map_id, link_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        if not CardLink.objects.filter(map=journey_map, pk=link_id).exists():
            raise Http404("No such link.")
        event = links.link_delete(
            actor=request.user, map=journey_map, op_id=op_id(request), link_id=link_id
        )
        return changed(event, "link.deleted", status.HTTP_204_NO_CONTENT)


class OpportunityDetail(ApiView):
    @reads(OpportunitySerializer, summary="The work of an opportunity card")
    def get(self, request, map_id, card_id):
        journey_map = map_for(request.user, map_id)
        card = part_of(journey_map, Card.objects.visible_to(request.user), card_id)
        return Response(opportunities.opportunity_data(opportunities.work_of(card)))

    @writes(
        OpportunityInput,
        OpportunitySerializer,
        map_change=True,
        summary="Set an opportunity's owner, status, impact, effort or tickets (editor)",
    )
    def patch(self, request, map_id, card_id):
        journey_map = map_for(request.user, map_id, Role.EDITOR)
        part_of(journey_map, Card.objects.visible_to(request.user), card_id)
        changes = parse(OpportunityInput, request, partial=True)
        event = opportunities.opportunity_update(
            actor=request.user, map=journey_map, op_id=op_id(request), card_id=card_id, **changes
        )
        return changed(event, "opportunity.updated")


def _query_parameter(name: str, description: str, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.QUERY, description=description, enum=enum)


class WorkshopOpportunities(ApiView):
    @reads(
        OpportunityRowSerializer(many=True),
        parameters=[
            _query_parameter("status", "Only this status.", OpportunityStatus.values),
            _query_parameter("owner", "Only this member's (a user id); 0: nobody's."),
            _query_parameter("stage", "Only in stages of this title (any case), in any map."),
            _query_parameter("quadrant", "Only this impact/effort quadrant.", list(QUADRANTS)),
            _query_parameter("sort", "The order; default: stage.", list(SORTS)),
        ],
        summary="Every opportunity of the workshop's maps in use, filtered and sorted",
    )
    def get(self, request, workshop_id):
        workshop = workshop_of(request, workshop_id)
        filters = read_filters(request.query_params.dict())
        return Response(opportunities_of(workshop, request.user, filters))
