"""Undo and redo of one's own changes to a map (docs/realtime.md, "Undo and redo").

Each person has their own undo stack on a map: their changes that can be undone, newest first.
Undo reverses the newest one not yet undone; redo reverses the newest undo not yet redone, until
the person makes a new change. An undo or redo is itself a map change, through map_change: a new
revision and an event of the ordinary type (card.updated, card.created...) that every board
applies with the code it has, with `undo` in its payload: {"kind": "undo" | "redo", "of": the
revision it reverses, "event": the type of the change undone}.

Nobody's undo reverses someone else's work: when someone else has touched what an undo would
change since (restore.py names it by keys), the undo is refused with `undo_conflict`.
"""

from django.apps import apps
from django.core.exceptions import ValidationError

from . import history, restore, services
from .broadcast import event_message
from .models import Card, Lane, MapEvent, Stage, VoteStatus
from .serializers import CardSerializer, LaneSerializer, StageSerializer, card_data, display_name

HISTORY_WINDOW = 500  # how far back in a person's own changes undo looks


class UndoRefused(Exception):
    """Nothing to undo or redo, or someone else changed it since (code undo_conflict)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@services.map_change()
def change_undo(*, actor, map):
    target = _last_undoable(map, actor)
    if target is None:
        raise UndoRefused("nothing_to_undo", "You have no change on this map left to undo.")
    return _reverse(actor, map, target, "undo")


@services.map_change()
def change_redo(*, actor, map):
    target = _last_undone(map, actor)
    if target is None:
        raise UndoRefused("nothing_to_redo", "Nothing to redo: you have undone nothing since "
                                             "your last change.")
    return _reverse(actor, map, target, "redo")


# --- the stacks -----------------------------------------------------------------------------


def _own_history(map, actor) -> list[MapEvent]:
    events = map.events.filter(actor=actor).order_by("-revision")
    return list(events.only("id", "revision", "type", "payload", "inverse", "undo_of")
                [:HISTORY_WINDOW])


def step_of(event: MapEvent) -> str | None:
    """"undo" or "redo" for an undo or redo, None for an ordinary change."""
    marker = event.payload.get("undo")
    return marker.get("kind") if isinstance(marker, dict) else None


def _last_undoable(map, actor) -> MapEvent | None:
    events = _own_history(map, actor)
    reversed_ = {event.undo_of_id for event in events}
    final = []  # one's own later changes that cannot be undone (a picture deleted for good)
    for event in events:
        if event.pk in reversed_ or step_of(event) == "undo":
            continue
        if not event.inverse.get("op"):
            final.append(event.inverse)
        elif not any(clashes(event.inverse, later) for later in final):
            return event
    return None


def _last_undone(map, actor) -> MapEvent | None:
    events = _own_history(map, actor)
    reversed_ = {event.undo_of_id for event in events}
    for event in events:
        step = step_of(event)
        if step is None and event.inverse.get("op"):
            return None  # a new change of one's own clears what could be redone, as in editors
        if step == "undo" and event.inverse.get("op") and event.pk not in reversed_:
            return event
    return None


# --- reversing one change -------------------------------------------------------------------


def _reverse(actor, map, target: MapEvent, step: str):
    _refuse_if_touched(map, actor, target, step)
    op = target.inverse
    try:
        event_type, payload, *undo = OPS[op["op"]](actor=actor, map=map, **op["args"])
    except ValidationError as error:
        # What it needs has gone, in a way the keys did not foresee: refuse, change nothing.
        raise UndoRefused("undo_conflict", f"Could not {step} it: {' '.join(error.messages)}")
    was = target.payload["undo"]["event"] if step == "redo" else target.type
    payload = {**payload, "undo": {"kind": step, "of": target.revision, "event": was}}
    return event_type, payload, undo[0] if undo else None, target


def _refuse_if_touched(map, actor, target: MapEvent, step: str) -> None:
    later = (map.events.filter(revision__gt=target.revision).exclude(actor=actor)
             .select_related("actor").order_by("revision"))
    for other in later.iterator():
        if clashes(target.inverse, other.inverse):
            raise UndoRefused("undo_conflict", f"Not {step}ne: {_who_did(other, actor)} since, "
                              f"and {step}ing would overwrite their change.")


def _who_did(other: MapEvent, actor) -> str:
    # A secret change (a private card before the reveal) is not described to whoever may not
    # read it: the refusal must not tell its text, nor whose it is.
    if event_message(other, viewer=actor.pk)["event"] == "hidden":
        return "someone changed it"
    return f"{display_name(other.actor) or 'Someone'} {history.describe(other)}"


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ":") or b.startswith(a + ":")


def clashes(mine: dict, theirs: dict) -> bool:
    """Would reversing `mine` undo some of `theirs`, a later change by someone else?"""
    keys, within = mine.get("keys", []), mine.get("in", [])
    their_keys, their_in = theirs.get("keys", []), theirs.get("in", [])
    return (
        # the same object or field
        any(_overlap(key, theirs_) for key in keys for theirs_ in their_keys)
        # they put something into what mine made (undoing it would delete theirs)
        or any(place == key or place.startswith(key + ":") for key in keys for place in their_in)
        # they made or removed what mine was in
        or any(place in their_keys for place in within)
    )


# --- the operations an inverse names ----------------------------------------------------------


def _card_move(*, actor, map, card_id: int, stage_id: int, lane_id: int, position: int):
    # The cell may have fewer cards than it had: put the card back as near as it can go.
    others = Card.objects.filter(map=map, stage_id=stage_id, lane_id=lane_id).exclude(pk=card_id)
    return services.card_move.__wrapped__(actor=actor, map=map, card_id=card_id,
                                          stage_id=stage_id, lane_id=lane_id,
                                          position=min(position, others.count()))


def _axis_move(model, service):
    def move(*, actor, map, position: int, **object_id):
        last = model.objects.filter(map=map).count() - 1
        return service.__wrapped__(actor=actor, map=map, position=min(position, last), **object_id)

    return move


def _deleting(service, cards_of):
    """A delete that undoes a create: never when it would take others' revealed dots with it.
    Dots of an open round are secret, so they neither block the undo nor show in its refusal;
    like any deletion during a vote, it gives them back to their voters."""

    def delete(*, actor, map, **object_id):
        cards = cards_of(map, **object_id)
        votes = apps.get_model("workshops", "Vote").objects.filter(
            card__in=cards, round__status=VoteStatus.REVEALED)
        if votes.exclude(voter=actor).exists():
            raise UndoRefused("undo_conflict",
                              "Not undone: it has others' dots from a revealed vote.")
        return service.__wrapped__(actor=actor, map=map, **object_id)

    return delete


def _card_restore(*, actor, map, rows: list):
    saved = _put(map, rows, Card, "the card")
    card = saved[0]
    cell = list(Card.objects.filter(map=map, stage_id=card.stage_id, lane_id=card.lane_id))
    Card.objects.bulk_update(services._reorder(cell, card, min(card.position, len(cell) - 1)),
                             ["position"])
    card = Card.objects.select_related("author").get(pk=card.pk)
    payload = {"card": card_data(card), "evidence": _evidence_of(saved)}
    undo = restore.inverse("card.delete", {"card_id": card.pk}, *restore.card_keys(card))
    return "card.created", payload, undo


def _axis_restore(model, name: str, serializer):
    def put_back(*, actor, map, rows: list):
        saved = _put(map, rows, model, f"the {name}")
        obj = saved[0]
        siblings = list(model.objects.filter(map=map))
        model.objects.bulk_update(
            services._reorder(siblings, obj, min(obj.position, len(siblings) - 1)), ["position"])
        cards = Card.objects.filter(pk__in=[o.pk for o in saved if isinstance(o, Card)])
        payload = {name: serializer(obj).data, "evidence": _evidence_of(saved),
                   "cards": CardSerializer(cards.select_related("author"), many=True).data}
        undo = restore.inverse(f"{name}.delete", {f"{name}_id": obj.pk}, [f"{name}:{obj.pk}"])
        return f"{name}.created", payload, undo

    return put_back


def _put(map, rows: list, model, what: str) -> list:
    saved = restore.put_rows(rows)
    if not saved or not isinstance(saved[0], model):
        raise UndoRefused("undo_conflict", f"Could not bring back {what}: where it was has "
                                           "been deleted since.")
    _publish_if_revealed(map, saved)
    return saved


def _publish_if_revealed(map, saved: list) -> None:
    """A private card comes back private only while private brainstorming still runs: once
    the facilitator has revealed the cards, none may hide again."""
    if map.controls.get("private"):
        return
    for card in (obj for obj in saved if isinstance(obj, Card) and obj.private):
        card.private = False
        card.save(update_fields=["private"])


def _evidence_of(saved: list) -> list[dict]:
    from evidence.serializers import evidence_list

    return evidence_list(o for o in saved if isinstance(o, restore.evidence_model()))


def _evidence_restore(*, actor, map, rows: list):
    from evidence.serializers import evidence_data
    from evidence.services import _keys

    piece = _put(map, rows, restore.evidence_model(), "the evidence")[0]
    undo = restore.inverse("evidence.delete", {"evidence_id": piece.pk}, *_keys(piece))
    return "evidence.created", {"evidence": evidence_data(piece)}, undo


def _evidence_put(*, actor, map, rows: list):
    """An evidence update undone: the piece as it was, whole."""
    from evidence.serializers import evidence_data
    from evidence.services import _keys, where

    model = restore.evidence_model()
    current = model.objects.filter(map=map, pk=rows[0]["pk"]).first()
    if current is None:
        raise UndoRefused("undo_conflict", "Could not undo it: the evidence has been deleted.")
    as_it_is, before = restore.rows([current]), where(current)
    put_back = _put(map, rows, model, "the evidence")[0]
    piece = model.objects.select_related("card").get(pk=put_back.pk)
    undo = restore.inverse("evidence.put", {"rows": as_it_is}, *_keys(piece))
    return "evidence.updated", {"evidence": evidence_data(piece), "before": before}, undo


def _evidence_delete(**arguments):
    from evidence.services import evidence_delete

    return evidence_delete.__wrapped__(**arguments)


OPS = {
    "map.update": services.map_update.__wrapped__,
    "card.update": services.card_update.__wrapped__,
    "card.move": _card_move,
    "card.delete": _deleting(services.card_delete,
                             lambda map, card_id: Card.objects.filter(map=map, pk=card_id)),
    "card.restore": _card_restore,
    "stage.update": services.stage_update.__wrapped__,
    "stage.move": _axis_move(Stage, services.stage_move),
    "stage.delete": _deleting(services.stage_delete,
                              lambda map, stage_id: Card.objects.filter(map=map, stage=stage_id)),
    "stage.restore": _axis_restore(Stage, "stage", StageSerializer),
    "lane.update": services.lane_update.__wrapped__,
    "lane.move": _axis_move(Lane, services.lane_move),
    "lane.delete": _deleting(services.lane_delete,
                             lambda map, lane_id: Card.objects.filter(map=map, lane=lane_id)),
    "lane.restore": _axis_restore(Lane, "lane", LaneSerializer),
    "evidence.delete": _evidence_delete,
    "evidence.restore": _evidence_restore,
    "evidence.put": _evidence_put,
}
