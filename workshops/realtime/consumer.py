"""The live board: one WebSocket per open board, speaking the protocol of docs/realtime.md.

Every change goes through workshops.services, whose pipeline broadcasts the accepted event to the
map's group once it commits. The socket does not listen to the group itself: the map's hub in
this process does (hub.py), and writes to the socket. Operations run one at a time per socket in
a worker task, so the socket keeps receiving its peers' events while its own operation waits
for the database.
"""

import asyncio
import logging
import random
import time

from autobahn.exception import Disconnected
from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from ..models import Role, map_group_name
from .broadcast import encode
from .database import (
    apply_operation,
    catch_up_texts,
    guest_access_until,
    load_membership,
    public_card,
    snapshot_text,
)
from .hub import hub_for
from .presence import person
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
from .throttle import TokenBucket

logger = logging.getLogger(__name__)


ACCESS_ENDED = (
    "Your access to this board has ended: you were removed from the workshop, or "
    "your guest link expired or was revoked."
)


MAX_PENDING = 50  # operations queued per socket before we stop reading from it


POSITION_INTERVAL = 0.1  # seconds between two relayed view positions of one socket


class MapConsumer(AsyncWebsocketConsumer):
    tick_seconds = 5  # how often we check for a silent client and a guest link's end
    silence_limit = 30  # close a client that sent nothing (not even a ping) for this long

    async def __call__(self, scope, receive, send):
        # Not AsyncConsumer's own: it gives every socket a channel on the layer (a Redis
        # subscription each) and a task per message received; the map's hub holds this
        # process's one subscription. Whatever ends the socket, even a cancelled task, it
        # leaves the hub, so that no ghost stays in presence.
        self.scope, self.base_send = scope, send
        self.channel_layer = get_channel_layer()
        self.link = self.hub = None
        self.tasks = set()
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass
        finally:
            self.leave()

    async def dispatch(self, message):
        # No close_old_connections hop to the database thread before every message, as
        # Channels does: our database work goes through database_sync_to_async, which looks
        # after connections itself.
        await getattr(self, get_handler_name(message))(message)

    async def connect(self):
        self.map_id = self.scope["url_route"]["kwargs"]["map_id"]
        self.user = getattr(self.scope["user"], "_wrapped", self.scope["user"])
        self.journey_map, self.role = await load_membership(self.user, self.map_id)
        if self.journey_map is None:
            await self.close()  # before accept: the handshake is refused
            return
        self.access_until = await guest_access_until(self.user)
        self.group = map_group_name(self.map_id)
        self.hub = await hub_for(self.channel_layer, self.map_id)
        if self.hub.sockets_of(self.user.pk) >= settings.REALTIME_SOCKETS_PER_USER:
            await self.refuse_one_too_many()
            return
        self.me = {**person(self.user), "role": self.role, "editing": None}
        # Joined (held) before the snapshot is read, so that no event falls between the two.
        self.link = self.hub.join(self, self.me)
        await self.accept()
        if not await self.send_snapshot():
            await self.close()
            return
        self.last_position, self.last_heard = 0.0, time.monotonic()
        self.bucket = TokenBucket(settings.REALTIME_OPS_PER_SECOND, settings.REALTIME_OPS_BURST)
        self.pending = asyncio.Queue(maxsize=MAX_PENDING)
        self.tasks = {asyncio.create_task(self.work()), asyncio.create_task(self.tick())}

    async def refuse_one_too_many(self):
        limit = settings.REALTIME_SOCKETS_PER_USER
        await self.accept()  # accepted, so that the client can read why
        await self.send_json(
            {
                "type": "socket_limit",
                "limit": limit,
                "message": f"You have this board open {limit} times already: close one of "
                "those tabs or windows, then reload this one.",
            }
        )
        await self.close(code=4429)

    async def send_snapshot(self, first: bool = True) -> bool:
        """The snapshot; the first ends this socket's hold in the hub, and what came meanwhile
        follows it."""
        you = {"id": self.user.pk, "name": self.me["name"], "role": self.role}
        snapshot = await snapshot_text(self.map_id, you)
        if snapshot is None:
            return False
        await self.write(snapshot[0])
        if first:
            await self.hub.release(self.link, after=snapshot[1])
        return True

    async def disconnect(self, code):
        self.leave()

    def leave(self):
        current = asyncio.current_task()
        for task in self.tasks:
            if task is not current:  # the tick closing a silent socket goes on to the close
                task.cancel()
        self.tasks = set()
        if self.link is not None:
            self.hub.leave(self.link)
            self.link = None

    # --- from the client

    async def receive(self, text_data=None, bytes_data=None):
        if self.link is None:
            return  # refused or closing: nothing more is read
        self.last_heard = time.monotonic()
        message = {}
        try:
            message = parse(text_data)
            await self.handle(message)
        except ProtocolError as error:
            await self.send_json(error_reply(_op_id(message), error))
        except Exception:
            # A bug must not end the socket (Daphne would close it with 1011).
            logger.exception("Live-board message failed on map %s", self.map_id)
            await self.send_json(_server_error(_op_id(message)))

    async def handle(self, message: dict):
        kind = message["type"]
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "position":
            await self.relay_position(message)
        elif kind not in (*OPERATIONS, "sync", "editing"):
            raise ProtocolError("unknown_type", f"Unknown message type {kind!r}.")
        elif not self.bucket.take():
            raise ProtocolError(
                "rate_limited",
                "Too many messages at once: nothing was done. Send it again in a moment "
                "(with the same id).",
                retry_after=round(self.bucket.wait(), 3),
                refused=kind,  # a sync and an editing notice have no id to tell them apart
            )
        elif kind == "editing":
            await self.set_editing(message.get("card"))
        elif kind == "sync":
            since = message.get("since")
            if not has_type(since, INT) or since < 0:
                raise ProtocolError("bad_message", "since must be a revision (a whole number).")
            await self.pending.put(("sync", since))
        else:
            await self.pending.put(("op", parse_operation(message)))

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
                await self.send_json(_server_error(None))

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
        texts = await catch_up_texts(self.map_id, since, self.user.pk)
        if texts is None:
            await self.send_snapshot(first=False)
            return
        for text in texts:
            await self.write(text)

    async def send_json(self, message: dict):
        await self.write(encode(message))

    async def write(self, text: str):
        try:
            await self.base_send({"type": "websocket.send", "text": text})
        except Disconnected:
            # Daphne raises this when the client left between our last look and this send;
            # the disconnect on its way cleans up.
            pass

    # --- access: a member removed, a role changed, a guest link revoked or expired

    async def recheck_access(self) -> bool:
        """Read this user's role afresh: close the socket if it is gone, else adopt it. The hub
        holds this socket's messages meanwhile."""
        journey_map, role = await load_membership(self.user, self.map_id)
        if journey_map is None:
            self.leave()  # out of the hub first, so that not one more event reaches it
            await self.send_json({"type": "access_ended", "message": ACCESS_ENDED})
            await self.close(code=4403)
            return False
        if role != self.role:
            self.role = role
            self.me = {**self.me, "role": role}
            self.hub.update(self.link, self.me)
            await self.send_json({"type": "access_changed", "role": role})
        return True

    # --- presence and the facilitator's view

    async def set_editing(self, card):
        if not has_type(card, MAYBE_INT):
            raise ProtocolError("bad_message", "card must be a card id or null.")
        if self.role == Role.VIEWER and card is not None:
            raise ProtocolError("forbidden", "Viewers cannot edit cards.")
        if card is not None and not await public_card(self.map_id, card):
            card = None  # only a card everyone sees is named (database.public_card says why)
        if card != self.me["editing"] and self.link is not None:
            self.me = {**self.me, "editing": card}  # a new dict: beats may hold the old one
            self.hub.update(self.link, self.me)

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
            self.group, {"type": "follow.position", "from": self.link.key, "text": text}
        )

    async def tick(self):
        # Out of step with the other sockets, so that their checks do not come in bursts.
        await asyncio.sleep(random.uniform(0, self.tick_seconds))
        while True:
            if self.access_until and timezone.now() >= self.access_until:
                self.hub.recheck(self.link)
                self.access_until = None
            if time.monotonic() - self.last_heard > self.silence_limit:
                self.leave()  # gone from everyone's presence now, not when the close is done
                await self.close(code=4000, reason="silent for too long")
                return
            await asyncio.sleep(self.tick_seconds)


def _op_id(message: dict):
    return message.get("id") if isinstance(message.get("id"), str) else None


def _server_error(op_id) -> dict:
    return {
        "type": "error",
        "id": op_id,
        "code": "server_error",
        "message": "Something went wrong on the server.",
    }
