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

from django.apps import apps
from django.core import serializers


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


def evidence_model():
    return apps.get_model("evidence", "Evidence")


def card_family(cards) -> list:
    """Cards with their evidence and dots: all that goes when they go."""
    cards = list(cards)
    evidence = evidence_model().objects.filter(card__in=cards).order_by("pk")
    votes = apps.get_model("workshops", "Vote").objects.filter(card__in=cards).order_by("pk")
    return [*cards, *evidence, *votes]


def axis_family(obj) -> list:
    """A stage or lane with its cards (and theirs), and a stage's own evidence."""
    own = list(obj.evidence.order_by("pk")) if hasattr(obj, "evidence") else []
    return [obj, *own, *card_family(obj.cards.order_by("pk"))]


def family_keys(objects) -> list[str]:
    names = {"card": "card", "evidence": "evidence", "stage": "stage", "lane": "lane"}
    return [f"{names[o._meta.model_name]}:{o.pk}" for o in objects
            if o._meta.model_name in names]
