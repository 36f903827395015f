"""Sending accepted changes to everyone on a map's board, through the channel layer."""

import asyncio
import functools
import json
import logging
import os

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from ..models import MapEvent, map_group_name
from ..serializers import display_name
from . import frames, secrecy

logger = logging.getLogger(__name__)


def event_message(event: MapEvent, *, viewer: int | None = None) -> dict:
    """The wire form of one event, as documented in docs/realtime.md, as the user with id
    `viewer` may read it (secrecy.py: others' dots and private cards are redacted)."""
    return secrecy.redact(_full_message(event), viewer)


def _full_message(event: MapEvent) -> dict:
    return {
        "type": "event",
        "map": event.map_id,
        "revision": event.revision,
        "event": event.type,
        "actor": {"id": event.actor_id, "name": display_name(event.actor)},
        "op": event.op_id or None,
        "at": event.created_at,
        "payload": event.payload,
    }


def encode(message: dict) -> str:
    return json.dumps(message, cls=DjangoJSONEncoder, separators=(",", ":"))


def wire_text(message: dict) -> str:
    """An event message as it goes on the socket: whole, or, when it is too large for a frame
    (a restore carries the whole board), its envelope and where to fetch the board after it.
    `message` is already as its reader may see it, so the envelope tells nothing more."""
    text = encode(message)
    if frames.fits(text):
        return text
    return encode({**message, "payload": {}, "board_url": frames.board_url(message["map"])})


def broadcast_event(event: MapEvent) -> None:
    # Encoded here, once per audience, so that each process's hub (hub.py) only forwards a
    # text: `text` for everyone, and in `texts` (by user id) the fuller one of those who may
    # read a secret change (their own dot, their own private card). See secrecy.py.
    message = {
        "type": "map.event",
        "revision": event.revision,
        "text": wire_text(event_message(event)),
    }
    texts = {
        str(viewer): wire_text(event_message(event, viewer=viewer))
        for viewer in secrecy.audience(event.payload)
    }
    if texts:
        message["texts"] = texts
    _group_send(event.map_id, message)


def broadcast_map_deleted(map_id: int) -> None:
    _group_send(
        map_id, {"type": "map.deleted", "text": encode({"type": "map_deleted", "map": map_id})}
    )


def access_changed_on_commit(workshop, user_ids) -> None:
    """Members were removed, changed role or lost their guest link: once committed, their open
    boards on the workshop's maps re-check their access (docs/realtime.md, "When access
    changes"). Without it a removed member's open board kept receiving events."""
    users = sorted(set(user_ids))
    map_ids = list(workshop.maps.values_list("pk", flat=True))
    if users and map_ids:
        transaction.on_commit(functools.partial(broadcast_access_changed, map_ids, users))


def broadcast_access_changed(map_ids, user_ids) -> None:
    for map_id in map_ids:
        _group_send(map_id, {"type": "access.changed", "users": list(user_ids)})


def _group_send(map_id: int, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    group = map_group_name(map_id)
    loop = _server_loop()
    if loop is None:
        async_to_sync(layer.group_send)(group, message)
    else:
        # In a database thread of a running server (the live board, a view under Daphne): hand
        # the send to the event loop and go on. Waiting for it tied each change's database work
        # to the loop's backlog of socket writes, and the board fell behind under load.
        # call_soon_threadsafe runs the sends in the order the changes committed.
        loop.call_soon_threadsafe(_start, layer.group_send(group, message))


_sending = set()  # the loop only holds weak references to tasks


def _start(send) -> None:
    task = asyncio.get_running_loop().create_task(send)
    _sending.add(task)
    task.add_done_callback(_sent)


def _sent(task) -> None:
    _sending.discard(task)
    if not task.cancelled() and task.exception() is not None:
        # Redis down or restarting: the change is saved and in the map's history, so open boards
        # see a gap in revisions at their next event and catch up.
        logger.warning("Broadcast failed, boards will catch up: %r", task.exception())


def _server_loop():
    """The running event loop that called this thread through sync_to_async, if any."""
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if getattr(local, "main_event_loop_pid", None) != os.getpid() or loop is None:
        return None
    return loop if loop.is_running() and not loop.is_closed() else None
