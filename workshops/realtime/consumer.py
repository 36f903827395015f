"""The live board: one WebSocket per open board, speaking the protocol of docs/realtime.md.

Every change goes through workshops.services, whose pipeline broadcasts the accepted event to the
map's group once it commits; this consumer only forwards that pre-encoded text. Operations run
one at a time per socket in a worker task, so a socket keeps forwarding its peers' events while
its own operation waits for the database.
"""

import asyncio
import logging
import random
import time

from autobahn.exception import Disconnected
from channels.exceptions import ChannelFull
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from ..models import Role, map_group_name
from . import presence
from .broadcast import encode
from .database import (
    apply_operation,
    catch_up_text,
    guest_access_until,
    is_private_card,
    load_membership,
    snapshot_text,
)
from .presence import Peers, person
from .protocol import (
    INT,
    MAYBE_INT,
    OPERATIONS,
    Operation,
    ProtocolError,
    error_reply,
    has_type,
    parse,
    parse_operation,
)

logger = logging.getLogger(__name__)


ACCESS_ENDED = (
    "Your access to this board has ended: you were removed from the workshop, or "
    "your guest link expired or was revoked."
)


MAX_PENDING = 50  # operations queued per socket before we stop reading from it


POSITION_INTERVAL = 0.1  # seconds between two relayed view positions of one socket


class MapConsumer(AsyncWebsocketConsumer):
    tick_seconds = 5  # how often we check for silent peers and clients
    heartbeat_seconds = 10  # how often we tell the group we are still here
    peer_ttl = 25  # forget a peer after this; with the tick, gone within 30 s
    silence_limit = 30  # close a client that sent nothing (not even a ping) for this long
    presence_delay = 0.05  # gather presence changes (a join's replies) into one message

    async def connect(self):
        self.tasks = set()
        self.map_id = self.scope["url_route"]["kwargs"]["map_id"]
        self.user = getattr(self.scope["user"], "_wrapped", self.scope["user"])
        self.journey_map, self.role = await load_membership(self.user, self.map_id)
        if self.journey_map is None:
            await self.close()  # before accept: the handshake is refused
            return
        self.access_until = await guest_access_until(self.user)
        self.group = map_group_name(self.map_id)
        # Join before reading the snapshot, so that no event falls between the two.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        you = {"id": self.user.pk, "name": person(self.user)["name"], "role": self.role}
        text = await snapshot_text(self.map_id, you)
        if text is None:
            await self.close()
            return
        await self.send(text_data=text)
        self.me = {**person(self.user), "role": self.role, "editing": None}
        self.last_position = 0.0
        self.peers, self.presence_flush = Peers(), None
        self.last_heard = time.monotonic()
        self.pending = asyncio.Queue(maxsize=MAX_PENDING)
        self.tasks = {asyncio.create_task(self.work()), asyncio.create_task(self.tick())}
        presence.join(self.map_id, self.channel_name, self.me)
        # This process's sockets we know at once; the other processes answer our hello.
        self.peers.heard_all(presence.local_states(self.map_id), self.last_heard)
        self.presence_changed()
        await self.channel_layer.group_send(
            self.group, {"type": "presence.hello", "from": self.channel_name, "state": self.me}
        )

    async def disconnect(self, code):
        for task in self.tasks:
            task.cancel()
        if self.tasks:
            presence.leave(self.map_id, self.channel_name)
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self.channel_layer.group_send(
                self.group, {"type": "presence.bye", "from": self.channel_name}
            )
        self.tasks = set()

    async def dispatch(self, message):
        # Channels runs close_old_connections in the database thread before every handler.
        # Group messages (events, presence) touch no database, and arrive by the thousand per
        # second on a busy board: that hop was most of the server's time. Our own database work
        # goes through database_sync_to_async, which looks after connections itself.
        if message["type"].startswith(("map.", "presence.", "follow.")):
            await getattr(self, message["type"].replace(".", "_"))(message)
        else:
            await super().dispatch(message)

    # --- from the client

    async def receive(self, text_data=None, bytes_data=None):
        self.last_heard = time.monotonic()
        message = {}
        try:
            message = parse(text_data)
            await self.handle(message)
        except ProtocolError as error:
            op_id = message.get("id") if isinstance(message.get("id"), str) else None
            await self.send_json(error_reply(op_id, error))

    async def handle(self, message: dict):
        kind = message["type"]
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "editing":
            await self.set_editing(message.get("card"))
        elif kind == "position":
            await self.relay_position(message)
        elif kind == "sync":
            since = message.get("since")
            if not has_type(since, INT) or since < 0:
                raise ProtocolError("bad_message", "since must be a revision (a whole number).")
            await self.pending.put(("sync", since))
        elif kind in OPERATIONS:
            await self.pending.put(("op", parse_operation(message)))
        else:
            raise ProtocolError("unknown_type", f"Unknown message type {kind!r}.")

    async def work(self):
        """Run this socket's operations and syncs one at a time, in the order they came."""
        while True:
            kind, argument = await self.pending.get()
            try:
                if kind == "sync":
                    await self.send_catch_up(argument)
                else:
                    await self.perform(*argument)
            except (OperationalError, InterfaceError):
                # The database is down or restarting: the transaction rolled back (and a resent
                # id cannot apply twice, should the failure have come after the commit).
                logger.exception("Database unavailable for map %s", self.map_id)
                await self.send_json(
                    {
                        "type": "error",
                        "code": "unavailable",
                        "id": argument[0] if kind == "op" else None,
                        "message": "The database is unavailable. Send the "
                        "change again in a moment.",
                    }
                )
            except Exception:
                logger.exception("Live-board operation failed on map %s", self.map_id)
                await self.send_json(
                    {
                        "type": "error",
                        "id": None,
                        "code": "server_error",
                        "message": "Something went wrong on the server.",
                    }
                )

    async def perform(self, op_id: str, operation: Operation, arguments: dict):
        reply = await apply_operation(
            operation,
            actor=self.user,
            journey_map=self.journey_map,
            op_id=op_id,
            arguments=arguments,
        )
        await self.send_json(reply)

    async def send_catch_up(self, since: int):
        text = await catch_up_text(self.map_id, since, self.user.pk)
        if text is None:
            you = {"id": self.user.pk, "name": self.me["name"], "role": self.role}
            text = await snapshot_text(self.map_id, you)
        if text is not None:
            await self.send(text_data=text)

    async def send_json(self, message: dict):
        await self.send(text_data=encode(message))

    async def send(self, text_data=None, bytes_data=None, close=False):
        try:
            await super().send(text_data, bytes_data, close)
        except Disconnected:
            # Daphne raises this when the client left between our last look and this send;
            # the disconnect handler is on its way and will clean up.
            pass

    # --- from the group

    async def map_event(self, message):
        # Encoded once by realtime.broadcast; every socket forwards the same text, except
        # that a secret change has its own for those who may read it (secrecy.py).
        texts = message.get("texts")
        await self.send(
            text_data=texts.get(str(self.user.pk), message["text"]) if texts else message["text"]
        )

    # --- access: a member removed, a role changed, a guest link revoked or expired

    async def access_changed(self, message):
        if self.user.pk in message["users"]:
            await self.recheck_access()

    async def recheck_access(self) -> bool:
        """Read this user's role afresh: close the socket if it is gone, else adopt it."""
        journey_map, role = await load_membership(self.user, self.map_id)
        if journey_map is None:
            # Out of the group first, so that not one more event reaches this socket.
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self.send_json({"type": "access_ended", "message": ACCESS_ENDED})
            await self.close(code=4403)
            return False
        if role != self.role:
            self.role = role
            await self.send_json({"type": "access_changed", "role": role})
        return True

    async def map_deleted(self, message):
        await self.send(text_data=message["text"])
        await self.close()

    async def follow_position(self, message):
        if message["from"] != self.channel_name:
            await self.send(text_data=message["text"])

    # --- presence

    async def beat(self, states: dict, to: str | None = None):
        message = {"type": "presence.beat", "states": states}
        try:
            if to is None:
                await self.channel_layer.group_send(self.group, message)
            else:
                await self.channel_layer.send(to, message)
        except ChannelFull:
            pass  # the newcomer is swamped; it will hear our next heartbeat
        except Exception as error:
            # The channel layer (Redis) is down or restarting. Presence heals with the next
            # heartbeat; the socket must not die of it, nor its tick stop.
            logger.warning("Presence heartbeat failed on map %s: %r", self.map_id, error)

    async def set_editing(self, card):
        if not has_type(card, MAYBE_INT):
            raise ProtocolError("bad_message", "card must be a card id or null.")
        if self.role == Role.VIEWER and card is not None:
            raise ProtocolError("forbidden", "Viewers cannot edit cards.")
        if card is not None and await is_private_card(card):
            card = None  # a private card's id must not reach the others through presence
        if card != self.me["editing"]:
            self.me = {**self.me, "editing": card}  # a new dict: peers may hold the old one
            presence.join(self.map_id, self.channel_name, self.me)
            await self.beat({self.channel_name: self.me})

    async def relay_position(self, message: dict):
        """The facilitator's view, for those following: relayed, never stored."""
        if self.role != Role.FACILITATOR:
            raise ProtocolError("forbidden", "Only a facilitator leads the view; others follow.")
        stage, lane = message.get("stage"), message.get("lane")
        if not has_type(stage, INT) or not has_type(lane, MAYBE_INT):
            raise ProtocolError("bad_message", "stage must be a stage id, lane a lane id or null.")
        now = time.monotonic()
        if now - self.last_position < POSITION_INTERVAL:
            return  # clients send a few a second; more is noise the group need not carry
        self.last_position = now
        text = encode(
            {
                "type": "position",
                "by": {"id": self.user.pk, "name": self.me["name"]},
                "stage": stage,
                "lane": lane,
            }
        )
        await self.channel_layer.group_send(
            self.group, {"type": "follow.position", "from": self.channel_name, "text": text}
        )

    async def presence_hello(self, message):
        self.heard_from({message["from"]: message["state"]})
        if presence.is_spokesman(self.map_id, self.channel_name):
            # One answer per process, with all its sockets, rather than one per socket.
            await self.beat(presence.local_states(self.map_id), to=message["from"])

    async def presence_beat(self, message):
        self.heard_from(message["states"])

    async def presence_bye(self, message):
        if self.peers.left(message["from"]):
            self.presence_changed()

    def heard_from(self, states: dict):
        if self.peers.heard_all(states, time.monotonic()):
            self.presence_changed()

    def presence_changed(self):
        if self.presence_flush is None:
            self.presence_flush = asyncio.create_task(self.flush_presence())
            self.tasks.add(self.presence_flush)

    async def flush_presence(self):
        await asyncio.sleep(self.presence_delay)
        self.presence_flush = None
        self.tasks.discard(asyncio.current_task())
        await self.send_json({"type": "presence", "users": self.peers.users()})

    async def tick(self):
        # Out of step with the other sockets, so heartbeats do not arrive in bursts.
        await asyncio.sleep(random.uniform(0, self.tick_seconds))
        while True:
            now = time.monotonic()
            if self.access_until and timezone.now() >= self.access_until:
                if not await self.recheck_access():
                    return
                self.access_until = None
            if now - self.last_heard > self.silence_limit:
                await self.close(code=4000, reason="silent for too long")
                return
            if presence.beat_due(self.map_id, now, self.heartbeat_seconds):
                await self.beat(presence.local_states(self.map_id))
            if self.peers.expire(now, self.peer_ttl):
                self.presence_changed()
            await asyncio.sleep(self.tick_seconds)
