"""One subscription per board per process: a map's hub receives the map's group messages once
and writes them straight to this process's sockets on that map.

Before the hub, each socket had its own channel on the layer: every event was a channel-layer
message, a consumer dispatch and a frame per socket, and a board of 200 people spent a core on
that alone. Now an event costs one layer message per process and one write per socket; events
that arrive within REALTIME_FLUSH_MS of the last frame wait for the next one and share it (one
live `events` message), so a busy board sends each socket a frame per tick rather than one per
event. Each text is encoded once (broadcast.py), each frame once per audience: sockets whose
user reads more of a secret change (secrecy.py, `texts`) get their own.

The hub also keeps presence for its sockets (presence.py) and watches for slow readers
(outbox.py). It works the same on the in-memory layer (one process) and on Redis pub/sub,
where each process's hub gets each message once from its subscription.
"""

import asyncio
import logging
import time

from channels.exceptions import ChannelFull
from django.conf import settings

from ..models import map_group_name
from . import presence
from .broadcast import encode
from .frames import Frames, Item, coalesce
from .outbox import Link, send_buffer_limit

logger = logging.getLogger(__name__)

_hubs: dict[tuple[asyncio.AbstractEventLoop, int], "Hub"] = {}
_stopping = set()  # hubs shutting down; the loop holds only weak references to tasks


async def hub_for(layer, map_id: int) -> "Hub":
    """This process's hub of the map, subscribed to the map's group once this returns."""
    loop = asyncio.get_running_loop()
    while True:
        hub = _hubs.get((loop, map_id))
        if hub is None or hub.closing:
            _forget_closed_loops()
            hub = _hubs[(loop, map_id)] = Hub(layer, map_id)
        await asyncio.shield(hub.started)
        if not hub.closing:  # its last socket may have left while we waited
            return hub


def _forget_closed_loops():
    # Each test runs its own loop; a server runs one for good.
    for key in [key for key in _hubs if key[0].is_closed()]:
        del _hubs[key]


class Hub:
    tick_seconds = 1.0  # how often it heartbeats when due, expires peers, looks at slow sockets
    heartbeat_seconds = 10  # how often it tells the group its sockets are still here
    peer_ttl = 25  # forget another process's hub after this; with the tick, within 26 s
    presence_delay = 0.05  # gather presence changes (a crowd joining) into one message
    stuck_seconds = 30  # a socket behind for this long is closed (4008) and reconnects
    FLUSH_SHARE = 3  # frames at most every 3 times the time one takes to write to all

    def __init__(self, layer, map_id: int):
        self.layer, self.map_id, self.group = layer, map_id, map_group_name(map_id)
        self.loop = asyncio.get_running_loop()
        self.links: dict[str, Link] = {}
        self.peers = presence.Peers()
        self.pending: list[Item] = []
        self.flush_handle = None
        self.last_flush = float("-inf")
        self.flush_cost = 0.0  # seconds to write one frame to every socket, smoothed
        self.revision = 0  # the newest event seen, for a slow socket's catch_up
        self.presence_text = None
        self.presence_handle = self.beat_handle = None
        self.last_beat = float("-inf")
        self.count = 0
        self.closing = False
        self.channel = None
        self.tasks: set[asyncio.Task] = set()
        self.writing = asyncio.Lock()  # one flush at a time, in order, should a write wait
        self.started = self.loop.create_future()
        self.spawn(self.start())

    @property
    def interval(self) -> float:
        """How long after a frame the next may go. Writing a frame to every socket takes a
        write per socket: spacing frames by FLUSH_SHARE times that keeps the writing to a part
        of the loop's time, so a small room gets its events at once and a big one shares
        frames, which never wait longer than REALTIME_FLUSH_MS."""
        return min(settings.REALTIME_FLUSH_MS / 1000, self.FLUSH_SHARE * self.flush_cost)

    # --- life

    async def start(self):
        try:
            self.channel = await self.layer.new_channel(prefix="hub.")
            await self.layer.group_add(self.group, self.channel)
        except Exception as error:
            self.closing = True
            self.started.set_exception(error)
            return
        self.started.set_result(True)
        self.spawn(self.receive_loop())
        self.spawn(self.tick_loop())
        await self.beat(hello=True)  # the other processes answer with their sockets

    def close(self):
        """No socket left: unsubscribe, say goodbye, stop."""
        if self.closing:
            return
        self.closing = True
        if _hubs.get((self.loop, self.map_id)) is self:
            del _hubs[(self.loop, self.map_id)]
        for handle in (self.flush_handle, self.presence_handle, self.beat_handle):
            if handle is not None:
                handle.cancel()
        current = asyncio.current_task()
        for task in self.tasks:
            if task is not current:  # a hub task closing it goes on to its end
                task.cancel()
        stop = self.loop.create_task(self.stop())
        _stopping.add(stop)
        stop.add_done_callback(_stopping.discard)

    async def stop(self):
        try:
            await self.layer.group_discard(self.group, self.channel)
            await self.layer.group_send(self.group, {"type": "presence.bye", "from": self.channel})
        except Exception as error:  # Redis down: the others forget us by our silence
            logger.warning("Hub of map %s could not say goodbye: %r", self.map_id, error)

    def spawn(self, coroutine):
        task = self.loop.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task):
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("Hub task failed on map %s", self.map_id, exc_info=task.exception())

    # --- sockets

    def join(self, consumer, state: dict) -> Link:
        """A socket joins, held until its snapshot is sent (hub.release)."""
        self.count += 1
        link = Link(consumer, f"{self.channel}|{self.count}", state)
        link.hold()
        self.links[link.key] = link
        link.keep([(None, self.presence_now())])  # at once; the others' comes gathered
        self.presence_changed()
        self.announce()
        return link

    def leave(self, link: Link) -> None:
        if self.links.pop(link.key, None) is None:
            return
        link.open = False
        if not self.links:
            self.close()
            return
        self.presence_changed()
        self.announce()

    def update(self, link: Link, state: dict) -> None:
        """A socket's presence changed (what its user edits, their role)."""
        link.state = state
        self.presence_changed()
        self.announce()

    def sockets_of(self, user_id: int) -> int:
        """Open sockets of this user on the map, in this process and (as presence says) in
        the others."""
        here = sum(1 for link in self.links.values() if link.user_id == user_id)
        return here + self.peers.sockets_of(user_id)

    async def release(self, link: Link, after: int | None = None) -> None:
        """End one hold; at the last, write what was kept (events up to `after`, the snapshot's
        revision, are in the snapshot already), in order, before any live message."""
        if after is not None:
            link.after = after
        if link.holds > 1:
            link.holds -= 1
            return
        # Messages may be kept while we write: hold until none is left, then let go.
        while True:
            missed, link.missed = link.missed, False
            parts = link.take_held()
            if missed:
                await self.tell_to_catch_up(link)
            elif not parts:
                break
            for frame in coalesce(parts):
                await link.write(frame)
        link.holds = 0

    def recheck(self, link: Link) -> None:
        """The user's access changed: hold their socket until it knows its role afresh, so that
        not one more event reaches someone who was removed."""
        link.hold()
        self.spawn(self._recheck(link))

    async def _recheck(self, link: Link):
        try:
            still_member = await link.consumer.recheck_access()
        finally:
            if link.open:
                await self.release(link)
        return still_member

    # --- from the group

    async def receive_loop(self):
        while True:
            try:
                message = await self.layer.receive(self.channel)
                self.handle(message)
            except Exception:
                # A message we cannot read, or the layer failing: log it, keep listening.
                logger.exception("Hub of map %s could not take a message", self.map_id)
                await asyncio.sleep(0.1)

    def handle(self, message: dict) -> None:
        kind = message["type"]
        if kind == "map.event":
            self.revision = max(self.revision, message["revision"])
            self.deliver(Item(message["text"], message.get("texts"), message["revision"]))
        elif kind == "follow.position":
            self.deliver(Item(message["text"], skip=message["from"]))
        elif kind == "access.changed":
            users = set(message["users"])
            for link in list(self.links.values()):
                if link.user_id in users:
                    self.recheck(link)
        elif kind == "map.deleted":
            self.spawn(self.end_map(message["text"]))
        elif kind.startswith("presence."):
            self.heard(message)

    # --- writing: one frame per socket per tick

    def deliver(self, item: Item) -> None:
        self.pending.append(item)
        if self.flush_handle is None:
            # The first message after a quiet spell goes at once (with whatever else arrives
            # in the same turn of the loop); the next wait for the tick and share a frame.
            delay = max(0.0, self.last_flush + self.interval - self.loop.time())
            self.flush_handle = self.loop.call_later(delay, self.flush)

    def flush(self) -> None:
        self.flush_handle = None
        items, self.pending = self.pending, []
        self.last_flush = self.loop.time()
        if items:
            self.spawn(self.write(Frames(items)))

    async def write(self, frames: Frames) -> None:
        async with self.writing:
            began = time.perf_counter()
            await self.write_each(frames)
        # Smoothed, so that one slow flush (a garbage collection) does not hold up the next.
        self.flush_cost += (time.perf_counter() - began - self.flush_cost) / 4

    async def write_each(self, frames: Frames) -> None:
        limit = send_buffer_limit()
        now = time.monotonic()
        for link in list(self.links.values()):
            if link.holds:
                link.keep(frames.parts(link))
            elif link.behind_since is not None:
                await self.look_at_slow(link, now)
            elif link.unsent() > limit:
                link.behind_since = now  # nothing more until it drains: see look_at_slow
            else:
                await link.send(frames.for_link(link))

    async def look_at_slow(self, link: Link, now: float) -> None:
        if link.unsent() <= send_buffer_limit() // 4:
            link.behind_since = None
            await self.tell_to_catch_up(link)
        elif now - link.behind_since > self.stuck_seconds:
            self.leave(link)
            await link.consumer.close(code=4008)

    async def tell_to_catch_up(self, link: Link) -> None:
        """It missed messages: it asks for the events (sync), and gets the people again."""
        await link.write(encode({"type": "catch_up", "revision": self.revision}))
        if self.presence_text:
            await link.write(self.presence_text)

    async def end_map(self, text: str) -> None:
        """The map is deleted: everyone is told, after what came before, and closed."""
        if self.flush_handle is not None:
            self.flush_handle.cancel()
        self.flush_handle = None
        items, self.pending = self.pending, []
        await self.write(Frames([*items, Item(text)]))
        for link in list(self.links.values()):
            if link.holds:
                await link.write(text)
            self.leave(link)
            await link.consumer.close()

    # --- presence

    def presence_now(self) -> str:
        states = [link.state for link in self.links.values()]
        return encode(
            {"type": "presence", "users": presence.users([*states, *self.peers.states()])}
        )

    def presence_changed(self) -> None:
        if self.presence_handle is None:
            self.presence_handle = self.loop.call_later(self.presence_delay, self.send_presence)

    def send_presence(self) -> None:
        self.presence_handle = None
        fresh = self.presence_now()
        if fresh != self.presence_text:  # nothing reaches the browser unless the list changed
            self.presence_text = fresh
            self.deliver(Item(fresh))

    def announce(self) -> None:
        """Tell the other processes our sockets changed (gathered, as a crowd joins)."""
        if self.beat_handle is None:
            self.beat_handle = self.loop.call_later(self.presence_delay, self._announce)

    def _announce(self):
        self.beat_handle = None
        self.spawn(self.beat())

    async def beat(self, to: str | None = None, hello: bool = False) -> None:
        self.last_beat = time.monotonic()
        states = {link.key: link.state for link in self.links.values()}
        message = {"type": "presence.beat", "from": self.channel, "states": states}
        if hello:
            message["hello"] = True
        try:
            if to is None:
                await self.layer.group_send(self.group, message)
            else:
                await self.layer.send(to, message)
        except ChannelFull:
            pass  # the newcomer is swamped; it hears our next heartbeat
        except Exception as error:
            # The layer (Redis) is down or restarting: presence heals with the next heartbeat.
            logger.warning("Presence heartbeat failed on map %s: %r", self.map_id, error)

    def heard(self, message: dict) -> None:
        sender = message.get("from")
        if sender == self.channel:
            return
        now = time.monotonic()
        if message["type"] == "presence.bye":
            changed = self.peers.forget(sender)
        else:
            changed = self.peers.heard(sender, message.get("states", {}), now)
            if message.get("hello"):
                self.spawn(self.beat(to=sender))
        if changed:
            self.presence_changed()

    async def tick_loop(self):
        while True:
            await asyncio.sleep(self.tick_seconds)
            now = time.monotonic()
            if not self.links:
                self.close()
                return
            if now - self.last_beat >= self.heartbeat_seconds:
                await self.resubscribe()
                await self.beat()
            if self.peers.expire(now, self.peer_ttl):
                self.presence_changed()
            for link in [link for link in self.links.values() if link.behind_since is not None]:
                await self.look_at_slow(link, now)

    async def resubscribe(self):
        # The in-memory layer forgets a group member after a day: a long session must not.
        try:
            await self.layer.group_add(self.group, self.channel)
        except Exception as error:
            logger.warning("Hub of map %s could not renew its subscription: %r", self.map_id, error)
