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

from django.core.exceptions import ValidationError

from .. import history
from ..models import Card, MapEvent
from ..realtime.broadcast import event_message
from ..serializers import display_name
from . import restore
from .pipeline import Change, map_change

HISTORY_WINDOW = 500  # how far back in a person's own changes undo looks


class UndoRefused(Exception):
    """Nothing to undo or redo, or someone else changed it since (code undo_conflict)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@map_change()
def change_undo(*, actor, map):
    target = _last_undoable(map, actor)
    if target is None:
        raise UndoRefused("nothing_to_undo", "You have no change on this map left to undo.")
    return _reverse(actor, map, target, "undo")


@map_change()
def change_redo(*, actor, map):
    target = _last_undone(map, actor)
    if target is None:
        raise UndoRefused(
            "nothing_to_redo", "Nothing to redo: you have undone nothing since your last change."
        )
    return _reverse(actor, map, target, "redo")


# --- the stacks -----------------------------------------------------------------------------


def _own_history(map, actor) -> list[MapEvent]:
    events = map.events.filter(actor=actor).order_by("-revision")
    return list(
        events.only("id", "revision", "type", "payload", "inverse", "undo_of")[:HISTORY_WINDOW]
    )


def step_of(event: MapEvent) -> str | None:
    """ "undo" or "redo" for an undo or redo, None for an ordinary change."""
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
        done = OPS[op["op"]](actor=actor, map=map, **op["args"])
    except ValidationError as error:
        # What it needs has gone, in a way the keys did not foresee: refuse, change nothing.
        message = f"Could not {step} it: {' '.join(error.messages)}"
        raise UndoRefused("undo_conflict", message) from None
    was = target.payload["undo"]["event"] if step == "redo" else target.type
    payload = {**done.payload, "undo": {"kind": step, "of": target.revision, "event": was}}
    return Change(done.type, payload, done.inverse, undoes=target)


def _refuse_if_touched(map, actor, target: MapEvent, step: str) -> None:
    later = (
        map.events.filter(revision__gt=target.revision)
        .exclude(actor=actor)
        .select_related("actor")
        .order_by("revision")
    )
    for other in later.iterator():
        if clashes(target.inverse, other.inverse):
            raise UndoRefused(
                "undo_conflict",
                f"Not {step}ne: {_who_did(other, actor)} since, "
                f"and {step}ing would overwrite their change.",
            )


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
# Each takes (actor, map, **args) and returns a Change, like a map_change body (it runs inside
# the undo's own map change). The board's are in undo_ops.py; apps above register theirs.

OPS = {}


def register(op: str, operation) -> None:
    OPS[op] = operation


def put_back(map, rows: list, model, what: str) -> list:
    """Save deleted rows again, the first of them a `model`, or refuse: where it was has gone."""
    saved = restore.put_rows(rows)
    if not saved or not isinstance(saved[0], model):
        raise UndoRefused(
            "undo_conflict", f"Could not bring back {what}: where it was has been deleted since."
        )
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
