"""A live board for Chromium to drive: Daphne in a subprocess (pytest-django's live_server is
WSGI and cannot serve WebSockets) on a free port, against a temporary SQLite file that this
process shares, so that tests build data through the services and check what the board saved.

Sync Playwright keeps an event loop running in the test thread, where Django refuses ORM calls
and async_to_sync; so every ORM call here runs in one worker thread, through `orm(...)`.
"""

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from workshops import services
from workshops.models import Role

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

expect.set_options(timeout=10_000)
_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="orm")


def orm(fn, *args, **kwargs):
    return _worker.submit(fn, *args, **kwargs).result()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Daphne:
    """One Daphne process serving the project; stop() and start() again on the same port."""

    def __init__(self, db_path: Path, log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{db_path}",
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "cjm.settings",
            "TASKS_IN_PROCESS": "1",  # evidence imports run in the server's worker thread
        }
        self.env.pop("REDIS_URL", None)
        self.log_path = log_path
        self.process = None

    def start(self):
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cjm.serve",  # Daphne, as make run starts it
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "cjm.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Daphne exited at start:\n{self.log_path.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"Daphne did not listen within 20 s:\n{self.log_path.read_text()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def server(tmp_path_factory, django_db_blocker):
    folder = tmp_path_factory.mktemp("board")
    db_path = folder / "board.sqlite3"
    # The same dict Django's connections read, changed before any connection is made.
    settings.DATABASES["default"]["NAME"] = str(db_path)
    with django_db_blocker.unblock():
        orm(call_command, "migrate", verbosity=0)
        daphne = Daphne(db_path, folder / "daphne.log")
        daphne.start()
        try:
            yield daphne
        finally:
            daphne.stop()


def _cast():
    from django.contrib.auth.models import User

    alice = User.objects.create_user("alice", password="password", first_name="Alice")
    bob = User.objects.create_user("bob", password="password", first_name="Bob")
    carol = User.objects.create_user("carol", password="password", first_name="Carol")
    workshop = services.workshop_create(actor=alice, name="Retail journeys")
    services.membership_set(actor=alice, workshop=workshop, user=bob, role=Role.EDITOR)
    services.membership_set(actor=alice, workshop=workshop, user=carol, role=Role.VIEWER)
    return {"alice": alice, "bob": bob, "carol": carol, "workshop": workshop}


@pytest.fixture(scope="session")
def cast(server):
    return orm(_cast)


@pytest.fixture
def journey_map(cast):
    """A fresh B2C map for each test: seven stages, the eight default lanes, no cards."""
    return orm(
        services.map_create,
        actor=cast["alice"],
        workshop=cast["workshop"],
        title="Online shopping",
        template="b2c",
    )


def session_key(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def board_page(browser, server, cast):
    """open(username, map) -> a page on that map's board, logged in as that user and live;
    route_socket, if given, stands between the page and the server (Playwright's WebSocketRoute)."""
    contexts = []

    def open_board(username, journey_map, route_socket=None):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        if route_socket:
            context.route_web_socket("**/ws/maps/**", route_socket)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": orm(session_key, cast[username]),
                    "url": server.url,
                }
            ]
        )
        page = context.new_page()
        page.goto(f"{server.url}/maps/{journey_map.pk}/")
        expect(page.locator("#conn-status")).to_have_text("Live")
        return page

    yield open_board
    for context in contexts:
        context.close()
