"""The admin, held to the one rule of the architecture: every write goes through a service, with
the admin user as the actor (superusers count as facilitators everywhere). So an edit made here
bumps the map's revision, lands in its history and shows up on every open board.

Each ModelAdmin turns a saved form into a service call: `create` for an addition, `update` for
a change (given only the fields the form changed), `delete` for a deletion. A service's refusal
rolls the whole admin request back and comes back as an error message on the same page."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect

from . import services
from .models import (
    Card,
    Invite,
    JourneyMap,
    Lane,
    MapEvent,
    Membership,
    Persona,
    Stage,
    Workshop,
)
from .services import invites
from .services.blueprints import TEMPLATE_CHOICES

REFUSALS = (ValidationError, PermissionDenied, Http404, services.EditConflict)


def _refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "Not allowed."


def _adopt(obj, created) -> None:
    """Give the admin's unsaved instance the identity and values of what the service created,
    so the admin's log, message and redirect point at the real row."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(created, field.attname))
    obj._state.adding = False


class ServiceAdmin(admin.ModelAdmin):
    """Writes through `create`, `update` and `delete`; subclasses define them."""

    # Fields a service never changes once the object exists (it belongs where it was made).
    fixed_after_create: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        fixed = self.fixed_after_create if obj is not None else ()
        return (*super().get_readonly_fields(request, obj), *fixed)

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            if changes:
                self.update(request.user, obj, changes)
        else:
            _adopt(obj, self.create(request.user, form.cleaned_data))

    def delete_model(self, request, obj):
        self.delete(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete(request.user, obj)

    def changeform_view(self, request, *args, **kwargs):
        return self._refusing(request, super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._refusing(request, super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        # Bulk deletion is an action posted to the change list.
        return self._refusing(request, super().changelist_view, request, *args, **kwargs)

    def _refusing(self, request, view, *args, **kwargs):
        try:
            with transaction.atomic():
                return view(*args, **kwargs)
        except REFUSALS as error:
            # The input is lost, but nothing was written and the user learns why.
            messages.error(request, f"Not saved: {_refusal_text(error)}")
            return HttpResponseRedirect(request.get_full_path())

    def create(self, actor, data: dict):
        raise NotImplementedError

    def update(self, actor, obj, changes: dict):
        raise NotImplementedError

    def delete(self, actor, obj):
        raise NotImplementedError


# --- workshops, members, personas -----------------------------------------------------------


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


# --- maps and their content -----------------------------------------------------------------


def _map(obj) -> JourneyMap:
    """The map as stored: the admin's instance already carries the unsaved form values."""
    return JourneyMap.objects.select_related("workshop").get(pk=obj.map_id)


class JourneyMapForm(forms.ModelForm):
    template = forms.ChoiceField(
        choices=TEMPLATE_CHOICES,
        initial="b2c",
        help_text="The stages and lanes a new map starts with.",
    )

    class Meta:
        model = JourneyMap
        fields = ("workshop", "title", "description", "persona", "state")


@admin.register(JourneyMap)
class JourneyMapAdmin(ServiceAdmin):
    form = JourneyMapForm
    list_display = ("title", "workshop", "state", "persona", "revision", "updated_at")
    list_filter = ("state",)
    search_fields = ("title", "workshop__name")
    fixed_after_create = ("workshop", "revision", "created_at", "updated_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("workshop", "title", "description", "persona", "state", "template")
        return (
            "workshop",
            "title",
            "description",
            "persona",
            "state",
            "revision",
            "created_at",
            "updated_at",
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = forms.ModelForm  # the template field only makes sense at creation
        return super().get_form(request, obj, change, **kwargs)

    def create(self, actor, data):
        persona = data["persona"]
        return services.map_create(
            actor=actor,
            workshop=data["workshop"],
            title=data["title"],
            description=data["description"],
            persona_id=persona.pk if persona else None,
            state=data["state"],
            template=data["template"],
        )

    def update(self, actor, obj, changes):
        if "persona" in changes:
            changes["persona"] = changes["persona"].pk if changes["persona"] else None
        journey_map = JourneyMap.objects.select_related("workshop").get(pk=obj.pk)
        services.map_update(actor=actor, map=journey_map, **changes)

    def delete(self, actor, obj):
        services.map_delete(actor=actor, map=obj)


class MapContentAdmin(ServiceAdmin):
    """Stages, lanes and cards: `position` changes become moves."""

    list_select_related = ("map",)
    fixed_after_create = ("map",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None and "position" in form.base_fields:
            form.base_fields["position"].required = False
            form.base_fields["position"].help_text = "Leave empty to add it at the end."
        return form


@admin.register(Stage)
class StageAdmin(MapContentAdmin):
    list_display = ("title", "map", "position")
    search_fields = ("title", "map__title")
    fields = ("map", "title", "description", "position")

    def create(self, actor, data):
        event = services.stage_create(
            actor=actor,
            map=data["map"],
            title=data["title"],
            description=data["description"],
            position=data["position"],
        )
        return Stage.objects.get(pk=event.payload["stage"]["id"])

    def update(self, actor, obj, changes):
        journey_map = _map(obj)
        position = changes.pop("position", None)
        if changes:
            services.stage_update(actor=actor, map=journey_map, stage_id=obj.pk, **changes)
        if position is not None:
            services.stage_move(actor=actor, map=journey_map, stage_id=obj.pk, position=position)

    def delete(self, actor, obj):
        services.stage_delete(actor=actor, map=_map(obj), stage_id=obj.pk)


@admin.register(Lane)
class LaneAdmin(MapContentAdmin):
    list_display = ("title", "kind", "map", "position")
    list_filter = ("kind",)
    search_fields = ("title", "map__title")
    fields = ("map", "title", "kind", "position")

    def create(self, actor, data):
        event = services.lane_create(
            actor=actor,
            map=data["map"],
            title=data["title"],
            kind=data["kind"],
            position=data["position"],
        )
        return Lane.objects.get(pk=event.payload["lane"]["id"])

    def update(self, actor, obj, changes):
        journey_map = _map(obj)
        position = changes.pop("position", None)
        if changes:
            services.lane_update(actor=actor, map=journey_map, lane_id=obj.pk, **changes)
        if position is not None:
            services.lane_move(actor=actor, map=journey_map, lane_id=obj.pk, position=position)

    def delete(self, actor, obj):
        services.lane_delete(actor=actor, map=_map(obj), lane_id=obj.pk)


@admin.register(Card)
class CardAdmin(MapContentAdmin):
    list_display = ("__str__", "map", "stage", "lane", "emotion_score", "severity", "author")
    list_select_related = ("map", "stage", "lane", "author")
    search_fields = ("text", "map__title")
    fields = (
        "map",
        "stage",
        "lane",
        "position",
        "text",
        "channel",
        "emotion_score",
        "severity",
        "author",
        "updated_at",
    )
    readonly_fields = ("author", "updated_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:  # a card moves only within its own map
            form.base_fields["stage"].queryset = Stage.objects.filter(map=obj.map_id)
            form.base_fields["lane"].queryset = Lane.objects.filter(map=obj.map_id)
        return form

    def create(self, actor, data):
        event = services.card_create(
            actor=actor,
            map=data["map"],
            stage_id=data["stage"].pk,
            lane_id=data["lane"].pk,
            text=data["text"],
            channel=data["channel"],
            emotion_score=data["emotion_score"],
            severity=data["severity"],
            position=data["position"],
        )
        return Card.objects.get(pk=event.payload["card"]["id"])

    def update(self, actor, obj, changes):
        journey_map = _map(obj)
        place = {key: changes.pop(key) for key in ("stage", "lane", "position") if key in changes}
        if changes:
            services.card_update(actor=actor, map=journey_map, card_id=obj.pk, **changes)
        if place:
            stored = Card.objects.get(pk=obj.pk)
            stage_id = place["stage"].pk if "stage" in place else stored.stage_id
            lane_id = place["lane"].pk if "lane" in place else stored.lane_id
            if "position" in place:
                position = place["position"]
            elif (stage_id, lane_id) == (stored.stage_id, stored.lane_id):
                position = stored.position
            else:  # a new cell without a chosen position: at its end
                position = Card.objects.filter(stage=stage_id, lane=lane_id).count()
            services.card_move(
                actor=actor,
                map=journey_map,
                card_id=obj.pk,
                stage_id=stage_id,
                lane_id=lane_id,
                position=position,
            )

    def delete(self, actor, obj):
        services.card_delete(actor=actor, map=_map(obj), card_id=obj.pk)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the services: the admin shows them and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MapEvent)
class MapEventAdmin(ReadOnlyAdmin):
    """The history is written by the services alone: read it here, never change it."""

    list_display = ("map", "revision", "type", "actor", "created_at")
    list_filter = ("type",)
    list_select_related = ("map", "actor")
    search_fields = ("map__title", "type")


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
