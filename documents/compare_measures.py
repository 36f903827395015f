"""How the feeling and the numbers of two boards differ: the mean emotion per stage on each side
and its change, both curves in one drawing, and the metrics per stage by name.
"""

from evidence.fields import change_percent
from evidence.models import Kind
from workshops.models import LaneKind

from .curve import mean, score_y, smooth_path
from .numbers import quantity, signed, signed_percent

STAGE_WIDTH = 100


CURVE_HEIGHT = 100


def _stage_emotion(document: dict, stage: dict | None):
    if stage is None:
        return None
    feeling = {lane["key"] for lane in document["lanes"] if lane["kind"] == LaneKind.EMOTIONS}
    scores = [
        card["emotion_score"]
        for card in document["cards"]
        if card["stage"] == stage["key"]
        and card["lane"] in feeling
        and card["emotion_score"] is not None
    ]
    found = mean(scores)
    return None if found is None else round(found, 2)


def emotions(left: dict, right: dict, stages: list) -> list[dict]:
    rows = []
    for old, new in stages:
        before, after = _stage_emotion(left, old), _stage_emotion(right, new)
        change = None if before is None or after is None else round(after - before, 2)
        rows.append(
            {
                "stage": (new or old)["title"],
                "left": before,
                "right": after,
                "change": change,
                "left_text": _feeling(before),
                "right_text": _feeling(after),
                "change_text": _feeling(change),
                "text": f"{_feeling(before)} → {_feeling(after)}",
            }
        )
    return rows


def _feeling(value) -> str:
    return "none" if value is None else signed(value)


def curve(emotions: list[dict]) -> dict:
    """Both curves in one drawing, as the board draws one (static/js/curve.js)."""

    def points(side):
        return [
            {
                "x": _x(i),
                "y": _y(row[side]),
                # The left side's marks are diamonds: the two sides differ in shape, not hue.
                "diamond": f"M{_x(i):g} {_y(row[side]) - 5:g}l5 5l-5 5l-5-5z",
            }
            for i, row in enumerate(emotions)
            if row[side] is not None
        ]

    left, right = points("left"), points("right")
    return {
        "width": max(len(emotions), 1) * STAGE_WIDTH,
        "height": CURVE_HEIGHT,
        "zero": CURVE_HEIGHT / 2,
        "left": left,
        "right": right,
        "stages": [{"x": _x(i), "title": row["stage"]} for i, row in enumerate(emotions)],
        "left_path": smooth_path(left) if len(left) > 1 else "",
        "right_path": smooth_path(right) if len(right) > 1 else "",
    }


def _x(index: int) -> float:
    return index * STAGE_WIDTH + STAGE_WIDTH / 2


def _y(score: float) -> float:
    # The board's box: 100 high, +2 at 10 and -2 at 90, as static/js/curve.js draws it.
    return round(score_y(score, top=10, bottom=CURVE_HEIGHT - 10), 2)


def _stage_metrics(document: dict, stage: dict | None) -> dict:
    """The stage's metrics by name (ignoring case); the later piece of a name wins."""
    if stage is None:
        return {}
    card_stage = {card["key"]: card["stage"] for card in document["cards"]}
    found = {}
    for piece in document.get("evidence", []):
        where = piece.get("stage") or card_stage.get(piece.get("card"))
        if piece["kind"] == Kind.METRIC and where == stage["key"]:
            found[piece["name"].casefold()] = piece
    return found


def metrics(left: dict, right: dict, stages: list) -> list[dict]:
    rows = []
    for old, new in stages:
        before, after = _stage_metrics(left, old), _stage_metrics(right, new)
        for name in [*before, *(n for n in after if n not in before)]:
            rows.append(_metric_row((new or old)["title"], before.get(name), after.get(name)))
    return rows


def _metric_row(stage: str, before: dict | None, after: dict | None) -> dict:
    """Left value -> right value; a metric on one side only shows its own baseline -> value."""
    piece = after or before
    if before and after:
        start, end, status = before["value"], after["value"], "both"
    else:
        start, end = piece.get("baseline"), piece["value"]
        status = "added" if after else "removed"
    change = change_percent(start, end)
    unit = piece.get("unit", "")
    return {
        "stage": stage,
        "name": piece["name"],
        "unit": unit,
        "status": status,
        "before": start,
        "after": end,
        "change_percent": change,
        "text": _metric_text(start, end, unit, change),
    }


def _metric_text(start, end, unit: str, change) -> str:
    text = (
        f"{quantity(start, unit)} → {quantity(end, unit)}"
        if start is not None
        else quantity(end, unit)
    )
    return f"{text} ({signed_percent(change / 100)})" if change is not None else text
