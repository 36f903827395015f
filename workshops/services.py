"""Every write to the domain. Whoever asks (the live board, the REST API, the admin, a command),
a change to a map goes through one function here, which checks the actor's role and the input,
writes in a transaction, bumps the map's revision, appends a MapEvent and, once the transaction
commits, broadcasts the event to the map's board.

Refusals raise Django's ValidationError (a dict naming the field), PermissionDenied, Http404, or
EditConflict; the API and the consumer each translate them in one place.
"""

import functools
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import broadcast, restore, secrecy
from .access import guest_of, require_role
from .map_templates import MAP_TEMPLATES
from .models import (
    CARD_TEXT_MAX, TITLE_MAX, Card, JourneyMap, Lane, LaneKind, MapEvent, MapState, Membership,
    Persona, Role, Stage, Workshop,
)
from .serializers import (
    CardSerializer, LaneSerializer, MapSerializer, StageSerializer, card_data,
)

DESCRIPTION_MAX = 5000
CHANNEL_MAX = 100
EMOTION_RANGE = range(-2, 3)
SEVERITY_RANGE = range(1, 4)


LOCKED_MESSAGE = "The facilitator has locked the board."


class BoardLocked(PermissionDenied):
    """A change to a board the facilitator has locked: only facilitators change it meanwhile."""

    def __init__(self):
        super().__init__(LOCKED_MESSAGE)


class EditConflict(Exception):
    """A text edit based on a value someone else has changed since."""

    def __init__(self, *, field: str, current, revision: int):
        super().__init__(f"Someone else changed {field} since you started editing.")
        self.field = field
        self.current = current
        self.revision = revision


# --- input checks ---------------------------------------------------------------------------


def _invalid(field: str, message: str):
    raise ValidationError({field: [message]})


def _text(field: str, value, *, max_length: int, required: bool = False) -> str:
    if not isinstance(value, str):
        _invalid(field, "Must be text.")
    value = value.strip() if required else value
    if required and not value:
        _invalid(field, "This field may not be blank.")
    if len(value) > max_length:
        _invalid(field, f"At most {max_length} characters (got {len(value)}).")
    return value


def _int_or_none(field: str, value, allowed: range, what: str):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        _invalid(field, f"{what} must be a whole number from {allowed[0]} to {allowed[-1]}.")
    return value


def _choice(field: str, value, choices) -> str:
    if value not in choices.values:
        _invalid(field, f"Unknown {field} {value!r}; choose one of {', '.join(choices.values)}.")
    return value


def _position(value, upper: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= upper:
        _invalid("position", f"Position must be a whole number from 0 to {upper}.")
    return value


def _member_of(map: JourneyMap, model, object_id, field: str, actor=None):
    if isinstance(object_id, bool) or not isinstance(object_id, int):
        _invalid(field, f"Must be the id of a {field} of this map.")
    # Every card event names its author.
    objects = model.objects.select_related("author") if model is Card else model.objects
    try:
        found = objects.get(map=map, pk=object_id)
    except model.DoesNotExist:
        found = None
    if found is None or not _visible(found, actor):
        _invalid(field, f"No {field} {object_id} on this map.")
    return found


def _visible(obj, actor) -> bool:
    """Someone else's private card answers as a card that does not exist: its existence must
    not leak before the reveal (the rule of Card.objects.visible_to, on one card in hand)."""
    if not isinstance(obj, Card) or not obj.private:
        return True
    return actor is not None and actor.is_authenticated and obj.author_id == actor.pk


def _check_base(obj, field: str, new_value, base_revision: int | None):
    """Refuse a text edit when someone changed the same field after the editor's base."""
    if base_revision is None or getattr(obj, field) == new_value:
        return
    changed_at = obj.field_revisions.get(field, 0)
    if changed_at > base_revision:
        raise EditConflict(field=field, current=getattr(obj, field), revision=changed_at)


# --- the change pipeline --------------------------------------------------------------------


def map_change(role: str | Callable[[dict], str] = Role.EDITOR, *, while_locked: bool = False):
    """Wrap a service that changes a map's content.

    The wrapped function gets the map locked for update and returns (event type, payload),
    or (event type, payload, inverse) for a change that can be undone (see undo.py: what it
    takes to reverse it, never sent to clients), or, from undo.py alone, (..., inverse, the
    event it reverses). The wrapper records the event and returns it. A resent op_id returns the first event.
    `role` is the least role needed, or a function of the service's arguments that says it.
    While the facilitator has locked the board, only facilitators get through, unless the
    service says `while_locked=True` (dot votes: facilitators often lock the map for voting).
    """

    def decorate(fn: Callable[..., tuple[str, dict]]):
        @functools.wraps(fn)
        def wrapper(*, actor: AbstractBaseUser, map: JourneyMap, op_id: str = "", **kwargs):
            actual = require_role(actor, map.workshop, role(kwargs) if callable(role) else role)
            try:
                with transaction.atomic():
                    locked = JourneyMap.objects.select_for_update().get(pk=map.pk)
                    if not while_locked:
                        _refuse_if_locked(locked, actual)
                    event_type, payload, *undo = fn(actor=actor, map=locked, **kwargs)
                    event = _record(locked, actor=actor, event_type=event_type, payload=payload,
                                    op_id=op_id, inverse=undo[0] if undo else None,
                                    undo_of=undo[1] if len(undo) > 1 else None)
            except Exception:
                # A resent operation is answered with the event it made the first time. Looking
                # only when the change fails keeps a query off every change: a resend fails,
                # either on the unique (map, actor, op_id) of its event or because what it
                # changed has changed (the card it deleted is gone); its transaction is undone.
                if op_id and (done := replayed(map, actor, op_id)):
                    return done
                raise
            map.revision = event.revision
            return event

        return wrapper

    return decorate


def _refuse_if_locked(map: JourneyMap, role: str) -> None:
    if map.controls.get("locked") and role != Role.FACILITATOR:
        raise BoardLocked()


def replayed(map: JourneyMap, actor, op_id: str) -> MapEvent | None:
    """The event an operation made, if it was applied. Costly changes that do work before
    map_change (a restore saves a version first) ask here before doing it."""
    # The exclude repeats the unique constraint's condition, without which SQLite does not use
    # its partial index; ordered by pk, not by the default revision, which made SQLite walk the
    # map's whole history on the (map, revision) index instead.
    return (MapEvent.objects.filter(map=map, actor=actor, op_id=op_id).exclude(op_id="")
            .order_by("pk").first())


def _record(map: JourneyMap, *, actor, event_type: str, payload: dict, op_id: str = "",
            inverse: dict | None = None, undo_of: MapEvent | None = None) -> MapEvent:
    map.revision += 1
    JourneyMap.objects.filter(pk=map.pk).update(revision=map.revision, updated_at=timezone.now())
    payload = secrecy.seal(map, payload)  # who may see what, before the reveal
    event = MapEvent.objects.create(
        map=map, revision=map.revision, actor=actor if actor.is_authenticated else None,
        type=event_type, payload=payload, op_id=op_id or "", inverse=inverse or {},
        undo_of=undo_of,
    )
    transaction.on_commit(lambda: broadcast.broadcast_event(event))
    return event


def _stamp(obj, fields, revision: int):
    """Note the revision at which text fields change, for conflict detection."""
    for field in fields:
        obj.field_revisions[field] = revision


def _reorder(items: list, moved, position: int) -> list:
    """Put `moved` at `position` among `items` and renumber them densely; return the changed."""
    ordered = [item for item in items if item.pk != moved.pk]
    ordered.insert(position, moved)
    changed = []
    for index, item in enumerate(ordered):
        if item.position != index or item.pk == moved.pk:
            item.position = index
            changed.append(item)
    return changed


def _close_gap(model, **cell):
    items = list(model.objects.filter(**cell).order_by("position", "id"))
    for index, item in enumerate(items):
        item.position = index
    model.objects.bulk_update(items, ["position"])


# --- workshops, members, personas (no map revision) ------------------------------------------


def workshop_create(*, actor, name: str, description: str = "") -> Workshop:
    if not actor.is_authenticated:
        raise PermissionDenied("Log in to create a workshop.")
    if guest_of(actor):
        raise PermissionDenied("Guests take part in one workshop; sign up to create your own.")
    name = _text("name", name, max_length=TITLE_MAX, required=True)
    description = _text("description", description, max_length=DESCRIPTION_MAX)
    with transaction.atomic():
        workshop = Workshop.objects.create(name=name, description=description, created_by=actor)
        Membership.objects.create(workshop=workshop, user=actor, role=Role.FACILITATOR)
    return workshop


def workshop_update(*, actor, workshop: Workshop, **changes) -> Workshop:
    require_role(actor, workshop, Role.FACILITATOR)
    limits = {"name": (TITLE_MAX, True), "description": (DESCRIPTION_MAX, False)}
    _only(changes, limits)
    for field, value in changes.items():
        max_length, required = limits[field]
        setattr(workshop, field, _text(field, value, max_length=max_length, required=required))
    workshop.save(update_fields=list(changes) or None)
    return workshop


def workshop_delete(*, actor, workshop: Workshop) -> None:
    require_role(actor, workshop, Role.FACILITATOR)
    map_ids = list(workshop.maps.values_list("pk", flat=True))
    with transaction.atomic():
        workshop.delete()
        for map_id in map_ids:
            transaction.on_commit(functools.partial(broadcast.broadcast_map_deleted, map_id))


def membership_set(*, actor, workshop: Workshop, user, role: str) -> Membership:
    """Add a member, or change a member's role."""
    require_role(actor, workshop, Role.FACILITATOR)
    role = _choice("role", role, Role)
    _check_guest(user, workshop, role)
    with transaction.atomic():
        membership, _ = Membership.objects.select_for_update().get_or_create(
            workshop=workshop, user=user, defaults={"role": role}
        )
        if membership.role != role:
            _keep_a_facilitator(workshop, leaving=membership)
            membership.role = role
            membership.save(update_fields=["role"])
            broadcast.access_changed_on_commit(workshop, [user.pk])
    return membership


def _check_guest(user, workshop: Workshop, role: str) -> None:
    """A guest belongs to the one workshop of their link, and never runs it."""
    guest = guest_of(user)
    if guest and guest.invite.workshop_id != workshop.pk:
        _invalid("user", f"{guest.display_name} is a guest of another workshop; guests belong "
                         "to one workshop. Ask them to sign up.")
    if guest and role == Role.FACILITATOR:
        _invalid("role", f"{guest.display_name} is a guest; guests can be editors or viewers. "
                         "Ask them to sign up to facilitate.")


def membership_remove(*, actor, workshop: Workshop, user) -> None:
    require_role(actor, workshop, Role.FACILITATOR)
    with transaction.atomic():
        membership = Membership.objects.filter(workshop=workshop, user=user).first()
        if membership is None:
            _invalid("user", "Not a member of this workshop.")
        _keep_a_facilitator(workshop, leaving=membership)
        membership.delete()
        broadcast.access_changed_on_commit(workshop, [user.pk])


def _keep_a_facilitator(workshop: Workshop, *, leaving: Membership):
    if leaving.role != Role.FACILITATOR:
        return
    others = workshop.memberships.filter(role=Role.FACILITATOR).exclude(pk=leaving.pk)
    if not others.exists():
        _invalid("role", "A workshop needs at least one facilitator; appoint another first.")


PERSONA_LIMITS = {
    "name": (TITLE_MAX, True),
    "segment": (TITLE_MAX, False),
    "description": (DESCRIPTION_MAX, False),
    "goals": (DESCRIPTION_MAX, False),
}


def persona_create(*, actor, workshop: Workshop, name: str, **fields) -> Persona:
    require_role(actor, workshop, Role.FACILITATOR)
    persona = Persona(workshop=workshop)
    _set_texts(persona, {"name": name, **fields}, PERSONA_LIMITS)
    persona.save()
    return persona


def persona_update(*, actor, persona: Persona, **changes) -> Persona:
    require_role(actor, persona.workshop, Role.FACILITATOR)
    _set_texts(persona, changes, PERSONA_LIMITS)
    persona.save()
    return persona


def persona_delete(*, actor, persona: Persona) -> None:
    require_role(actor, persona.workshop, Role.FACILITATOR)
    persona.delete()


def _only(changes: dict, allowed) -> None:
    for field in changes:
        if field not in allowed:
            _invalid(field, "This field cannot be changed here.")


def _set_texts(obj, values: dict, limits: dict) -> list[str]:
    """Validate and set text fields; return the names of those whose value changed."""
    _only(values, limits)
    changed = []
    for field, value in values.items():
        max_length, required = limits[field]
        value = _text(field, value, max_length=max_length, required=required)
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed.append(field)
    return changed


# --- maps -----------------------------------------------------------------------------------


def _map_data(map: JourneyMap) -> dict:
    """The map as it reads once this change is recorded: _record bumps the revision after the
    payload is built, and a board merging the payload must not step back one revision."""
    return {**MapSerializer(map).data, "revision": map.revision + 1}


def _persona_of(workshop: Workshop, persona_id):
    if persona_id is None:
        return None
    persona = None
    if isinstance(persona_id, int) and not isinstance(persona_id, bool):
        persona = Persona.objects.filter(workshop=workshop, pk=persona_id).first()
    if persona is None:
        _invalid("persona", f"No persona {persona_id} in this workshop.")
    return persona


def map_create(
    *, actor, workshop: Workshop, title: str, description: str = "", persona_id: int | None = None,
    state: str = MapState.CURRENT, template: str = "b2c",
) -> JourneyMap:
    require_role(actor, workshop, Role.FACILITATOR)
    title = _text("title", title, max_length=TITLE_MAX, required=True)
    description = _text("description", description, max_length=DESCRIPTION_MAX)
    state = _choice("state", state, MapState)
    if template not in MAP_TEMPLATES:
        _invalid("template", f"Unknown template {template!r}; choose one of {', '.join(MAP_TEMPLATES)}.")
    persona = _persona_of(workshop, persona_id)
    blueprint = MAP_TEMPLATES[template]
    with transaction.atomic():
        journey_map = JourneyMap.objects.create(
            workshop=workshop, title=title, description=description, persona=persona, state=state
        )
        Stage.objects.bulk_create(
            Stage(map=journey_map, title=name, position=i) for i, name in enumerate(blueprint["stages"])
        )
        Lane.objects.bulk_create(
            Lane(map=journey_map, title=name, kind=kind, position=i)
            for i, (name, kind) in enumerate(blueprint["lanes"])
        )
        _record(journey_map, actor=actor, event_type="map.created",
                payload={"map": _map_data(journey_map), "template": template})
    return journey_map


MAP_TEXT_LIMITS = {"title": (TITLE_MAX, True), "description": (DESCRIPTION_MAX, False)}


def _map_update_role(changes: dict) -> str:
    # Renaming is content work for editors; who the map is about, and its state, is the
    # facilitator's call.
    return Role.FACILITATOR if {"persona", "state"} & changes.keys() else Role.EDITOR


@map_change(role=_map_update_role)
def map_update(*, actor, map, base_revision: int | None = None, **changes):
    _only(changes, {*MAP_TEXT_LIMITS, "persona", "state"})
    texts = {k: v for k, v in changes.items() if k in MAP_TEXT_LIMITS}
    for field, value in texts.items():
        _check_base(map, field, value, base_revision)
    before = {field: getattr(map, field) for field in texts}
    changed = _set_texts(map, texts, MAP_TEXT_LIMITS)
    if "state" in changes:
        map.state = _choice("state", changes["state"], MapState)
    if "persona" in changes:
        map.persona = _persona_of(map.workshop, changes["persona"])
    _stamp(map, changed, map.revision + 1)
    map.save()
    # Undo gives back the title and description; persona and state are the facilitator's.
    undo = restore.inverse("map.update", {f: before[f] for f in changed},
                           [f"map:{f}" for f in changed]) if changed else None
    return "map.updated", {"map": _map_data(map)}, undo


def map_delete(*, actor, map: JourneyMap) -> None:
    require_role(actor, map.workshop, Role.FACILITATOR)
    map_id = map.pk
    with transaction.atomic():
        map.delete()
        transaction.on_commit(lambda: broadcast.broadcast_map_deleted(map_id))


# --- stages and lanes -----------------------------------------------------------------------
# Stages (columns) and lanes (rows) behave alike; the kind of a lane is the one difference.

AXIS_TEXT_LIMITS = {"title": (TITLE_MAX, True), "description": (DESCRIPTION_MAX, False)}
LANE_TEXT_LIMITS = {"title": (TITLE_MAX, True)}


def _axis(model):
    return {
        Stage: ("stage", StageSerializer, AXIS_TEXT_LIMITS),
        Lane: ("lane", LaneSerializer, LANE_TEXT_LIMITS),
    }[model]


def _axis_create(model, map, position, values: dict, extra: dict | None = None):
    name, serializer, limits = _axis(model)
    siblings = list(model.objects.filter(map=map))
    position = len(siblings) if position is None else _position(position, len(siblings))
    obj = model(map=map, position=len(siblings), **(extra or {}))
    _set_texts(obj, values, limits)
    _stamp(obj, values, map.revision + 1)
    obj.save()
    model.objects.bulk_update(_reorder(siblings + [obj], obj, position), ["position"])
    undo = restore.inverse(f"{name}.delete", {f"{name}_id": obj.pk}, [f"{name}:{obj.pk}"])
    return f"{name}.created", {name: serializer(obj).data}, undo


def _axis_update(model, map, object_id, base_revision, values: dict, extra: dict | None = None):
    name, serializer, limits = _axis(model)
    obj = _member_of(map, model, object_id, name)
    _only(values, limits)
    for field, value in values.items():
        _check_base(obj, field, value, base_revision)
    before = {field: getattr(obj, field) for field in [*values, *(extra or {})]}
    changed = _set_texts(obj, values, limits)
    for field, value in (extra or {}).items():
        setattr(obj, field, value)
    _stamp(obj, changed, map.revision + 1)
    obj.save()
    return f"{name}.updated", {name: serializer(obj).data}, _undo_fields(name, obj, before)


def _axis_move(model, map, object_id, position):
    name, _, _ = _axis(model)
    obj = _member_of(map, model, object_id, name)
    siblings = list(model.objects.filter(map=map))
    undo = restore.inverse(f"{name}.move", {f"{name}_id": obj.pk, "position": obj.position},
                           [f"{name}:{obj.pk}:place"])
    model.objects.bulk_update(_reorder(siblings, obj, _position(position, len(siblings) - 1)),
                              ["position"])
    order = list(model.objects.filter(map=map).values_list("pk", flat=True))
    return f"{name}.moved", {name: obj.pk, f"{name}_ids": order}, undo


def _axis_delete(model, map, object_id):
    name, serializer, _ = _axis(model)
    obj = _member_of(map, model, object_id, name)
    # The event keeps what was deleted, cards included, so history can bring it back.
    payload = {name: serializer(obj).data, "cards": CardSerializer(obj.cards.all(), many=True).data}
    family = restore.axis_family(obj)  # what the cascade takes, to bring it all back on undo
    undo = restore.inverse(f"{name}.restore", {"rows": restore.rows(family)},
                           restore.family_keys(family))
    obj.delete()
    _close_gap(model, map=map)
    return f"{name}.deleted", payload, undo


def _undo_fields(name: str, obj, before: dict) -> dict | None:
    """The inverse of an update: the old values of the fields that changed, if any did."""
    changed = {field: value for field, value in before.items() if getattr(obj, field) != value}
    if not changed:
        return None
    return restore.inverse(f"{name}.update", {f"{name}_id": obj.pk, **changed},
                           [f"{name}:{obj.pk}:{field}" for field in changed])


@map_change()
def stage_create(*, actor, map, title: str, description: str = "", position: int | None = None):
    return _axis_create(Stage, map, position, {"title": title, "description": description})


@map_change()
def stage_update(*, actor, map, stage_id: int, base_revision: int | None = None, **changes):
    return _axis_update(Stage, map, stage_id, base_revision, changes)


@map_change()
def stage_move(*, actor, map, stage_id: int, position: int):
    return _axis_move(Stage, map, stage_id, position)


@map_change()
def stage_delete(*, actor, map, stage_id: int):
    return _axis_delete(Stage, map, stage_id)


@map_change()
def lane_create(*, actor, map, title: str, kind: str = LaneKind.TEXT, position: int | None = None):
    kind = _choice("kind", kind, LaneKind)
    return _axis_create(Lane, map, position, {"title": title}, extra={"kind": kind})


@map_change()
def lane_update(*, actor, map, lane_id: int, base_revision: int | None = None, **changes):
    extra = {}
    if "kind" in changes:
        extra["kind"] = _choice("kind", changes.pop("kind"), LaneKind)
    return _axis_update(Lane, map, lane_id, base_revision, changes, extra)


@map_change()
def lane_move(*, actor, map, lane_id: int, position: int):
    return _axis_move(Lane, map, lane_id, position)


@map_change()
def lane_delete(*, actor, map, lane_id: int):
    return _axis_delete(Lane, map, lane_id)


# --- cards ----------------------------------------------------------------------------------

CARD_TEXT_LIMITS = {"text": (CARD_TEXT_MAX, False), "channel": (CHANNEL_MAX, False)}


def _card_extras(card: Card, values: dict) -> None:
    """Set the kind-specific numbers, which only make sense in their kind of lane."""
    if "emotion_score" in values:
        score = _int_or_none("emotion_score", values["emotion_score"], EMOTION_RANGE, "An emotion score")
        if score is not None and card.lane.kind != LaneKind.EMOTIONS:
            _invalid("emotion_score", "Only cards in an emotions lane have an emotion score.")
        card.emotion_score = score
    if "severity" in values:
        severity = _int_or_none("severity", values["severity"], SEVERITY_RANGE, "A severity")
        if severity is not None and card.lane.kind != LaneKind.PAIN_POINTS:
            _invalid("severity", "Only cards in a pain points lane have a severity.")
        card.severity = severity


def _cell(map, stage, lane) -> list[Card]:
    return list(Card.objects.filter(map=map, stage=stage, lane=lane).order_by("position", "id"))


@map_change()
def card_create(*, actor, map, stage_id: int, lane_id: int, text: str = "",
                emotion_score: int | None = None, severity: int | None = None, channel: str = "",
                position: int | None = None):
    stage = _member_of(map, Stage, stage_id, "stage")
    lane = _member_of(map, Lane, lane_id, "lane")
    cell = _cell(map, stage, lane)
    position = len(cell) if position is None else _position(position, len(cell))
    card = Card(map=map, stage=stage, lane=lane, position=len(cell), author=actor,
                private=bool(map.controls.get("private")))  # private brainstorming (voting.py)
    _set_texts(card, {"text": text, "channel": channel}, CARD_TEXT_LIMITS)
    _card_extras(card, {"emotion_score": emotion_score, "severity": severity})
    _stamp(card, ["text", "channel"], map.revision + 1)
    card.save()
    Card.objects.bulk_update(_reorder(cell + [card], card, position), ["position"])
    undo = restore.inverse("card.delete", {"card_id": card.pk}, *restore.card_keys(card))
    return "card.created", {"card": card_data(card)}, undo


@map_change()
def card_update(*, actor, map, card_id: int, base_revision: int | None = None, **changes):
    card = _member_of(map, Card, card_id, "card", actor)
    _only(changes, {*CARD_TEXT_LIMITS, "emotion_score", "severity"})
    texts = {k: v for k, v in changes.items() if k in CARD_TEXT_LIMITS}
    for field, value in texts.items():
        _check_base(card, field, value, base_revision)
    before = {field: getattr(card, field) for field in changes}
    changed = _set_texts(card, texts, CARD_TEXT_LIMITS)
    _card_extras(card, changes)
    _stamp(card, changed, map.revision + 1)
    card.save()
    return "card.updated", {"card": card_data(card)}, _undo_fields("card", card, before)


@map_change()
def card_move(*, actor, map, card_id: int, stage_id: int, lane_id: int, position: int):
    card = _member_of(map, Card, card_id, "card", actor)
    stage = _member_of(map, Stage, stage_id, "stage")
    lane = _member_of(map, Lane, lane_id, "lane")
    source = {"stage": card.stage_id, "lane": card.lane_id}
    undo = restore.inverse("card.move", {"card_id": card.pk, "stage_id": card.stage_id,
                                         "lane_id": card.lane_id, "position": card.position},
                           [f"card:{card.pk}:place"], [f"stage:{stage.pk}", f"lane:{lane.pk}"])
    same_cell = card.stage_id == stage.pk and card.lane_id == lane.pk
    target = _cell(map, stage, lane)
    if not same_cell:
        target.append(card)
    position = _position(position, len(target) - 1)
    card.stage, card.lane = stage, lane
    Card.objects.bulk_update(_reorder(target, card, position), ["stage", "lane", "position"])
    if not same_cell:
        _close_gap(Card, map=map, **source)
    return "card.moved", {
        "card": card_data(card),
        "from": {**source, "card_ids": _ids(map, **source)},
        "to": {"stage": stage.pk, "lane": lane.pk, "card_ids": _ids(map, stage=stage.pk, lane=lane.pk)},
    }, undo


def _ids(map, *, stage, lane) -> list[int]:
    return list(Card.objects.filter(map=map, stage=stage, lane=lane)
                .order_by("position", "id").values_list("pk", flat=True))


@map_change()
def card_delete(*, actor, map, card_id: int):
    card = _member_of(map, Card, card_id, "card", actor)
    payload = {"card": card_data(card)}
    family = restore.card_family([card])  # its evidence and dots go with it, and come back
    undo = restore.inverse("card.restore", {"rows": restore.rows(family)},
                           restore.family_keys(family), restore.card_keys(card)[1])
    card.delete()
    _close_gap(Card, map=map, stage=card.stage_id, lane=card.lane_id)
    return "card.deleted", payload, undo
