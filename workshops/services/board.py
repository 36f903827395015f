"""The board's content: stages (columns), lanes (rows) and the cards in their cells. Each write
is a map change (pipeline.map_change) with the inverse that undoes it (restore.py, undo.py)."""

from ..models import CARD_TEXT_MAX, TITLE_MAX, Card, Lane, LaneKind, Stage
from ..serializers import CardSerializer, LaneSerializer, StageSerializer, card_data
from . import checks, restore
from .checks import choice, find_on_map, only, refuse, set_texts, whole_number_or_none
from .conflicts import refuse_if_changed_since, stamp
from .pipeline import Change, map_change, next_revision
from .positions import cell, cell_ids, close_gap, reorder
from .workshops import DESCRIPTION_MAX

CHANNEL_MAX = 100
EMOTION_RANGE = range(-2, 3)
SEVERITY_RANGE = range(1, 4)

# --- stages and lanes -----------------------------------------------------------------------
# Stages (columns) and lanes (rows) behave alike; the kind of a lane is the one difference.

AXIS_TEXT_LIMITS = {"title": (TITLE_MAX, True), "description": (DESCRIPTION_MAX, False)}
LANE_TEXT_LIMITS = {"title": (TITLE_MAX, True)}


def _axis(model):
    return {
        Stage: ("stage", StageSerializer, AXIS_TEXT_LIMITS),
        Lane: ("lane", LaneSerializer, LANE_TEXT_LIMITS),
    }[model]


def _axis_create(model, map, at, values: dict, extra: dict | None = None) -> Change:
    name, serializer, limits = _axis(model)
    siblings = list(model.objects.filter(map=map))
    at = len(siblings) if at is None else checks.position(at, len(siblings))
    obj = model(map=map, position=len(siblings), **(extra or {}))
    set_texts(obj, values, limits)
    stamp(obj, values, next_revision(map))
    obj.save()
    model.objects.bulk_update(reorder(siblings + [obj], obj, at), ["position"])
    undo = restore.inverse(f"{name}.delete", {f"{name}_id": obj.pk}, [f"{name}:{obj.pk}"])
    return Change(f"{name}.created", {name: serializer(obj).data}, undo)


def _axis_update(model, map, pk, base_revision, values: dict, extra: dict | None = None):
    name, serializer, limits = _axis(model)
    obj = find_on_map(map, model, pk, name)
    only(values, limits)
    for field, value in values.items():
        refuse_if_changed_since(obj, field, value, base_revision)
    before = {field: getattr(obj, field) for field in [*values, *(extra or {})]}
    changed = set_texts(obj, values, limits)
    for field, value in (extra or {}).items():
        setattr(obj, field, value)
    stamp(obj, changed, next_revision(map))
    obj.save()
    return Change(f"{name}.updated", {name: serializer(obj).data}, undo_fields(name, obj, before))


def _axis_move(model, map, pk, to) -> Change:
    name, _, _ = _axis(model)
    obj = find_on_map(map, model, pk, name)
    siblings = list(model.objects.filter(map=map))
    undo = restore.inverse(
        f"{name}.move",
        {f"{name}_id": obj.pk, "position": obj.position},
        [f"{name}:{obj.pk}:place"],
    )
    moved = reorder(siblings, obj, checks.position(to, len(siblings) - 1))
    model.objects.bulk_update(moved, ["position"])
    order = list(model.objects.filter(map=map).values_list("pk", flat=True))
    return Change(f"{name}.moved", {name: obj.pk, f"{name}_ids": order}, undo)


def _axis_delete(model, map, pk) -> Change:
    name, serializer, _ = _axis(model)
    obj = find_on_map(map, model, pk, name)
    # The event keeps what was deleted, cards included, so history can bring it back.
    payload = {name: serializer(obj).data, "cards": CardSerializer(obj.cards.all(), many=True).data}
    family = restore.family(obj)  # what the cascade takes, to bring it all back on undo
    undo = restore.inverse(
        f"{name}.restore", {"rows": restore.rows(family)}, restore.family_keys(family)
    )
    obj.delete()
    close_gap(model, map=map)
    return Change(f"{name}.deleted", payload, undo)


def undo_fields(name: str, obj, before: dict) -> dict | None:
    """The inverse of an update: the old values of the fields that changed, if any did."""
    changed = {field: value for field, value in before.items() if getattr(obj, field) != value}
    if not changed:
        return None
    return restore.inverse(
        f"{name}.update",
        {f"{name}_id": obj.pk, **changed},
        [f"{name}:{obj.pk}:{field}" for field in changed],
    )


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
    kind = choice("kind", kind, LaneKind)
    return _axis_create(Lane, map, position, {"title": title}, extra={"kind": kind})


@map_change()
def lane_update(*, actor, map, lane_id: int, base_revision: int | None = None, **changes):
    extra = {}
    if "kind" in changes:
        extra["kind"] = choice("kind", changes.pop("kind"), LaneKind)
    return _axis_update(Lane, map, lane_id, base_revision, changes, extra)


@map_change()
def lane_move(*, actor, map, lane_id: int, position: int):
    return _axis_move(Lane, map, lane_id, position)


@map_change()
def lane_delete(*, actor, map, lane_id: int):
    return _axis_delete(Lane, map, lane_id)


# --- cards ----------------------------------------------------------------------------------

CARD_TEXT_LIMITS = {"text": (CARD_TEXT_MAX, False), "channel": (CHANNEL_MAX, False)}


def set_card_numbers(card: Card, values: dict) -> None:
    """Set the kind-specific numbers, which only make sense in their kind of lane."""
    if "emotion_score" in values:
        score = whole_number_or_none(
            "emotion_score", values["emotion_score"], EMOTION_RANGE, "An emotion score"
        )
        if score is not None and card.lane.kind != LaneKind.EMOTIONS:
            refuse("emotion_score", "Only cards in an emotions lane have an emotion score.")
        card.emotion_score = score
    if "severity" in values:
        severity = whole_number_or_none(
            "severity", values["severity"], SEVERITY_RANGE, "A severity"
        )
        if severity is not None and card.lane.kind != LaneKind.PAIN_POINTS:
            refuse("severity", "Only cards in a pain points lane have a severity.")
        card.severity = severity


@map_change()
def card_create(
    *,
    actor,
    map,
    stage_id: int,
    lane_id: int,
    text: str = "",
    emotion_score: int | None = None,
    severity: int | None = None,
    channel: str = "",
    position: int | None = None,
):
    stage = find_on_map(map, Stage, stage_id, "stage")
    lane = find_on_map(map, Lane, lane_id, "lane")
    cards = cell(map, stage, lane)
    at = len(cards) if position is None else checks.position(position, len(cards))
    card = Card(
        map=map,
        stage=stage,
        lane=lane,
        position=len(cards),
        author=actor,
        private=bool(map.controls.get("private")),  # private brainstorming (voting.py)
    )
    set_texts(card, {"text": text, "channel": channel}, CARD_TEXT_LIMITS)
    set_card_numbers(card, {"emotion_score": emotion_score, "severity": severity})
    stamp(card, ["text", "channel"], next_revision(map))
    card.save()
    checks.within_size_limits(map)
    Card.objects.bulk_update(reorder(cards + [card], card, at), ["position"])
    undo = restore.inverse("card.delete", {"card_id": card.pk}, *restore.card_keys(card))
    return Change("card.created", {"card": card_data(card)}, undo)


@map_change()
def card_update(*, actor, map, card_id: int, base_revision: int | None = None, **changes):
    card = find_on_map(map, Card, card_id, "card", actor)
    only(changes, {*CARD_TEXT_LIMITS, "emotion_score", "severity"})
    texts = {k: v for k, v in changes.items() if k in CARD_TEXT_LIMITS}
    for field, value in texts.items():
        refuse_if_changed_since(card, field, value, base_revision)
    before = {field: getattr(card, field) for field in changes}
    changed = set_texts(card, texts, CARD_TEXT_LIMITS)
    set_card_numbers(card, changes)
    stamp(card, changed, next_revision(map))
    card.save()
    if len(card.text) > len(before.get("text", card.text)):
        checks.within_size_limits(map)
    return Change("card.updated", {"card": card_data(card)}, undo_fields("card", card, before))


@map_change()
def card_move(*, actor, map, card_id: int, stage_id: int, lane_id: int, position: int):
    card = find_on_map(map, Card, card_id, "card", actor)
    stage = find_on_map(map, Stage, stage_id, "stage")
    lane = find_on_map(map, Lane, lane_id, "lane")
    source = {"stage": card.stage_id, "lane": card.lane_id}
    undo = restore.inverse(
        "card.move",
        {
            "card_id": card.pk,
            "stage_id": card.stage_id,
            "lane_id": card.lane_id,
            "position": card.position,
        },
        [f"card:{card.pk}:place"],
        [f"stage:{stage.pk}", f"lane:{lane.pk}"],
    )
    same_cell = card.stage_id == stage.pk and card.lane_id == lane.pk
    target = cell(map, stage, lane)
    if not same_cell:
        target.append(card)
    at = checks.position(position, len(target) - 1)
    card.stage, card.lane = stage, lane
    Card.objects.bulk_update(reorder(target, card, at), ["stage", "lane", "position"])
    if not same_cell:
        close_gap(Card, map=map, **source)
    to = {"stage": stage.pk, "lane": lane.pk}
    payload = {
        "card": card_data(card),
        "from": {**source, "card_ids": cell_ids(map, **source)},
        "to": {**to, "card_ids": cell_ids(map, **to)},
    }
    return Change("card.moved", payload, undo)


@map_change()
def card_delete(*, actor, map, card_id: int):
    card = find_on_map(map, Card, card_id, "card", actor)
    payload = {"card": card_data(card)}
    family = restore.family(card)  # its evidence and dots go with it, and come back
    undo = restore.inverse(
        "card.restore",
        {"rows": restore.rows(family)},
        restore.family_keys(family),
        restore.card_keys(card)[1],
    )
    card.delete()
    close_gap(Card, map=map, stage=card.stage_id, lane=card.lane_id)
    return Change("card.deleted", payload, undo)
