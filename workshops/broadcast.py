"""Sending accepted changes to everyone on a map's board, through the channel layer."""

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder

from .models import MapEvent, map_group_name
from .serializers import display_name


def event_message(event: MapEvent) -> dict:
    """The wire form of one event, as documented in docs/realtime.md."""
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


def broadcast_event(event: MapEvent) -> None:
    # Encoded here, once, so that each receiving socket only forwards the text.
    _group_send(event.map_id, {"type": "map.event", "revision": event.revision,
                               "text": encode(event_message(event))})


def broadcast_map_deleted(map_id: int) -> None:
    _group_send(map_id, {"type": "map.deleted", "text": encode({"type": "map_deleted", "map": map_id})})


def _group_send(map_id: int, message: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(map_group_name(map_id), message)
