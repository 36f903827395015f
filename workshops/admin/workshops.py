"""Workshops, their members, personas and invite links in the admin."""

from django.contrib import admin

from .. import services
from ..models import (
    Invite,
    Membership,
    Persona,
    Workshop,
)
from ..services import invites
from .base import ReadOnlyAdmin, ServiceAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "joined_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # members are added on their own page, through membership_set


@admin.register(Workshop)
class WorkshopAdmin(ServiceAdmin):
    list_display = ("name", "created_by", "created_at")
    search_fields = ("name", "description")
    fields = ("name", "description", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    inlines = [MembershipInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new workshop has only its creator

    def create(self, actor, data):
        return services.workshop_create(
            actor=actor, name=data["name"], description=data["description"]
        )

    def update(self, actor, obj, changes):
        services.workshop_update(actor=actor, workshop=Workshop.objects.get(pk=obj.pk), **changes)

    def delete(self, actor, obj):
        services.workshop_delete(actor=actor, workshop=obj)


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ("user", "workshop", "role", "joined_at")
    list_filter = ("role",)
    search_fields = ("user__username", "workshop__name")
    fields = ("workshop", "user", "role")
    fixed_after_create = ("workshop", "user")

    def create(self, actor, data):
        return services.membership_set(
            actor=actor, workshop=data["workshop"], user=data["user"], role=data["role"]
        )

    def update(self, actor, obj, changes):
        services.membership_set(
            actor=actor, workshop=obj.workshop, user=obj.user, role=changes["role"]
        )

    def delete(self, actor, obj):
        services.membership_remove(actor=actor, workshop=obj.workshop, user=obj.user)


@admin.register(Persona)
class PersonaAdmin(ServiceAdmin):
    list_display = ("name", "segment", "workshop")
    search_fields = ("name", "segment")
    fields = ("workshop", "name", "segment", "description", "goals")
    fixed_after_create = ("workshop",)

    def create(self, actor, data):
        texts = {name: data[name] for name in ("segment", "description", "goals")}
        return services.persona_create(
            actor=actor, workshop=data["workshop"], name=data["name"], **texts
        )

    def update(self, actor, obj, changes):
        services.persona_update(actor=actor, persona=Persona.objects.get(pk=obj.pk), **changes)

    def delete(self, actor, obj):
        services.persona_delete(actor=actor, persona=obj)


@admin.register(Invite)
class InviteAdmin(ReadOnlyAdmin):
    """Invite links are made and revoked by facilitators on the workshop page (or the API); here
    they are read, and revoked through the service, which also ends their guests' access."""

    list_display = ("workshop", "role", "created_by", "created_at", "expires_at", "revoked_at")
    list_filter = ("role",)
    list_select_related = ("workshop", "created_by")
    search_fields = ("workshop__name",)
    exclude = ("token",)  # a link is a key: not shown to whoever browses the admin
    actions = ["revoke"]

    @admin.action(description="Revoke the selected links")
    def revoke(self, request, queryset):
        for invite in queryset.select_related("workshop"):
            invites.invite_revoke(actor=request.user, invite=invite)
        self.message_user(request, "Revoked: nobody joins by these links any more.")
