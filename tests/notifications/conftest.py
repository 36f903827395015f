"""Real parts for the notification tests: an HTTP receiver on a free local port (http.server in a
thread) that records what it is sent and answers as told, an SMTP server (aiosmtpd) that keeps
what it receives, and a way to move the task queue's clock instead of sleeping."""

import http.server
import socket
import threading
from collections import deque
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.db.models import F
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

WAIT_SECONDS = 10  # the most any test waits for a condition; met at once when all is well


class Received:
    def __init__(self, path: str, headers: dict, body: bytes):
        self.path, self.headers, self.body = path, headers, body


class Receiver:
    """A webhook receiver: each POST is recorded, then answered with the next status told
    (200 once they run out); `hold()` makes it keep the sender waiting until the test ends."""

    def __init__(self):
        self.received: list[Received] = []
        self.statuses: deque[int] = deque()
        self.redirect_to = ""
        self.holding = threading.Event()
        self.released = threading.Event()
        self._arrived = threading.Condition()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/hooks/cjm") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, *statuses: int) -> None:
        self.statuses.extend(statuses)

    def hold(self) -> None:
        self.holding.set()

    def wait_for(self, count: int) -> list[Received]:
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.received) >= count, timeout=WAIT_SECONDS)
        return list(self.received)

    def _record(self, received: Received) -> int:
        with self._arrived:
            self.received.append(received)
            self._arrived.notify_all()
        return self.statuses.popleft() if self.statuses else 200

    def _handler(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver._record(Received(self.path, dict(self.headers), body))
                if receiver.holding.is_set():
                    receiver.released.wait(WAIT_SECONDS)
                    return
                self.send_response(status)
                if receiver.redirect_to:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 400 else b"receiver says no")

            def log_message(self, *args):
                pass  # quiet tests

        return Handler


@pytest.fixture
def receiver():
    found = Receiver()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    yield found
    found.released.set()
    found.server.shutdown()
    found.server.server_close()
    thread.join(WAIT_SECONDS)


@pytest.fixture
def allow_private(settings):
    """The receiver is on 127.0.0.1, which only an install on a LAN (and a test) may reach."""
    settings.WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def run_tasks_later(run_tasks):
    """Move the task queue's clock `by` forward (the tasks waiting to run after a moment come
    that much nearer), then run the worker: a retry an hour away runs without waiting an hour."""

    def run(by: timedelta):
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        # Tasks queued to run at once carry the far-future sentinel: leave them as they are.
        waiting.exclude(run_after=get_date_max()).update(run_after=F("run_after") - by)
        run_tasks()

    return run


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port, and the settings that send mail to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": WAIT_SECONDS},
        }
    }
    yield inbox
    controller.stop()
