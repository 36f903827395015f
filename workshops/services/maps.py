"""Maps of a workshop: making one from a blueprint, renaming it, who it is about, archiving and
deleting it, and the quarterly review."""

import datetime

from django.db import transaction
from django.utils import timezone

from ..access import require_role
from ..models import TITLE_MAX, JourneyMap, Lane, MapState, Persona, Role, Stage, Workshop
from ..realtime import broadcast
from ..serializers import MapSerializer
from . import restore
from .blueprints import MAP_BLUEPRINTS
from .checks import choice, is_whole_number, only, refuse, set_texts, text
from .conflicts import refuse_if_changed_since, stamp
from .pipeline import Change, map_change, next_revision, record
from .workshops import DESCRIPTION_MAX

MAP_TEXT_LIMITS = {"title": (TITLE_MAX, True), "description": (DESCRIPTION_MAX, False)}
REVIEW_INTERVAL_DAYS = 91  # a quarter


def map_data(map: JourneyMap) -> dict:
    """The map as it reads once this change is recorded: record() bumps the revision after the
    payload is built, and a board merging the payload must not step back one revision."""
    return {**MapSerializer(map).data, "revision": next_revision(map)}


def persona_of(workshop: Workshop, persona_id) -> Persona | None:
    if persona_id is None:
        return None
    persona = None
    if is_whole_number(persona_id):
        persona = Persona.objects.filter(workshop=workshop, pk=persona_id).first()
    if persona is None:
        refuse("persona", f"No persona {persona_id} in this workshop.")
    return persona


def map_create(
    *,
    actor,
    workshop: Workshop,
    title: str,
    description: str = "",
    persona_id: int | None = None,
    state: str = MapState.CURRENT,
    template: str = "b2c",
) -> JourneyMap:
    require_role(actor, workshop, Role.FACILITATOR)
    title = text("title", title, max_length=TITLE_MAX, required=True)
    description = text("description", description, max_length=DESCRIPTION_MAX)
    state = choice("state", state, MapState)
    if template not in MAP_BLUEPRINTS:
        refuse(
            "template",
            f"Unknown template {template!r}; choose one of {', '.join(MAP_BLUEPRINTS)}.",
        )
    persona = persona_of(workshop, persona_id)
    blueprint = MAP_BLUEPRINTS[template]
    with transaction.atomic():
        journey_map = JourneyMap.objects.create(
            workshop=workshop, title=title, description=description, persona=persona, state=state
        )
        Stage.objects.bulk_create(
            Stage(map=journey_map, title=name, position=i)
            for i, name in enumerate(blueprint["stages"])
        )
        Lane.objects.bulk_create(
            Lane(map=journey_map, title=name, kind=kind, position=i)
            for i, (name, kind) in enumerate(blueprint["lanes"])
        )
        payload = {"map": map_data(journey_map), "template": template}
        record(journey_map, actor=actor, change=Change("map.created", payload))
    return journey_map


def _map_update_role(changes: dict) -> str:
    # Renaming is content work for editors; who the map is about, and its state, is the
    # facilitator's call.
    return Role.FACILITATOR if {"persona", "state"} & changes.keys() else Role.EDITOR


@map_change(role=_map_update_role)
def map_update(*, actor, map, base_revision: int | None = None, **changes):
    only(changes, {*MAP_TEXT_LIMITS, "persona", "state"})
    texts = {k: v for k, v in changes.items() if k in MAP_TEXT_LIMITS}
    for field, value in texts.items():
        refuse_if_changed_since(map, field, value, base_revision)
    before = {field: getattr(map, field) for field in texts}
    changed = set_texts(map, texts, MAP_TEXT_LIMITS)
    if "state" in changes:
        map.state = choice("state", changes["state"], MapState)
    if "persona" in changes:
        map.persona = persona_of(map.workshop, changes["persona"])
    stamp(map, changed, next_revision(map))
    map.save()
    # Undo gives back the title and description; persona and state are the facilitator's.
    undo = None
    if changed:
        undo = restore.inverse(
            "map.update", {f: before[f] for f in changed}, [f"map:{f}" for f in changed]
        )
    return Change("map.updated", {"map": map_data(map)}, undo)


def map_delete(*, actor, map: JourneyMap) -> None:
    require_role(actor, map.workshop, Role.FACILITATOR)
    map_id = map.pk
    with transaction.atomic():
        map.delete()
        transaction.on_commit(lambda: broadcast.broadcast_map_deleted(map_id))


# --- archiving ------------------------------------------------------------------------------


@map_change(Role.FACILITATOR)
def map_archive(*, actor, map: JourneyMap):
    """Put a map away: it leaves the workshop's list and the API's default list, and stays
    whole, readable and restorable. A change of the map, so its history says who and when."""
    if map.archived_at is not None:
        refuse("map", "This map is already archived.")
    map.archived_at = timezone.now()
    map.save(update_fields=["archived_at"])
    return Change("map.archived", {"archived_at": map.archived_at.isoformat()})


@map_change(Role.FACILITATOR)
def map_unarchive(*, actor, map: JourneyMap):
    """Bring an archived map back to the workshop's list."""
    if map.archived_at is None:
        refuse("map", "This map is not archived.")
    map.archived_at = None
    map.save(update_fields=["archived_at"])
    return Change("map.unarchived", {"archived_at": None})


# --- the quarterly review -------------------------------------------------------------------


@map_change(Role.FACILITATOR)
def map_mark_reviewed(*, actor, map: JourneyMap):
    """The team has gone over the map: the review reminder starts again from today. A change
    of the map like any other, so its history says who reviewed it and when."""
    map.reviewed_at = timezone.now()
    map.save(update_fields=["reviewed_at"])
    return Change("map.reviewed", {"reviewed_at": map.reviewed_at.isoformat()})


def review_due(map: JourneyMap, now=None) -> bool:
    """A map not reviewed (or, never reviewed, not created) for a quarter needs a look; an
    archived one is put away, and the digests and webhooks leave it be until it is back."""
    if map.archived_at is not None:
        return False
    last = map.reviewed_at or map.created_at
    return (now or timezone.now()) - last > datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
