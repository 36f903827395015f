"""Several Daphne processes sharing PostgreSQL and Redis, as in production (docs/deploy.md).

These run only when the suite runs against PostgreSQL and Redis (`make test` does, through
scripts/with-services): the processes must share the test database and the channel layer.
Each test starts real Daphne processes on free ports and talks to them with a WebSocket client.
"""

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connection
from django.test import Client
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[3]
DAPHNE = str(Path(sys.executable).parent / "daphne")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL")
        or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL and Redis: run through scripts/with-services (make test does)",
    ),
]


# --- processes --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process=None, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def test_database_url() -> str:
    """The test database pytest-django made, which the Daphne processes must use too."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@contextmanager
def daphne_processes(count: int, redis_url: str):
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],  # as the suite's
        "LOG_LEVEL": "ERROR",
    }
    ports = [free_port() for _ in range(count)]
    processes = [
        subprocess.Popen(
            [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "-v", "0", "cjm.asgi:application"],
            cwd=ROOT,
            env=env,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_for_port(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class RedisServer:
    """A Redis of the test's own, so that restarting it disturbs no other test."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="cjm-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                self.dir,
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def remove(self):
        if self.process and self.process.poll() is None:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def own_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = RedisServer()
    redis.start()
    yield redis
    redis.remove()


# --- board clients ----------------------------------------------------------------------------


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


class Board:
    """One WebSocket on a map's board, as a browser tab would hold it."""

    def __init__(self, ws):
        self.ws = ws
        self.revision = None

    async def receive(self, *types, timeout=10) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                message = json.loads(await self.ws.recv())
                if message["type"] in types:
                    return message

    async def send(self, message: dict):
        await self.ws.send(json.dumps(message))


@asynccontextmanager
async def open_board(port: int, cookie: str, map_id: int):
    origin = f"http://127.0.0.1:{port}"
    async with connect(
        f"ws://127.0.0.1:{port}/ws/maps/{map_id}/",
        origin=origin,
        additional_headers={"Cookie": cookie},
        open_timeout=20,
    ) as ws:
        board = Board(ws)
        board.revision = (await board.receive("snapshot"))["revision"]
        yield board


async def everyone_seen(board: Board, names: set[str]):
    while {user["name"] for user in (await board.receive("presence"))["users"]} != names:
        pass


def card_update(card_id: int, text: str, op_id: str) -> dict:
    return {"type": "card.update", "id": op_id, "data": {"card": card_id, "text": text}}


# --- the tests --------------------------------------------------------------------------------


def test_an_edit_on_one_process_reaches_a_board_on_the_other(alice, bob, card):
    bob_cookie, alice_cookie = session_cookie(bob), session_cookie(alice)

    async def scenario(ports):
        async with (
            open_board(ports[0], bob_cookie, card.map_id) as first,
            open_board(ports[1], alice_cookie, card.map_id) as second,
        ):
            await first.send(card_update(card.pk, "Seen across processes", "two-1"))
            ack = await first.receive("ack")
            event = await second.receive("event")
            assert event["op"] == "two-1" and event["revision"] == ack["revision"]
            assert event["payload"]["card"]["text"] == "Seen across processes"
            assert event["actor"]["name"] == "Bob"

    with daphne_processes(2, os.environ["REDIS_URL"]) as ports:
        async_to_sync(scenario)(ports)


def test_people_on_the_other_process_show_in_presence(alice, bob, card):
    bob_cookie, alice_cookie = session_cookie(bob), session_cookie(alice)

    async def scenario(ports):
        async with (
            open_board(ports[0], bob_cookie, card.map_id) as first,
            open_board(ports[1], alice_cookie, card.map_id) as second,
        ):
            await everyone_seen(second, {"Alice", "Bob"})
            await everyone_seen(first, {"Alice", "Bob"})

    with daphne_processes(2, os.environ["REDIS_URL"]) as ports:
        async_to_sync(scenario)(ports)


def test_after_redis_restarts_boards_catch_up_and_nothing_acknowledged_is_lost(
    alice, bob, card, own_redis
):
    """An edit acknowledged while Redis is down reaches nobody live; the history has it, so the
    next event shows the other board a gap, and its sync (or a reconnect) brings the edit."""
    bob_cookie, alice_cookie = session_cookie(bob), session_cookie(alice)

    async def scenario(ports):
        async with (
            open_board(ports[0], bob_cookie, card.map_id) as first,
            open_board(ports[1], alice_cookie, card.map_id) as second,
        ):
            # Joined and known to each other (presence is over Redis too) before Redis goes.
            await everyone_seen(first, {"Alice", "Bob"})
            await everyone_seen(second, {"Alice", "Bob"})
            seen = second.revision
            own_redis.stop()
            await first.send(card_update(card.pk, "Written while Redis was down", "down-1"))
            during = await first.receive("ack")
            assert during["revision"] == seen + 1
            own_redis.start()

            event = await edit_until_heard(first, second, card.pk)
            assert event["revision"] > seen + 1  # a gap: the edit made during the outage
            await second.send({"type": "sync", "since": seen})
            missed = await second.receive("events")
            texts = {e["revision"]: e["payload"]["card"]["text"] for e in missed["events"]}
            assert texts[during["revision"]] == "Written while Redis was down"

        async with open_board(ports[1], alice_cookie, card.map_id) as reconnected:
            assert reconnected.revision == event["revision"]

    with daphne_processes(2, own_redis.url) as ports:
        async_to_sync(scenario)(ports)


async def edit_until_heard(sender: Board, listener: Board, card_id: int, timeout=30) -> dict:
    """Once Redis is back, each process's layer reconnects and subscribes again, within a few
    seconds; until then, events published from the other process do not reach it."""
    deadline = time.monotonic() + timeout
    attempt = 0
    while time.monotonic() < deadline:
        attempt += 1
        await sender.send(card_update(card_id, f"After the restart {attempt}", f"up-{attempt}"))
        await sender.receive("ack", "error")
        try:
            return await listener.receive("event", timeout=1)
        except TimeoutError:
            continue
    raise AssertionError("no event crossed between the processes after Redis came back")


def test_secrets_and_presence_hold_across_processes(alice, bob, carol, journey_map, stages, lanes):
    """Each process's hub gets each event once and writes each reader's own text: the author of
    a private card on one process reads it, the others on either process get `hidden`."""
    from workshops.services import voting

    voting.private_start(actor=alice, map=journey_map)
    cookies = {user: session_cookie(user) for user in (alice, bob, carol)}
    create = {
        "type": "card.create",
        "id": "secret-1",
        "data": {"stage": stages[0].pk, "lane": lanes["thoughts"].pk, "text": "SECRET idea"},
    }

    async def scenario(ports):
        async with (
            open_board(ports[0], cookies[bob], journey_map.pk) as author,
            open_board(ports[1], cookies[alice], journey_map.pk) as facilitator,
            open_board(ports[0], cookies[carol], journey_map.pk) as neighbour,
        ):
            await everyone_seen(facilitator, {"Alice", "Bob", "Carol"})
            await author.send(create)
            mine = await author.receive("event")
            assert mine["payload"]["card"]["text"] == "SECRET idea"
            for other in (facilitator, neighbour):
                theirs = await other.receive("event")
                assert theirs["revision"] == mine["revision"] and theirs["event"] == "hidden"

    with daphne_processes(2, os.environ["REDIS_URL"]) as ports:
        async_to_sync(scenario)(ports)
