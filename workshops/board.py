"""The whole board as one person may see it: what the board page, the live board's snapshot
and the nested map GET carry. Only the cards they may see, the facilitator's rounds as they may
see them, and the parts apps above add (evidence counts: serializers.register_board_part)."""

from django.utils import timezone

from .models import JourneyMap
from .serializers import BoardSerializer
from .services.facilitation import shown_controls
from .services.voting import board_state


def board_of(map_id: int, viewer) -> JourneyMap | None:
    """The map with all a board needs prefetched, holding only the cards `viewer` may see."""
    return JourneyMap.objects.with_board(viewer=viewer).filter(pk=map_id).first()


def board_data(board: JourneyMap, viewer) -> dict:
    """`board` comes from board_of(…, viewer), or JourneyMap.objects.with_board(viewer)."""
    data = {**BoardSerializer(board).data, **board_state(board, viewer)}
    data["controls"] = shown_controls(data["controls"], timezone.now())
    return data
