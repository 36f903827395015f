"""The background worker inside the server process, for the one-process setup.

With the in-memory channel layer only the server's own process can reach the open boards, so a
task that changes a map (an evidence import) must run there to be broadcast. The worker is
django-tasks-db's own, run in a daemon thread instead of `manage.py db_worker`, when the
server starts with TASKS_IN_PROCESS=1 (`make run` does); with Redis, the worker runs as its own
process. Off by default, so that importing the ASGI application (tests do) starts nothing.
"""

import threading

from django.conf import settings
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

POLL_SECONDS = 0.5


def start_in_process_worker() -> threading.Thread | None:
    if not settings.TASKS_IN_PROCESS:
        return None
    worker = Worker(
        queue_names=["default"],
        excluded_queue_names=[],
        interval=POLL_SECONDS,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"in-process-{get_random_string(12)}",
    )
    thread = threading.Thread(target=worker.run, name="tasks-worker", daemon=True)
    thread.start()
    return thread
