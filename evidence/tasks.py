"""Evidence's background work, run by the tasks worker (cjm/worker.py, or manage.py db_worker)."""

from django.tasks import task

from . import imports


@task()
def run_import(import_id: int) -> None:
    imports.import_run(import_id)
