"""What it takes to reverse a change, and bringing deleted things back as they were.

A change that can be undone stores an inverse (MapEvent.inverse, never sent to clients):

    {"op": "card.update", "args": {...}, "keys": ["card:31:text"], "in": ["stage:11"]}

`op` and `args` name the operation that reverses it (undo.OPS). `keys` name what the change
touched, an object ("card:31", "stage:11", "evidence:7") or one of its fields ("card:31:text",
"card:31:place", "map:title"); `in` names the containers it put something into. undo.py
compares them with the keys of later changes by others before it undoes anything.

Deleted things are kept as rows in Django's serialization format, so that they come back with
the same primary keys and every reference to them (evidence, votes, history) stays valid.
"""

import json

from django.core import serializers
from django.db import router
from django.db.models.deletion import Collector


def inverse(op: str, args: dict, keys, within=()) -> dict:
    return {"op": op, "args": args, "keys": list(keys), "in": list(within)}


def tracked(keys, within=(), why: str = "") -> dict:
    """A change that cannot be undone, but whose keys still guard others' undo."""
    return {"keys": list(keys), "in": list(within), "why": why}


def card_keys(card) -> tuple[list[str], list[str]]:
    return [f"card:{card.pk}"], [f"stage:{card.stage_id}", f"lane:{card.lane_id}"]


# --- rows -----------------------------------------------------------------------------------


def rows(objects) -> list[dict]:
    """Objects as JSON-safe rows, in order (a card before its evidence before its votes)."""
    return json.loads(serializers.serialize("json", objects))


def put_rows(data: list[dict]) -> list:
    """Save rows as they were, same primary keys; skip a row whose parent has gone since (a
    vote of a round closed and deleted, a picture whose file was pruned)."""
    saved = []
    for item in serializers.deserialize("python", data):
        if _file_gone(item.object) or not _parents_exist(item.object):
            continue
        item.save()
        saved.append(item.object)
    return saved


def _parents_exist(obj) -> bool:
    """Foreign keys are checked only at commit, too late to skip a row: look first. A person
    who has left becomes nobody (as their deletion would have done); a card without its stage
    cannot come back."""
    for field in obj._meta.concrete_fields:
        target = getattr(obj, field.attname) if field.is_relation else None
        if target is None or field.related_model._default_manager.filter(pk=target).exists():
            continue
        if not field.null:
            return False
        setattr(obj, field.attname, None)
    return True


def _file_gone(obj) -> bool:
    image = getattr(obj, "image", None)
    return bool(image) and not image.storage.exists(image.name)


def family(obj) -> list:
    """The object and everything the database's cascade takes with it (a stage's cards, their
    evidence and dots, whatever an app hangs on them): what undoing its deletion must bring
    back, parents first, each model's rows by primary key, so that they can be saved in order.
    Asking Django's deletion collector keeps this module ignorant of the apps above it."""
    collector = _CollectRows(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    return [
        row
        for model in _parents_first(list(collector.data))
        for row in sorted(collector.data[model], key=lambda row: row.pk)
    ]


class _CollectRows(Collector):
    def can_fast_delete(self, *args, **kwargs):
        return False  # we want the rows themselves, not a DELETE query for them


def _parents_first(models: list) -> list:
    """Each model after the collected models it refers to, nullable references included (the
    deletion order ignores those, and a piece of evidence saved before its card would lose it)."""
    ordered, pending = [], list(models)
    while pending:
        ready = next((m for m in pending if not _refers_to(m, set(pending) - {m})), pending[0])
        ordered.append(ready)
        pending.remove(ready)
    return ordered


def _refers_to(model, others: set) -> bool:
    return any(
        field.related_model in others for field in model._meta.concrete_fields if field.is_relation
    )


# What comes back with a restored stage, lane or card, as the boards' payload names it:
# {model label: (payload key, serializer of many)}. Apps above this one register theirs
# (evidence/apps.py), so that a board re-draws all that came back.
BROUGHT_BACK = {}


def register_brought_back(model_label: str, key: str, serialize) -> None:
    BROUGHT_BACK[model_label] = (key, serialize)


def brought_back(saved: list) -> dict:
    """{payload key: the rows of that kind that came back}, for each registered kind."""
    return {
        key: serialize([row for row in saved if row._meta.label == label])
        for label, (key, serialize) in BROUGHT_BACK.items()
    }


def family_keys(objects) -> list[str]:
    """The undo keys of what a family holds: its stages, lanes, cards and pieces of evidence."""
    names = {"card", "evidence", "stage", "lane"}
    return [f"{o._meta.model_name}:{o.pk}" for o in objects if o._meta.model_name in names]
