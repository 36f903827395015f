"""PDFs made in the background (docs/api.md, "The PDF"): a person asks for one (export_start),
the tasks worker renders it (run_export), the person follows its state and downloads the file.

At most PDF_EXPORTS_AT_ONCE (setting, default 2) render at the same time, however many workers
run: an export that finds them all busy goes back to the queue for a few seconds
(export_claim), so the machine's memory and cores stay bounded and the worker is free for
other tasks meanwhile. An export is its maker's (a comparison shows the other map as its maker
sees it); its file goes after KEEP_FOR, or once the same person's newer export of the same map
and options is ready. One that stopped midway (its worker killed) reads as failed; files no
export holds (a deleted map's) go after KEEP_FOR too.
"""

import datetime
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, QueryDict
from django.tasks import task
from django.utils import timezone

from workshops.access import map_for, require_role
from workshops.models import Role

from .. import compare
from ..models import ExportStatus, PdfExport
from .download import with_comparison
from .options import ExportOptions, check_options, parse_options
from .render import render_with_pages

KEEP_FOR = datetime.timedelta(days=1)
STALLED_AFTER = datetime.timedelta(minutes=10)  # a render takes seconds; this one has stopped
WAIT_FOR_TURN = datetime.timedelta(seconds=2)
PRUNED_AT_ONCE = 100
EXPORTS_DIR = PdfExport._meta.get_field("file").upload_to.rstrip("/")
ACTIVE = (ExportStatus.QUEUED, ExportStatus.RENDERING)


def at_once() -> int:
    return settings.PDF_EXPORTS_AT_ONCE


def export_start(*, actor, map, query) -> PdfExport:
    """Queue a PDF of `map` with the options of `query` (export.pdf's: lanes, evidence,
    compare or compare_version), refused now if they are wrong. The same person asking again
    for the same options while theirs still waits gets that one."""
    require_role(actor, map.workshop, Role.VIEWER)
    options = parse_options(query)
    check_options(map, options)
    compare.for_export(actor, map, query)  # an unknown map or version is refused here, not later
    canonical = canonical_query(query, options)
    waiting = map.pdf_exports.filter(created_by=actor, query=canonical, status=ExportStatus.QUEUED)
    if found := waiting.first():
        return found
    with transaction.atomic():
        export = PdfExport.objects.create(map=map, created_by=actor, query=canonical)
        # The task's row commits with the export's: the worker never sees one without the other.
        run_export.enqueue(export.pk)
    return export


def canonical_query(query, options: ExportOptions) -> str:
    """The options in one spelling: lane ids sorted, evidence as 1 or 0, a comparison's id."""
    parts = {"evidence": "1" if options.include_evidence else "0"}
    if options.lane_ids is not None:
        parts["lanes"] = ",".join(str(lane) for lane in sorted(options.lane_ids))
    for name in ("compare", "compare_version"):
        if value := str(query.get(name) or "").strip():
            parts[name] = str(int(value))  # compare.for_export has checked it is a number
    return urlencode(sorted(parts.items()), safe=",")


def exports_of(map, user):
    """`user`'s exports of `map`, newest first, the stopped and the old ones settled first."""
    exports_prune()
    return map.pdf_exports.filter(created_by=user)


def export_for(map, user, export_id: int) -> PdfExport:
    try:
        return exports_of(map, user).get(pk=export_id)
    except PdfExport.DoesNotExist:
        raise Http404("No such export.") from None


def expires_at(export: PdfExport) -> datetime.datetime | None:
    return export.finished_at + KEEP_FOR if export.status == ExportStatus.DONE else None


# --- the export itself, in the worker ---------------------------------------------------------


@task()
def run_export(export_id: int) -> None:
    """The background task (cjm/worker.py's thread, or manage.py db_worker)."""
    export_run(export_id)


def export_run(export_id: int) -> None:
    export = PdfExport.objects.filter(pk=export_id).select_related("created_by").first()
    if export is None or export.status != ExportStatus.QUEUED:
        return  # its map was deleted, or it ran already (a worker picked the task up again)
    if not export_claim(export):
        run_export.using(run_after=timezone.now() + WAIT_FOR_TURN).enqueue(export.pk)
        return
    try:
        _render(export)
    except (ValidationError, PermissionDenied, Http404) as refusal:
        _finish(export, ExportStatus.FAILED, error=_words(refusal))
    except Exception:
        _finish(export, ExportStatus.FAILED, error="Something went wrong on the server. Try again.")
        raise
    finally:
        exports_prune()
        files_sweep()


def export_claim(export: PdfExport) -> bool:
    """Start rendering `export` if fewer than at_once() exports are rendering; False if it must
    wait. The active exports are locked while they are counted, so two workers claiming at once
    cannot both take the last place (SQLite's transactions take the write lock at their start)."""
    now = timezone.now()
    with transaction.atomic():
        active = PdfExport.objects.select_for_update().filter(status__in=ACTIVE).order_by("pk")
        rendering = [
            started
            for status, started in active.values_list("status", "started_at")
            if status == ExportStatus.RENDERING and started and started > now - STALLED_AFTER
        ]
        if len(rendering) >= at_once():
            return False
        queued = PdfExport.objects.filter(pk=export.pk, status=ExportStatus.QUEUED)
        if queued.update(status=ExportStatus.RENDERING, started_at=now) != 1:
            return False  # another worker took it meanwhile
    export.status, export.started_at = ExportStatus.RENDERING, now
    return True


def _render(export: PdfExport) -> None:
    # As its maker may see the map now: one who has left the workshop gets no PDF of it.
    journey_map = map_for(export.created_by, export.map_id)
    query = QueryDict(export.query)
    options = with_comparison(export.created_by, journey_map, query, parse_options(query))
    data, pages = render_with_pages(journey_map, options)
    export.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
    _finish(export, ExportStatus.DONE, file=export.file.name, pages=pages, size=len(data))
    superseded = PdfExport.objects.filter(
        map=export.map_id, created_by=export.created_by, query=export.query
    )
    for older in superseded.filter(status=ExportStatus.DONE, pk__lt=export.pk):
        _expire(older)


def _finish(export: PdfExport, status: str, **changes) -> None:
    changes |= {"status": status, "finished_at": timezone.now()}
    for name, value in changes.items():
        setattr(export, name, value)
    PdfExport.objects.filter(pk=export.pk).update(**changes)


def _expire(export: PdfExport) -> None:
    export.file.delete(save=False)
    PdfExport.objects.filter(pk=export.pk).update(status=ExportStatus.EXPIRED, file="")


def exports_prune() -> None:
    """Old files deleted; exports whose worker stopped midway failed (they hold no place)."""
    now = timezone.now()
    done = PdfExport.objects.filter(status=ExportStatus.DONE, finished_at__lt=now - KEEP_FOR)
    for old in done[:PRUNED_AT_ONCE]:
        _expire(old)
    PdfExport.objects.filter(
        status=ExportStatus.RENDERING, started_at__lt=now - STALLED_AFTER
    ).update(
        status=ExportStatus.FAILED,
        finished_at=now,
        error="The export stopped midway (the background worker was stopped). Export again.",
    )


def files_sweep() -> None:
    """Files older than KEEP_FOR that no export holds: those of deleted maps (their exports went
    with them), or of a worker stopped between writing the file and noting it."""
    try:
        _, names = default_storage.listdir(EXPORTS_DIR)
    except FileNotFoundError:
        return  # no export was ever written
    held = set(PdfExport.objects.exclude(file="").values_list("file", flat=True))
    old = timezone.now() - KEEP_FOR
    for name in names[:PRUNED_AT_ONCE]:
        path = f"{EXPORTS_DIR}/{name}"
        if path not in held and default_storage.get_modified_time(path) < old:
            default_storage.delete(path)


def _words(refusal: Exception) -> str:
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return "You may no longer export this map."
