"""A live-board client for tests, kept as a browser keeps its board: its Board
(tests/convergence_board.py: store.js and voting-data.js), board.js (events strictly in
revision order, a gap or a reconnect answered by `sync`, a board too large for a frame fetched
over HTTP) and socket.js (every operation kept until answered, sent again after a reconnect, and
after `retry_after` when rate limited). It talks through the whole ASGI stack
(`cjm.asgi.application`) with Channels' WebsocketCommunicator, as tests/live.py does.

tests/workshops/realtime/test_convergence.py drives several of these on one board with faults
and checks that each ends with the board the server has.
"""

import asyncio
import itertools
import json
import time

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from cjm.asgi import application
from tests.convergence_board import Board

REPLY_TIMEOUT = 15  # seconds: a generous bound on one answer, never a wait in itself
PING_SECONDS = 8  # as socket.js pings every 10 s, within the server's 30 s of silence

# Errors that tell of a bug (or of a client that speaks the protocol wrongly), whatever was sent.
NEVER = {"server_error", "bad_message", "unknown_type", "not_found", "unavailable", "too_large"}


class LiveClient:
    """One browser tab on a board: its socket, its board, its operations awaiting an answer."""

    def __init__(self, name: str, user, headers, map_id: int, http, rng, drop_rate=0.0):
        self.name, self.user, self.headers, self.map_id = name, user, headers, map_id
        self.http, self.rng, self.drop_rate = http, rng, drop_rate
        self.board: Board | None = None
        self.ahead: dict[int, dict] = {}  # events received out of order, by revision
        self.syncing = False
        self.sync_since = None  # what the next part of a `sync` answer must start from
        self.communicator = self.reader = None
        self.connected = False
        self.epoch = 0  # connections so far: a retry planned on one is not for the next
        self.tasks: set[asyncio.Task] = set()
        self.counter = itertools.count(1)
        self.sent: dict[str, dict] = {}  # every operation made, by id
        self.unanswered: dict[str, dict] = {}  # id -> operation, in the order they were made
        self.replies: dict[
            str, dict
        ] = {}  # id -> the first answer (ack, or error but rate_limited)
        self.expected: dict[str, dict] = {}  # id -> the answer a resend must get again
        self.mismatches: list[str] = []  # resends answered otherwise than the first time
        self.own_events: dict[str, int] = {}  # op id -> revision of the event it made, as seen
        self.dropped_up_to = 0  # the newest revision of a live frame this client let fall
        self.failures: list[str] = []
        self.progress = asyncio.Event()
        self.last_sent = time.monotonic()
        self.stats = dict.fromkeys(
            ("connects", "snapshots", "syncs", "parts", "fetches", "drops", "rate_limited"), 0
        ) | {"closed by the server": 0}

    # --- the connection

    async def connect(self, mode: str) -> None:
        """Open a socket. `mode` is what the tab does with the board it holds: "fresh" drops it
        and takes the snapshot; "browser" (board.js) asks `sync` and takes the snapshot when its
        revision differs; "catch_up" keeps its board and catches up by `sync` alone."""
        assert not self.connected
        if mode == "fresh" or self.board is None:
            self.board, self.ahead = None, {}
        self.mode, self.syncing, self.sync_since = mode, False, None
        self.first_snapshot = True
        communicator = WebsocketCommunicator(
            application, f"/ws/maps/{self.map_id}/", headers=self.headers
        )
        connected, code = await communicator.connect(timeout=REPLY_TIMEOUT)
        assert connected, f"{self.name}: handshake refused ({code})"
        self.communicator, self.connected = communicator, True
        self.epoch += 1
        self.stats["connects"] += 1
        self.reader = asyncio.create_task(self.read(communicator))
        self.pinger = asyncio.create_task(self.keep_alive(self.epoch))
        if mode != "fresh" and self.board is not None:
            await self.request_sync()
        for message in list(self.unanswered.values()):  # socket.js: what was not answered
            await self.send(message)

    async def disconnect(self) -> None:
        if not self.connected:
            return
        self.connected = False
        await self.communicator.disconnect(timeout=REPLY_TIMEOUT)
        self.reader.cancel()  # what the server wrote meanwhile is lost, as in a closed tab
        self.pinger.cancel()
        for task in self.tasks:
            task.cancel()

    async def read(self, communicator) -> None:
        while True:
            output = await communicator.output_queue.get()
            if output["type"] == "websocket.close":
                # Silent for too long (4000) or fell behind (4008): the tab reconnects later.
                if output.get("code") not in (4000, 4008):
                    self.failures.append(f"{self.name}: closed by the server: {output}")
                self.stats["closed by the server"] += 1
                self.connected = False
                self.progress.set()
                return
            try:
                await self.receive(json.loads(output["text"]))
            except Exception as error:  # an assertion about the protocol, or a bug in here
                self.failures.append(f"{self.name}: {type(error).__name__}: {error}")
            self.progress.set()

    async def keep_alive(self, epoch: int) -> None:
        """A ping after PING_SECONDS of silence, as socket.js sends, so that the server keeps
        the socket of a tab whose person is busy elsewhere (the driver waiting on others)."""
        while self.connected and epoch == self.epoch:
            await asyncio.sleep(max(0.1, self.last_sent + PING_SECONDS - time.monotonic()))
            if time.monotonic() - self.last_sent >= PING_SECONDS:
                await self.send({"type": "ping"})

    async def send(self, message: dict) -> None:
        if self.connected:
            self.last_sent = time.monotonic()
            await self.communicator.send_json_to(message)

    # --- operations

    async def operate(self, kind: str, data: dict | None = None) -> str:
        """Make an operation: sent now if the socket is open, else once it is (socket.js)."""
        op_id = f"{self.name}-{next(self.counter)}"
        message = {"type": kind, "id": op_id, **({"data": data} if data is not None else {})}
        self.sent[op_id] = self.unanswered[op_id] = message
        await self.send(message)
        return op_id

    async def resend(self, op_id: str) -> None:
        """Send an answered operation again, same id: it must get the same answer."""
        self.expected[op_id] = self.replies[op_id]
        self.unanswered[op_id] = self.sent[op_id]
        await self.send(self.sent[op_id])

    async def until(self, condition, what: str, timeout=REPLY_TIMEOUT, closed_ok=False) -> None:
        """Wait, with a timeout, until `condition()` holds as this client's messages arrive;
        with `closed_ok`, not on a closed socket (it will hold once the tab is back)."""
        deadline = time.monotonic() + timeout
        while not condition():
            self.raise_failures()
            if closed_ok and not self.connected:
                return
            if self.connected and self.communicator.future.done():
                self.communicator.future.result()  # the consumer crashed: say how
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{self.name}: no {what} within {timeout} s; {self.state()}")
            self.progress.clear()
            try:
                await asyncio.wait_for(self.progress.wait(), left)
            except TimeoutError:
                pass
        self.raise_failures()

    def raise_failures(self) -> None:
        if self.failures:
            raise AssertionError("\n".join(self.failures))

    def state(self) -> str:
        revision = self.board.revision if self.board else None
        return (
            f"revision {revision}, ahead {sorted(self.ahead)[:5]}, syncing {self.syncing}, "
            f"connected {self.connected}, unanswered {list(self.unanswered)[:5]}"
        )

    # --- messages from the server (board.js's receive)

    async def receive(self, message: dict) -> None:
        kind = message["type"]
        if kind == "snapshot":
            await self.on_snapshot(message)
        elif kind == "event":
            if not self.dropping([message]):
                await self.queue([message])
        elif kind == "events":
            await self.on_events(message)
        elif kind == "catch_up":
            self.syncing = False
            await self.request_sync()
        elif kind in ("ack", "error"):
            await self.on_answer(message)
        elif kind not in ("presence", "pong"):
            raise AssertionError(f"unexpected message {message}")

    def dropping(self, events: list[dict]) -> bool:
        """A live frame lost on the way, now and then: the client sees a gap and syncs."""
        if self.rng.random() >= self.drop_rate:
            return False
        self.stats["drops"] += 1
        self.dropped_up_to = max(self.dropped_up_to, events[-1]["revision"])
        return True

    async def on_events(self, message: dict) -> None:
        events = message["events"]
        revisions = [event["revision"] for event in events]
        assert revisions == sorted(revisions), revisions
        assert not events or message["revision"] == revisions[-1], message["revision"]
        if message.get("live"):
            if not self.dropping(events):
                await self.queue(events)
            return
        # The answer to `sync`: parts in a row, each `since` the last one's revision.
        assert message["since"] == self.sync_since, (message["since"], self.sync_since)
        expected = list(range(message["since"] + 1, message["since"] + 1 + len(events)))
        assert revisions == expected, (revisions, message["since"])
        self.stats["parts"] += 1
        self.syncing = bool(message.get("more"))
        self.sync_since = message["revision"] if self.syncing else None
        await self.queue(events)

    async def on_snapshot(self, message: dict) -> None:
        first, self.first_snapshot = self.first_snapshot, False
        if not first:  # an answer to `sync`, too far behind (the first comes before any)
            self.syncing, self.sync_since = False, None
        self.stats["snapshots"] += 1
        if first and self.mode == "catch_up" and self.board is not None:
            await self.drain()  # this tab keeps its own board and catches up by sync
            return
        board = message.get("board")
        if board is None:  # too large for a frame: the same board over HTTP
            board = await self.fetch(message["board_url"])
            assert board["revision"] >= message["revision"], (board["revision"], message)
        else:
            assert board["revision"] == message["revision"], (board["revision"], message)
        if self.board is None:
            self.board = Board(board)
        elif board["revision"] != self.board.revision:
            self.board.load(board)
        await self.drain()

    async def fetch(self, url: str) -> dict:
        self.stats["fetches"] += 1
        response = await database_sync_to_async(self.http.get)(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, (url, response.status_code)
        return response.json()

    async def queue(self, events: list[dict]) -> None:
        for event in events:
            if self.board is None or event["revision"] > self.board.revision:
                self.ahead[event["revision"]] = event
        await self.drain()

    async def drain(self) -> None:
        """Apply events strictly in revision order; a gap means something was missed."""
        if self.board is None:
            return
        while (event := self.ahead.pop(self.board.revision + 1, None)) is not None:
            if event.get("board_url"):  # too large for a frame: the board after it, over HTTP
                board = await self.fetch(event["board_url"])
                assert board["revision"] >= event["revision"], (board["revision"], event)
                self.board.load(board)
                continue
            self.note_own(event)
            self.board.apply(event)
        for revision in [r for r in self.ahead if r <= self.board.revision]:
            del self.ahead[revision]
        if self.ahead:
            await self.request_sync()

    def note_own(self, event: dict) -> None:
        """A resent id must never make a second event: each op id of this user's, once."""
        if event["op"] and event["actor"]["id"] == self.user.pk:
            first = self.own_events.setdefault(event["op"], event["revision"])
            assert first == event["revision"], f"op {event['op']} made {first} and {event}"

    async def request_sync(self, since: int | None = None) -> None:
        if self.syncing or not self.connected or self.board is None:
            return
        self.syncing = True
        self.sync_since = self.board.revision if since is None else since
        self.stats["syncs"] += 1
        await self.send({"type": "sync", "since": self.sync_since})

    async def on_answer(self, message: dict) -> None:
        op_id, code = message.get("id"), message.get("code")
        if code in NEVER:
            raise AssertionError(f"{code} for {self.sent.get(op_id, op_id)}: {message}")
        if op_id is None:  # a sync or an editing notice came too fast
            assert code == "rate_limited", message
            self.stats["rate_limited"] += 1
            if message["refused"] == "sync":  # again, later (board.js)
                self.syncing, self.sync_since = False, None
                self.later(message["retry_after"], self.request_sync)
            return
        assert op_id in self.unanswered, f"an answer to {op_id}, which waits for none: {message}"
        if code == "rate_limited":  # nothing was done: the same id again after retry_after
            self.stats["rate_limited"] += 1
            epoch = self.epoch
            self.later(message["retry_after"], lambda: self.send_again(op_id, epoch))
            return
        del self.unanswered[op_id]
        self.replies.setdefault(op_id, message)
        if op_id in self.expected and message != self.expected.pop(op_id):
            self.mismatches.append(f"{op_id}: first {self.replies[op_id]}, again {message}")

    async def send_again(self, op_id: str, epoch: int) -> None:
        # Not if the socket has been reopened since: the reconnect sent it already, and
        # sending it twice would have it answered twice (socket.js's timer does not look).
        if op_id in self.unanswered and epoch == self.epoch:
            await self.send(self.unanswered[op_id])

    def later(self, seconds: float, action) -> None:
        # The server's retry_after is the wait the protocol asks for, not a guess of ours.
        def start():
            task = asyncio.get_running_loop().create_task(action())
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

        asyncio.get_running_loop().call_later(max(seconds, 0.005), start)
