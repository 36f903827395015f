"""Importing evidence from a file, as a person does it: look at what the file is (preview), check
what its rows would become (a dry run), then import it, in the background.

The preview and the dry run read the file in the request and store nothing. An import is an
EvidenceImport, run by the tasks worker (`run_import`): it counts the rows, checks them all (its
progress visible as it goes, the pieces that pass kept in a scratch file), then writes those
in one short transaction, as ONE change of the map (`evidence.imported`), so every open board
refetches once and the history shows one change. A failed import leaves nothing behind. The
file goes once the import is over.
"""

import datetime
import pickle
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.tasks import task
from django.utils import timezone

from workshops.access import require_role
from workshops.models import Role, Stage
from workshops.services.checks import refuse
from workshops.services.pipeline import Change, map_change

from . import importing, masking
from .bulk import insert_pieces
from .models import EvidenceImport, ImportStatus

ERRORS_LISTED = 200
SILENT_FOR = datetime.timedelta(minutes=10)  # a running import quiet this long has stopped
PROGRESS_EVERY = 5000  # rows between two progress notes of a running import
SPOOL_BATCH = 2000
MAX_BYTES = importing.MAX_BYTES


def import_preview(*, actor, map, data: bytes, kind: str | None = None) -> dict:
    """What the file is, its first rows (masked as they would be stored) and the proposed
    mapping; and `masking`: whether the map masks personal data, and whether this person may
    change that (a facilitator). Nothing is stored."""
    role = require_role(actor, map.workshop, Role.EDITOR)
    found = importing.preview(data, kind=kind, mask=masking.is_on(map))
    found["masking"] = {"on": masking.is_on(map), "can_change": role == Role.FACILITATOR}
    return found


def import_check(
    *, actor, map, data: bytes, mapping, stage_id=None, stage_column=None, kind=None
) -> dict:
    """The report of an import that is not made: how many pieces would go in, which rows fail
    and why (by their row number in the file)."""
    require_role(actor, map.workshop, Role.EDITOR)
    outcomes = _outcomes(map, data, mapping, stage_id, stage_column, kind)
    report = Tally(_kind(mapping, kind), rows=importing.count_rows(data))
    for outcome in outcomes:
        report.add(outcome)
    report.personal = outcomes.personal()
    return report.as_report()


def import_start(
    *,
    actor,
    map,
    data: bytes,
    file_name: str,
    mapping,
    stage_id=None,
    stage_column=None,
    kind=None,
    op_id: str = "",
) -> EvidenceImport:
    """Queue the import of a file whose mapping and stage choice hold. A resent op_id answers
    with the import it started the first time."""
    require_role(actor, map.workshop, Role.EDITOR)
    if op_id and (started := map.imports.filter(created_by=actor, op_id=op_id).first()):
        return started
    _outcomes(map, data, mapping, stage_id, stage_column, kind)  # refuses a bad mapping now
    with transaction.atomic():
        started = EvidenceImport.objects.create(
            map=map,
            created_by=actor,
            file_name=file_name[:200],
            mapping=mapping,
            kind=kind or "",
            stage_id=stage_id,
            stage_column=stage_column or "",
            op_id=op_id,
            file=ContentFile(data, name="import"),
        )
        # The task's row commits with the import's: the worker cannot pick up one without the other.
        run_import.enqueue(started.pk)
    return started


def _kind(mapping, kind) -> str:
    """The kind a mapping imports: its own, or for a flat {column: field} mapping the one given."""
    own = mapping.get("kind") if isinstance(mapping, dict) and "shape" in mapping else None
    return own or kind or ""


def _outcomes(map, data, mapping, stage_id, stage_column, kind):
    stages = list(map.stages.values_list("pk", "title"))
    return importing.check(
        data,
        mapping,
        stages=stages,
        stage_id=stage_id,
        stage_column=stage_column or None,
        kind=kind or None,
        mask=masking.is_on(map),
    )


def imports_of(map):
    """The map's imports, newest first; one that stopped midway (its worker killed) fails."""
    silent = timezone.now() - SILENT_FOR
    running = [ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.WRITING]
    for stopped in map.imports.filter(status__in=running[1:], noted_at__lt=silent):
        stopped.file.delete(save=False)
        _fail(
            stopped,
            "The import stopped midway (the background worker was stopped); nothing "
            "was imported. Import the file again.",
        )
    return map.imports.select_related("created_by")


# --- the import itself, in the worker --------------------------------------------------------


@task()
def run_import(import_id: int) -> None:
    """The background task (run by cjm/worker.py's thread, or manage.py db_worker)."""
    import_run(import_id)


def import_run(import_id: int) -> None:
    started = EvidenceImport.objects.select_related("map__workshop", "created_by").get(pk=import_id)
    if started.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return  # run once already (a worker picked the task up again)
    try:
        _run(started)
    except (ValidationError, PermissionDenied, Http404) as refusal:
        _fail(started, _words(refusal))
    except Exception:
        _fail(started, "Something went wrong on the server; nothing was imported. Try again.")
        raise
    finally:
        started.file.delete(save=False)  # what it held is in the map now, or refused
        EvidenceImport.objects.filter(pk=started.pk).update(file="")


def _run(started: EvidenceImport) -> None:
    with started.file.open("rb") as handle:
        data = handle.read()
    rows = importing.count_rows(data)
    _note(started, status=ImportStatus.CHECKING, rows_total=rows)
    if started.stage_id is None and not started.stage_column:
        refuse("stage", "The stage chosen for every row has been deleted; import the file again.")
    tally = Tally(_kind(started.mapping, started.kind), rows=rows)
    with tempfile.TemporaryFile() as spool:
        _check_into(started, data, tally, spool)
        _note(started, status=ImportStatus.WRITING, rows_checked=tally.rows_seen)
        spool.seek(0)
        with transaction.atomic():
            per_stage = insert_pieces(
                map=started.map, actor=started.created_by, kind=tally.kind, pieces=_unspooled(spool)
            )
            event = _imported(
                actor=started.created_by,
                map=started.map,
                op_id=f"import-{started.pk}",
                kind=tally.kind,
                per_stage=per_stage,
            )
            report = {
                **tally.as_report(),
                "imported": event.payload["count"],
                "revision": event.revision,
            }
            _note(started, status=ImportStatus.DONE, report=report, finished_at=timezone.now())


def _check_into(started: EvidenceImport, data: bytes, tally, spool) -> None:
    """Check every row, noting progress, and keep the pieces that pass in `spool`: the writing
    then takes no more than the inserts, and the map's writes wait that long at most."""
    batch = []
    outcomes = _stored_outcomes(started, data)
    tally.personal = outcomes.personal()
    for outcome in outcomes:
        tally.add(outcome)
        if isinstance(outcome, importing.Piece):
            batch.append((outcome.stage_id, outcome.values))
        if len(batch) == SPOOL_BATCH:
            pickle.dump(batch, spool)
            batch = []
        if tally.rows_seen % PROGRESS_EVERY == 0 and tally.row_is_new:
            _note(started, rows_checked=tally.rows_seen)
    pickle.dump(batch, spool)


def _unspooled(spool):
    """The pieces _check_into kept, batch by batch (our own data, written by this process)."""
    while True:
        try:
            yield from pickle.load(spool)
        except EOFError:
            return


def _stored_outcomes(started: EvidenceImport, data: bytes):
    return _outcomes(
        started.map, data, started.mapping, started.stage_id, started.stage_column, started.kind
    )


@map_change()
def _imported(*, actor, map, kind: str, per_stage: dict):
    # A stage deleted while the rows went in would have taken them with it at commit; the
    # database's foreign keys refuse that, and the whole import rolls back.
    alive = set(Stage.objects.filter(map=map, pk__in=per_stage).values_list("pk", flat=True))
    if alive != set(per_stage):
        refuse("stage", "A stage was deleted during the import; import the file again.")
    # One event for the whole file: boards refetch the evidence instead of taking 10,000 events.
    count = sum(per_stage.values())
    return Change("evidence.imported", {"kind": kind, "count": count, "stages": per_stage})


def _note(started: EvidenceImport, **changes) -> None:
    changes["noted_at"] = timezone.now()
    for name, value in changes.items():
        setattr(started, name, value)
    EvidenceImport.objects.filter(pk=started.pk).update(**changes)


def _fail(started: EvidenceImport, message: str) -> None:
    _note(
        started,
        status=ImportStatus.FAILED,
        error=message,
        finished_at=timezone.now(),
        file=started.file.name or "",
    )


def _words(refusal: Exception) -> str:
    if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict"):
        return " ".join(
            f"{field}: {' '.join(messages)}"
            if field not in ("file", "__all__")
            else " ".join(messages)
            for field, messages in refusal.message_dict.items()
        )
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return str(refusal) or "You may no longer change this map."


class Tally:
    """The report of an import, counted as the rows go by."""

    def __init__(self, kind: str, *, rows: int):
        self.kind, self.rows = kind, rows
        self.valid, self.rows_seen, self.row_is_new = 0, 0, False
        self.failed_rows: set[int] = set()
        self.errors: list[dict] = []
        self.personal: list[str] = []  # what is kept of personal columns mapped on purpose
        self._last_row = None

    def add(self, outcome) -> None:
        self.row_is_new = outcome.row != self._last_row
        if self.row_is_new:
            self.rows_seen += 1
            self._last_row = outcome.row
        if isinstance(outcome, importing.Piece):
            self.kind = outcome.kind
            self.valid += 1
            return
        if outcome.row not in self.failed_rows and len(self.errors) < ERRORS_LISTED:
            self.errors.append({"row": outcome.row, "errors": outcome.errors})
        self.failed_rows.add(outcome.row)

    def as_report(self) -> dict:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "valid": self.valid,
            "failed": len(self.failed_rows),
            "errors": self.errors,
            "imported": 0,
            "personal": self.personal,
        }
