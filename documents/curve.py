"""The emotion curve's geometry, for what the server draws: the PDF's map pages (in
millimetres) and the compare page (in the board's 100-units-per-stage box). The live board
draws the same curve in static/js/curve.js, from the same rule: the mean feeling (-2..2) of a
stage's emotion cards, +2 at the top of the box and -2 at its bottom, and a smooth line with
horizontal tangents halfway between neighbours."""

from collections import defaultdict

from workshops.models import LaneKind

from .numbers import signed

# Map pages are A4 landscape: 297 mm less 2 x 12 mm margins, less the lane-title column. Keep in
# step with static/css/print.css, so that the emotion curve's points sit over their stages.
MAP_WIDTH_MM = 273
LANE_COLUMN_MM = 34
CURVE_HEIGHT_MM = 22
FEELINGS = range(-2, 3)


def score_y(score: float, *, top: float, bottom: float) -> float:
    """Where a feeling sits in a box: +2 at `top`, -2 at `bottom`."""
    return top + (FEELINGS[-1] - score) / (FEELINGS[-1] - FEELINGS[0]) * (bottom - top)


def mean(scores: list) -> float | None:
    return sum(scores) / len(scores) if scores else None


def smooth_path(points: list[dict]) -> str:
    """An SVG path through the points, with horizontal tangents halfway between neighbours."""
    parts = [f"M{points[0]['x']:g} {points[0]['y']:g}"]
    for before, after in zip(points, points[1:], strict=False):
        mid = (before["x"] + after["x"]) / 2
        parts.append(
            f"C{mid:g} {before['y']:g} {mid:g} {after['y']:g} {after['x']:g} {after['y']:g}"
        )
    return " ".join(parts)


def emotion_by_stage(stages, cards, lanes) -> list[float | None]:
    """The mean emotion score (-2..2) of each stage's emotion cards, None where there is none."""
    emotion_lanes = {lane.pk for lane in lanes if lane.kind == LaneKind.EMOTIONS}
    scores = defaultdict(list)
    for card in cards:
        if card.lane_id in emotion_lanes and card.emotion_score is not None:
            scores[card.stage_id].append(card.emotion_score)
    return [mean(scores.get(stage.pk, [])) for stage in stages]


def emotion_curve(emotions: list, group: range) -> dict:
    """Vector drawing data for one page's slice of the curve, in millimetres.

    Points sit over their stage columns; a line crossing the page edge is drawn to the edge at
    its midpoint height, so the curve reads as one across pages. The drawing is stretched to its
    cell's width (the gaps between cells make that a little less than `width`), by under 2 %."""
    width = MAP_WIDTH_MM - LANE_COLUMN_MM
    column = width / len(group)

    def y(score):  # room for the labels above and below
        return round(score_y(score, top=4.5, bottom=CURVE_HEIGHT_MM - 3), 2)

    def x(index):
        return round((index - group.start + 0.5) * column, 2)

    points = [
        {
            "x": x(i),
            "y": y(emotions[i]),
            "label_y": y(emotions[i]) - 2.4,
            "label": signed(emotions[i]),
            "tone": "good" if emotions[i] > 0 else "bad" if emotions[i] < 0 else "neutral",
        }
        for i in group
        if emotions[i] is not None
    ]
    lines = []
    for i in range(group.start - 1, group.stop):
        if i < 0 or i + 1 >= len(emotions) or emotions[i] is None or emotions[i + 1] is None:
            continue
        x1, y1, x2, y2 = x(i), y(emotions[i]), x(i + 1), y(emotions[i + 1])
        if i < group.start:  # comes in from the previous page
            x1, y1 = 0, (y1 + y2) / 2
        if i + 1 >= group.stop:  # goes on to the next page
            x2, y2 = width, (y1 + y2) / 2
        lines.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2})
    curve = {
        "width": width,
        "height": CURVE_HEIGHT_MM,
        "zero": y(0),
        "top": y(2),
        "band": y(0) - y(2),
    }
    # Numbers go into SVG attributes: format them here, never through the template's locale.
    return {
        **_mm(curve),
        "points": [_mm(p) for p in points],
        "lines": [_mm(line) for line in lines],
    }


def _mm(values: dict) -> dict:
    return {k: f"{v:.2f}" if isinstance(v, (int, float)) else v for k, v in values.items()}
