"""The one pipeline every change to a map goes through, whoever asks for it (the live board, the
REST API, the admin, an import, a management command): the actor's role, the board lock, a
transaction with the map row locked, the next revision, a MapEvent in the map's history, and the
broadcast to the map's board once the transaction commits.

Apps above the map domain (notifications) hear of what happened without the domain importing
them: they register listeners here, called once the change has committed, beside the broadcast.
"""

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..access import require_role
from ..models import JourneyMap, MapEvent, Role
from ..realtime import broadcast, secrecy

logger = logging.getLogger(__name__)

LOCKED_MESSAGE = "The facilitator has locked the board."


class BoardLocked(PermissionDenied):
    """A change to a board the facilitator has locked: only facilitators change it meanwhile."""

    def __init__(self):
        super().__init__(LOCKED_MESSAGE)


@dataclass(frozen=True)
class Change:
    """What a change did, as a map_change body returns it.

    `type` and `payload` become the event every board receives. `inverse` says what it takes to
    reverse it (restore.inverse, or restore.tracked for a change that cannot be undone but whose
    keys guard others' undo); never sent to clients. `undoes` is set by undo and redo alone: the
    event they reverse."""

    type: str
    payload: dict
    inverse: dict | None = None
    undoes: MapEvent | None = None


def map_change(role: str | Callable[[dict], str] = Role.EDITOR, *, while_locked: bool = False):
    """Wrap a service that changes a map's content.

    The wrapped function gets the map locked for update and returns a Change; the wrapper
    records its event and returns the event. A resent op_id returns the first event.
    `role` is the least role needed, or a function of the service's arguments that says it.
    While the facilitator has locked the board, only facilitators get through, unless the
    service says `while_locked=True` (dot votes: facilitators often lock the map for voting).
    """

    def decorate(fn: Callable[..., Change]):
        @functools.wraps(fn)
        def wrapper(*, actor: AbstractBaseUser, map: JourneyMap, op_id: str = "", **kwargs):
            actual = require_role(actor, map.workshop, role(kwargs) if callable(role) else role)
            try:
                with transaction.atomic():
                    # FOR NO KEY UPDATE on PostgreSQL: changes of one map still queue one
                    # after another, but rows that only refer to the map (a big import's
                    # pieces, going in for seconds) do not hold them up.
                    locked = JourneyMap.objects.select_for_update(no_key=True).get(pk=map.pk)
                    if not while_locked:
                        _refuse_if_locked(locked, actual)
                    change = fn(actor=actor, map=locked, **kwargs)
                    event = record(locked, actor=actor, change=change, op_id=op_id)
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
    return (
        MapEvent.objects.filter(map=map, actor=actor, op_id=op_id)
        .exclude(op_id="")
        .order_by("pk")
        .first()
    )


def record(map: JourneyMap, *, actor, change: Change, op_id: str = "") -> MapEvent:
    """Give the change the map's next revision, keep it in the history, and broadcast it once
    the transaction commits. Called by map_change, and by map_create for the map's first."""
    map.revision += 1
    JourneyMap.objects.filter(pk=map.pk).update(revision=map.revision, updated_at=timezone.now())
    payload = secrecy.seal(map, change.payload)  # who may see what, before the reveal
    event = MapEvent.objects.create(
        map=map,
        revision=map.revision,
        actor=actor if actor.is_authenticated else None,
        type=change.type,
        payload=payload,
        op_id=op_id or "",
        inverse=change.inverse or {},
        undo_of=change.undoes,
    )
    transaction.on_commit(lambda: broadcast.broadcast_event(event))
    transaction.on_commit(lambda: _tell(_event_listeners, event))
    return event


def next_revision(map: JourneyMap) -> int:
    """The revision the change being made will get: record() bumps it after the body runs."""
    return map.revision + 1


# --- listeners: what happened, for the apps above -------------------------------------------

_event_listeners: list[Callable[[MapEvent], None]] = []
_announcement_listeners: list[Callable[[str, object], None]] = []


def register_event_listener(listener: Callable[[MapEvent], None]) -> None:
    """`listener(event)` is called with each map event once its transaction has committed."""
    if listener not in _event_listeners:
        _event_listeners.append(listener)


def register_announcement_listener(listener: Callable[[str, object], None]) -> None:
    """`listener(kind, subject)` hears what is not a change of a map (`version.saved`, with the
    MapVersion), once its transaction has committed."""
    if listener not in _announcement_listeners:
        _announcement_listeners.append(listener)


def announce(kind: str, subject) -> None:
    """Tell the announcement listeners of `kind` once the current transaction commits."""
    transaction.on_commit(lambda: _tell(_announcement_listeners, kind, subject))


def _tell(listeners, *what) -> None:
    # The change is committed and broadcast: a listener that fails must not undo any of it,
    # nor keep the other listeners from hearing.
    for listener in listeners:
        try:
            listener(*what)
        except Exception:
            logger.exception("A listener failed on %s", what[0])
