"""Undoing changes to evidence: the operations an evidence change's inverse names. They are
registered with the map's undo (workshops/services/undo.py) when the app is ready, so that the
map domain never imports evidence."""

from workshops.services import restore, undo
from workshops.services.pipeline import Change

from . import services
from .models import Evidence
from .serializers import evidence_data


def _restore(*, actor, map, rows: list):
    """A deletion undone: the piece comes back with its id."""
    piece = undo.put_back(map, rows, Evidence, "the evidence")[0]
    inverse = restore.inverse(
        "evidence.delete", {"evidence_id": piece.pk}, *services.undo_keys(piece)
    )
    return Change("evidence.created", {"evidence": evidence_data(piece)}, inverse)


def _put(*, actor, map, rows: list):
    """An update undone: the piece as it was, whole."""
    current = Evidence.objects.filter(map=map, pk=rows[0]["pk"]).first()
    if current is None:
        raise undo.UndoRefused("undo_conflict", "Could not undo it: the evidence has been deleted.")
    as_it_is, before = restore.rows([current]), services.where(current)
    put_back = undo.put_back(map, rows, Evidence, "the evidence")[0]
    piece = Evidence.objects.select_related("card").get(pk=put_back.pk)
    inverse = restore.inverse("evidence.put", {"rows": as_it_is}, *services.undo_keys(piece))
    return Change("evidence.updated", {"evidence": evidence_data(piece), "before": before}, inverse)


def register_evidence_operations() -> None:
    undo.register("evidence.delete", services.evidence_delete.__wrapped__)
    undo.register("evidence.restore", _restore)
    undo.register("evidence.put", _put)
