"""The live board's database work, in the sync world: each function runs in Channels' database
thread (database_sync_to_async), so the socket's event loop never waits on a query.
"""

from channels.db import database_sync_to_async
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.db.models.functions import Length
from django.http import Http404
from django.utils import timezone

from .. import services
from ..access import guest_of, remember_not_guest, require_role
from ..board import board_data, board_of
from ..models import Card, JourneyMap, MapEvent, Role
from .broadcast import encode, event_message, wire_text
from .frames import board_url, chunks, fits, message_limit
from .protocol import (
    Operation,
    error_reply,
)

CATCH_UP_LIMIT = 500
# A card in the board's JSON, besides its text: its keys, numbers, dates, author's name. Used
# to tell a board too large for a frame before spending the time to serialize it.
CARD_JSON_BYTES = 400


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
def snapshot_text(map_id: int, you: dict) -> tuple[str, int] | None:
    """The snapshot as `you` may see it, and its revision; None when the map has gone."""
    if _surely_too_large(map_id):
        # Serializing thousands of cards takes the database thread, which every socket of
        # the process shares, for half a second, only to find the result will not fit.
        revision = JourneyMap.objects.filter(pk=map_id).values_list("revision", flat=True).first()
        return None if revision is None else (_snapshot(revision, you, board_url(map_id)), revision)
    board = board_of(map_id, viewer=you["id"])
    if board is None:
        return None
    text = _snapshot(board.revision, you, board=board_data(board, you["id"]))
    if not fits(text):
        text = _snapshot(board.revision, you, board_url(map_id))
    return text, board.revision


def _snapshot(revision: int, you: dict, url: str | None = None, board: dict | None = None) -> str:
    # `now` lets clients count the facilitator's timer down by the server's clock.
    message = {"type": "snapshot", "revision": revision, "you": you, "now": timezone.now()}
    if board is None:
        message["board_url"] = url  # too large for a frame: the client fetches it over HTTP
    else:
        message["board"] = board
    return encode(message)


def _surely_too_large(map_id: int) -> bool:
    size = Card.objects.filter(map_id=map_id).aggregate(cards=Count("pk"), text=Sum(Length("text")))
    return (size["text"] or 0) + size["cards"] * CARD_JSON_BYTES > message_limit()


@database_sync_to_async
def catch_up_texts(map_id: int, since: int, viewer: int) -> list[str] | None:
    """The events after `since` as `viewer` may read them, in as many `events` messages as
    the frame limit needs, or None when a snapshot is the better answer."""
    events = list(
        MapEvent.objects.filter(map_id=map_id, revision__gt=since)
        .select_related("actor")
        .order_by("revision")[: CATCH_UP_LIMIT + 1]
    )
    current = JourneyMap.objects.filter(pk=map_id).values_list("revision", flat=True).first()
    too_far = len(events) > CATCH_UP_LIMIT or current is None or since > current
    if too_far or (events and events[0].revision != since + 1):
        return None
    texts = [(event.revision, wire_text(event_message(event, viewer=viewer))) for event in events]
    return _events_messages(since, texts)


def _events_messages(since: int, texts: list[tuple[int, str]]) -> list[str]:
    """`events` messages in a row, each under the frame limit; all but the last say `more`."""
    runs = chunks(texts) or [[]]
    messages = []
    for number, run in enumerate(runs):
        last = run[-1][0] if run else since
        more = ',"more":true' if number < len(runs) - 1 else ""
        body = ",".join(text for _, text in run)
        messages.append(
            f'{{"type":"events","since":{since},"revision":{last}{more},"events":[{body}]}}'
        )
        since = last
    return messages


@database_sync_to_async
def public_card(map_id: int, card_id: int) -> bool:
    """Whether the card is one everyone on this board sees. Presence names only those: a card
    that is private, of another map or of none all read alike, so that what one's own
    presence echoes back cannot tell which ids are someone's hidden cards."""
    return Card.objects.filter(pk=card_id, map_id=map_id, private=False).exists()


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
