"""The live board's database work, in the sync world: each function runs in Channels' database
thread (database_sync_to_async), so the socket's event loop never waits on a query.
"""

from channels.db import database_sync_to_async
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from .. import services
from ..access import guest_of, remember_not_guest, require_role
from ..board import board_data, board_of
from ..models import Card, JourneyMap, MapEvent, Role
from .broadcast import encode, event_message
from .protocol import (
    Operation,
    error_reply,
)

CATCH_UP_LIMIT = 500


@database_sync_to_async
def load_membership(user, map_id: int) -> tuple[JourneyMap | None, str | None]:
    journey_map = JourneyMap.objects.select_related("workshop").filter(pk=map_id).first()
    if journey_map is None:
        return None, None
    try:
        return journey_map, require_role(user, journey_map.workshop, Role.VIEWER)
    except (Http404, PermissionDenied):  # PermissionDenied: a guest whose link has ended
        return None, None


@database_sync_to_async
def guest_access_until(user):
    """When a guest's link expires (their access with it); None for everyone else."""
    guest = guest_of(user)
    if guest is None:
        remember_not_guest(user)
    return guest.invite.expires_at if guest else None


@database_sync_to_async
def snapshot_text(map_id: int, you: dict) -> str | None:
    board = board_of(map_id, viewer=you["id"])
    if board is None:
        return None
    # `now` lets clients count the facilitator's timer down by the server's clock.
    return encode(
        {
            "type": "snapshot",
            "revision": board.revision,
            "you": you,
            "now": timezone.now(),
            "board": board_data(board, you["id"]),
        }
    )


@database_sync_to_async
def catch_up_text(map_id: int, since: int, viewer: int) -> str | None:
    """The events after `since` as `viewer` may read them, or None when a snapshot is the
    better answer."""
    events = list(
        MapEvent.objects.filter(map_id=map_id, revision__gt=since)
        .select_related("actor")
        .order_by("revision")[: CATCH_UP_LIMIT + 1]
    )
    current = JourneyMap.objects.filter(pk=map_id).values_list("revision", flat=True).first()
    too_far = len(events) > CATCH_UP_LIMIT or current is None or since > current
    if too_far or (events and events[0].revision != since + 1):
        return None
    revision = events[-1].revision if events else since
    return encode(
        {
            "type": "events",
            "since": since,
            "revision": revision,
            "events": [event_message(event, viewer=viewer) for event in events],
        }
    )


@database_sync_to_async
def is_private_card(card_id: int) -> bool:
    return Card.objects.filter(pk=card_id, private=True).exists()


@database_sync_to_async
def apply_operation(operation: Operation, *, actor, journey_map, op_id: str, arguments: dict):
    try:
        event = operation.service(actor=actor, map=journey_map, op_id=op_id, **arguments)
    except (
        ValidationError,
        PermissionDenied,
        Http404,
        ObjectDoesNotExist,
        services.EditConflict,
        services.UndoRefused,
    ) as exc:
        return error_reply(op_id, exc)
    return {"type": "ack", "id": op_id, "revision": event.revision}
