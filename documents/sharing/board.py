"""The map as a share link shows it, to anyone holding the link: what the share page embeds.

Built from the same reads as the board and the PDF, as nobody in particular sees them: cards
from `with_board(viewer=None)`, so no private card before its reveal; no vote (not its dots,
not its ranking), no timer or lock; the stage presented only when the link follows the
presentation (present mode, `controls.present` as on the board); no author, no one who added
a piece, no workshop: only the map. With evidence, the board's counts and scores and, per
stage, the few pieces the PDF prints (pdf/picks.py), so that a stage with 10,000 metrics costs
a page what one with five does. Their pictures are served through the link (web/share.py),
never the API.
"""

from django.db.models import prefetch_related_objects
from django.urls import reverse

from evidence.coverage import board_evidence
from evidence.models import Kind
from evidence.scores import board_scores
from evidence.serializers import evidence_list
from workshops.models import JourneyMap

from ..models import ShareLink
from ..pdf.evidence import shown_queryset
from ..pdf.picks import picked

CARD_FIELDS = ("id", "position", "text", "emotion_score", "severity", "channel")
# Who added a piece is a member's name; the map it is on, the page knows.
PIECE_LEFT_OUT = ("added_by", "added_by_name", "map")


def shared_board(link: ShareLink) -> dict:
    """The board as store.js loads it: the map's fields, stages, lanes and cards, with evidence
    its `evidence` counts and `scores`, and following the presentation its `controls` (the
    board's own parts)."""
    board = JourneyMap.objects.with_board(viewer=None).get(pk=link.map_id)
    data = {
        "title": board.title,
        "description": board.description,
        "persona_name": board.persona.name if board.persona_id else "",
        "state": board.state,
        "revision": board.revision,
        "updated_at": board.updated_at.isoformat(),
        "stages": [_stage(stage) for stage in board.stages.all()],
        "lanes": [_lane(lane) for lane in board.lanes.all()],
        "cards": [_card(card) for card in board.cards.all()],
    }
    if link.include_evidence:
        data["evidence"] = board_evidence(board)
        data["scores"] = board_scores(board)
    if link.follow_present:
        data["controls"] = {"present": _presented(board)}
    return data


def _presented(board) -> dict | None:
    present = board.controls.get("present")  # the stage alone: nothing else of the controls
    return {"stage": present["stage"]} if present else None


def _stage(stage) -> dict:
    return {
        "id": stage.pk,
        "title": stage.title,
        "description": stage.description,
        "position": stage.position,
    }


def _lane(lane) -> dict:
    return {"id": lane.pk, "title": lane.title, "kind": lane.kind, "position": lane.position}


def _card(card) -> dict:
    return {
        **{field: getattr(card, field) for field in CARD_FIELDS},
        "stage": card.stage_id,
        "lane": card.lane_id,
    }


def shared_pieces(link: ShareLink, token: str) -> dict:
    """{stage id: [piece, ...]}: the pieces each stage shows, as the board's API writes them,
    less who added them; pictures by the link's own URLs. Empty without evidence."""
    if not link.include_evidence:
        return {}
    journey_map = link.map
    lane_ids = set(journey_map.lanes.values_list("pk", flat=True))
    pieces = sorted(picked(shown_queryset(journey_map, lane_ids)), key=_in_order)
    prefetch_related_objects(pieces, "added_by")  # the serializer names them: one query
    by_stage = {}
    for piece, data in zip(pieces, evidence_list(pieces), strict=True):
        by_stage.setdefault(piece.on_stage, []).append(_public(data, token))
    return by_stage


def _in_order(piece) -> tuple:
    return (piece.kind, piece.place)


def _public(data: dict, token: str) -> dict:
    public = {key: value for key, value in data.items() if key not in PIECE_LEFT_OUT}
    if data["kind"] == Kind.IMAGE:
        for which in ("image", "thumbnail"):
            public[f"{which}_url"] = reverse("share-image", args=[token, data["id"], which])
    return public
