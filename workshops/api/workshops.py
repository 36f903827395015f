"""Workshops, their members and personas."""

from django.db.models import F
from django.shortcuts import get_object_or_404
from rest_framework import serializers, status
from rest_framework.response import Response

from .. import services
from ..models import (
    TITLE_MAX,
    Membership,
    Persona,
    Role,
    Workshop,
)
from ..serializers import (
    MembershipSerializer,
    PersonaSerializer,
    WorkshopSerializer,
)
from ..services.workshops import DESCRIPTION_MAX
from .base import ApiView, deletes, parse, reads, text_field, workshop_of, writes

USERNAME_MAX = 150  # Django's User.username


class WorkshopInput(serializers.Serializer):
    name = text_field(nonblank=True, limit=TITLE_MAX)
    description = text_field(required=False, limit=DESCRIPTION_MAX)


class MemberInput(serializers.Serializer):
    username = text_field(nonblank=True, limit=USERNAME_MAX)
    role = serializers.ChoiceField(Role.choices)


class RoleInput(serializers.Serializer):
    role = serializers.ChoiceField(Role.choices)


class PersonaInput(serializers.Serializer):
    name = text_field(nonblank=True, limit=TITLE_MAX)
    segment = text_field(required=False, limit=TITLE_MAX)
    description = text_field(required=False, limit=DESCRIPTION_MAX)
    goals = text_field(required=False, limit=DESCRIPTION_MAX)


class WorkshopOutput(WorkshopSerializer):
    role = serializers.CharField(read_only=True, help_text="Your role in this workshop.")

    class Meta(WorkshopSerializer.Meta):
        fields = WorkshopSerializer.Meta.fields + ["role"]


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
        user = services.member_to_add(
            actor=request.user, workshop=workshop, username=data["username"]
        )
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
