"""The emotion curve of a board's emotions lane, for the server-rendered board.

Same drawing as static/js/curve.js, which redraws it live: change both together. A stage is 100
units wide and the box 100 high; the mean score of a stage's cards (-2..2) maps to 90..10.
"""

from django import template

register = template.Library()

STAGE_WIDTH = 100
HEIGHT = 100


def _y(score: float) -> float:
    return HEIGHT / 2 - score * 20


def _signed(value: float) -> str:
    value = round(value, 1)
    text = f"{value:g}"
    return f"+{text}" if value > 0 else text


@register.simple_tag
def emotion_curve(journey_map, lane) -> dict:
    """Uses the board's prefetched stages and cards: no queries of its own."""
    stages = list(journey_map.stages.all())
    scores = {stage.pk: [] for stage in stages}
    for card in journey_map.cards.all():
        if card.lane_id == lane.pk and card.emotion_score is not None and card.stage_id in scores:
            scores[card.stage_id].append(card.emotion_score)
    points, spoken = [], []
    for index, stage in enumerate(stages):
        found = scores[stage.pk]
        if not found:
            spoken.append(f"{stage.title} no score")
            continue
        mean = sum(found) / len(found)
        mood = "up" if mean > 0.25 else "down" if mean < -0.25 else "flat"
        points.append({"x": index * STAGE_WIDTH + STAGE_WIDTH / 2, "y": _y(mean), "mood": mood})
        spoken.append(f"{stage.title} {_signed(mean)}")
    return {
        "width": max(len(stages), 1) * STAGE_WIDTH, "height": HEIGHT, "zero": _y(0),
        "points": points, "path": _smooth_path(points) if len(points) > 1 else "",
        "title": "Emotion curve: " + ", ".join(spoken),
    }


def _smooth_path(points: list[dict]) -> str:
    """Horizontal tangents halfway between neighbours, as curve.js draws it."""
    parts = [f"M{points[0]['x']:g} {points[0]['y']:g}"]
    for before, after in zip(points, points[1:]):
        mid = (before["x"] + after["x"]) / 2
        parts.append(f"C{mid:g} {before['y']:g} {mid:g} {after['y']:g} {after['x']:g} {after['y']:g}")
    return " ".join(parts)
