"""Every write to evidence. Each one goes through the map_change pipeline, like every other
change to a map: editors only, one revision and one history event per change, broadcast to the
open boards once the transaction commits."""

import datetime
import functools

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from workshops.access import require_role
from workshops.models import Card, JourneyMap, Role, Stage
from workshops.services import restore
from workshops.services.checks import object_id, refuse
from workshops.services.pipeline import Change, map_change, record

from . import coverage, fields, images, masking
from .models import Evidence, Kind
from .serializers import evidence_data

STALE_AFTER_RANGE = range(1, 3651)  # a day to ten years


def _place(map, stage_id, card_id) -> dict:
    """Where a piece goes: a stage, or a card (and so the card's stage)."""
    if card_id is not None:
        # Not on a private card, even its author's: evidence events would show it to everyone.
        card = Card.objects.visible_to(None).filter(map=map, pk=object_id("card", card_id)).first()
        if card is None:
            refuse("card", f"No card {card_id} on this map.")
        if stage_id is not None and stage_id != card.stage_id:
            refuse("stage", "The card is on another stage; give the card alone.")
        return {"stage": None, "card": card}
    if stage_id is None:
        refuse("stage", "Attach evidence to a stage or a card.")
    stage = Stage.objects.filter(map=map, pk=object_id("stage", stage_id)).first()
    if stage is None:
        refuse("stage", f"No stage {stage_id} on this map.")
    return {"stage": stage, "card": None}


def _fetch(map, evidence_id) -> Evidence:
    evidence = (
        Evidence.objects.select_related("added_by", "card")
        .filter(map=map, pk=object_id("evidence", evidence_id))
        .first()
    )
    if evidence is None:
        refuse("evidence", f"No evidence {evidence_id} on this map.")
    return evidence


def evidence_attach(
    *,
    actor,
    map,
    kind: str,
    stage_id: int | None = None,
    card_id: int | None = None,
    image=None,
    op_id: str = "",
    **values,
):
    """Attach a piece of evidence; `image` is the uploaded file of an image piece."""
    if kind not in Kind.values:
        refuse("kind", f"Unknown kind {kind!r}; choose one of {', '.join(Kind.values)}.")
    if kind != Kind.IMAGE:
        if image is not None:
            refuse("image", "Only image evidence has a file.")
        return _attach(
            actor=actor,
            map=map,
            op_id=op_id,
            kind=kind,
            stage_id=stage_id,
            card_id=card_id,
            picture=None,
            values=values,
        )
    # Decoding a picture is slow: check the role first, and decode before taking the map's lock.
    require_role(actor, map.workshop, Role.EDITOR)
    picture = images.store(images.prepare(image))
    try:
        event = _attach(
            actor=actor,
            map=map,
            op_id=op_id,
            kind=kind,
            stage_id=stage_id,
            card_id=card_id,
            picture=picture,
            values=values,
        )
    except BaseException:
        images.discard(picture)  # nothing was stored, so neither is the file
        raise
    if not Evidence.objects.filter(image=picture.image).exists():
        images.discard(picture)  # a resent request, answered with the first one's piece
    return event


@map_change()
def _attach(*, actor, map, kind, stage_id, card_id, picture, values):
    evidence = Evidence(
        map=map,
        kind=kind,
        added_by=actor,
        **_place(map, stage_id, card_id),
        **fields.clean(kind, values, current={}, mask=masking.is_on(map)),
    )
    if picture is not None:
        evidence.image.name, evidence.thumbnail.name = picture.image, picture.thumbnail
        evidence.width, evidence.height = picture.width, picture.height
    evidence.save()
    undo = restore.inverse("evidence.delete", {"evidence_id": evidence.pk}, *undo_keys(evidence))
    return Change("evidence.created", {"evidence": evidence_data(evidence)}, undo)


def undo_keys(evidence: Evidence) -> tuple[list[str], list[str]]:
    """For undo (workshops/services/restore.py): the piece, and the stage or card it is on."""
    parent = f"card:{evidence.card_id}" if evidence.card_id else f"stage:{evidence.stage_id}"
    return [f"evidence:{evidence.pk}"], [parent]


@map_change()
def evidence_update(*, actor, map, evidence_id: int, **changes):
    evidence = _fetch(map, evidence_id)
    # Where it was and when collected, so that boards move its count without refetching.
    before = where(evidence)
    as_it_was = restore.rows([evidence])
    place = {key: changes.pop(key) for key in ("stage_id", "card_id") if key in changes}
    if place:
        # A new place replaces the old one whole: stage alone moves a card's piece to a stage.
        for key, value in _place(map, place.get("stage_id"), place.get("card_id")).items():
            setattr(evidence, key, value)
    current = {field: getattr(evidence, field) for field in fields.FIELDS[evidence.kind]}
    cleaned = fields.clean(evidence.kind, changes, current=current, mask=masking.is_on(map))
    for field, value in cleaned.items():
        setattr(evidence, field, value)
    evidence.save()
    undo = restore.inverse("evidence.put", {"rows": as_it_was}, *undo_keys(evidence))
    return Change("evidence.updated", {"evidence": evidence_data(evidence), "before": before}, undo)


def where(evidence: Evidence) -> dict:
    return {
        "stage": evidence.effective_stage_id,
        "card": evidence.card_id,
        "collected_on": evidence.collected_on and evidence.collected_on.isoformat(),
    }


@map_change()
def evidence_delete(*, actor, map, evidence_id: int):
    evidence = _fetch(map, evidence_id)
    payload = {"evidence": evidence_data(evidence)}
    files = [f for f in (evidence.image, evidence.thumbnail) if f]
    undo = _undo_delete(evidence, files)
    evidence.delete()
    for file in files:
        # Only once the row is surely gone: a rolled-back delete keeps its picture.
        transaction.on_commit(functools.partial(file.storage.delete, file.name))
    return Change("evidence.deleted", payload, undo)


def _undo_delete(evidence: Evidence, files) -> dict:
    # A deleted picture is deleted for good: a screenshot or heatmap may show personal data,
    # and deleting it must mean that. So its deletion cannot be undone (docs/realtime.md).
    if files:
        return restore.tracked(
            *undo_keys(evidence), why="A deleted picture cannot be brought back."
        )
    return restore.inverse(
        "evidence.restore", {"rows": restore.rows([evidence])}, *undo_keys(evidence)
    )


@map_change(Role.FACILITATOR)
def evidence_stale_age_set(*, actor, map, days: int):
    """Set the age (in days, by collected_on) after which the board flags evidence as stale."""
    if isinstance(days, bool) or not isinstance(days, int) or days not in STALE_AFTER_RANGE:
        refuse(
            "stale_after_days",
            f"Give a whole number of days from {STALE_AFTER_RANGE[0]} to {STALE_AFTER_RANGE[-1]}.",
        )
    map.controls["stale_after_days"] = days
    map.save(update_fields=["controls"])
    # The stale counts change with the age: the event carries them, as of this revision.
    board = type(map).objects.with_board().get(pk=map.pk)
    payload = {"stale_after_days": days, "evidence": coverage.board_evidence(board)}
    return Change("evidence.stale_age_set", payload)


@map_change(Role.FACILITATOR)
def evidence_masking_set(*, actor, map, on: bool):
    """Turn the masking of e-mail addresses, phone numbers and IP addresses in the map's
    evidence text on or off (masking.py). It applies to what is stored from now on: text
    stored while it was off keeps what it held. A map change, so the history says who did."""
    if not isinstance(on, bool):
        refuse(masking.CONTROL, "Give true (mask personal data in text) or false.")
    map.controls[masking.CONTROL] = on
    map.save(update_fields=["controls"])
    return Change("evidence.masking_set", {masking.CONTROL: on})


def evidence_prune_stale(*, map, collected_before: datetime.date) -> int:
    """Delete the map's evidence collected before the date (a piece without a date: added
    before it), for the retention of personal data (privacy/retention.py); how many went.

    The scheduled task has no role on any map, so this is not wrapped in map_change, but it is
    a change of the map like the others: the map locked, one revision, one history event
    (`evidence.pruned`, by nobody), and the board told once it commits. It cannot be undone:
    kept data would not be gone."""
    with transaction.atomic():
        locked = JourneyMap.objects.select_for_update(no_key=True).get(pk=map.pk)
        pieces = list(
            evidence_collected_before(collected_before, map=locked).select_related("card")
        )
        if not pieces:
            return 0
        per_stage: dict[int, int] = {}
        for piece in pieces:
            per_stage[piece.effective_stage_id] = per_stage.get(piece.effective_stage_id, 0) + 1
        files = [file for piece in pieces for file in (piece.image, piece.thumbnail) if file]
        Evidence.objects.filter(pk__in=[piece.pk for piece in pieces]).delete()
        for file in files:
            transaction.on_commit(functools.partial(file.storage.delete, file.name))
        board = JourneyMap.objects.with_board().get(pk=locked.pk)
        payload = {
            "count": len(pieces),
            "collected_before": collected_before.isoformat(),
            "stages": per_stage,
            "evidence": coverage.board_evidence(board),
        }
        keys = [f"evidence:{piece.pk}" for piece in pieces]
        undo = restore.tracked(keys, why="Evidence pruned for its age cannot be brought back.")
        record(locked, actor=AnonymousUser(), change=Change("evidence.pruned", payload, undo))
    return len(pieces)


def evidence_collected_before(collected_before: datetime.date, *, map=None):
    """Evidence collected before the date (without a date: added before it), of one map or all."""
    added_before = timezone.make_aware(datetime.datetime.combine(collected_before, datetime.time()))
    pieces = Evidence.objects.all() if map is None else Evidence.objects.filter(map=map)
    return pieces.filter(
        Q(collected_on__lt=collected_before) | Q(collected_on=None, created_at__lt=added_before)
    )
