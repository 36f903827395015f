"""Maps and their content in the admin, and their history (read-only)."""

from django import forms
from django.contrib import admin

from .. import services
from ..models import (
    Card,
    JourneyMap,
    Lane,
    MapEvent,
    Stage,
)
from ..services.blueprints import TEMPLATE_CHOICES
from .base import ReadOnlyAdmin, ServiceAdmin


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


@admin.register(MapEvent)
class MapEventAdmin(ReadOnlyAdmin):
    """The history is written by the services alone: read it here, never change it."""

    list_display = ("map", "revision", "type", "actor", "created_at")
    list_filter = ("type",)
    list_select_related = ("map", "actor")
    search_fields = ("map__title", "type")
