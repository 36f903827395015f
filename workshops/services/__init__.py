"""Every write to the map domain. Whoever asks (the live board, the REST API, the admin, an
import, a management command), a change to a map goes through one function of these modules,
and each map change through pipeline.map_change: role, validation, a transaction, the next
revision, the history, and the broadcast once the transaction commits.

Refusals raise Django's ValidationError (a dict naming the field: checks.py), PermissionDenied,
Http404, EditConflict (conflicts.py), BoardLocked (pipeline.py) or UndoRefused (undo.py); the
API, the socket, the pages and the admin each translate them in one place.

    board.py         stages, lanes and cards
    maps.py          maps of a workshop, archiving them, the quarterly review
    workshops.py     workshops, members, personas
    facilitation.py  lock, timer, follow the facilitator, present mode
    voting.py        dot voting and private brainstorming
    invites.py       invite links and guests
    comments.py      comments on cards and stages (mentions.py: `@name`)
    links.py         links from opportunities to the pain points they answer
    opportunities.py an opportunity's owner, status, impact, effort and tickets
    undo.py          undo and redo of one's own changes (undo_ops.py, restore.py)

The names below are re-exported so that callers write `services.card_move(...)`.
"""

from .board import (
    card_create,
    card_delete,
    card_move,
    card_update,
    lane_create,
    lane_delete,
    lane_move,
    lane_update,
    stage_create,
    stage_delete,
    stage_move,
    stage_update,
)
from .conflicts import EditConflict
from .maps import (
    map_archive,
    map_create,
    map_delete,
    map_mark_reviewed,
    map_unarchive,
    map_update,
    review_due,
)
from .pipeline import BoardLocked, Change, map_change, replayed
from .undo import UndoRefused, change_redo, change_undo
from .workshops import (
    member_to_add,
    membership_remove,
    membership_set,
    persona_create,
    persona_delete,
    persona_update,
    workshop_create,
    workshop_delete,
    workshop_update,
)

__all__ = [
    "BoardLocked",
    "Change",
    "EditConflict",
    "UndoRefused",
    "card_create",
    "card_delete",
    "card_move",
    "card_update",
    "change_redo",
    "change_undo",
    "lane_create",
    "lane_delete",
    "lane_move",
    "lane_update",
    "map_archive",
    "map_change",
    "map_create",
    "map_delete",
    "map_mark_reviewed",
    "map_unarchive",
    "map_update",
    "member_to_add",
    "membership_remove",
    "membership_set",
    "persona_create",
    "persona_delete",
    "persona_update",
    "replayed",
    "review_due",
    "stage_create",
    "stage_delete",
    "stage_move",
    "stage_update",
    "workshop_create",
    "workshop_delete",
    "workshop_update",
]
