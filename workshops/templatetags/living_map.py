"""Template helpers of the versions, compare and workshop pages."""

from django import template

from .. import versions
from ..pdf import signed

register = template.Library()

FIELD_LABELS = {"emotion_score": "Feeling", "severity": "Severity", "channel": "Channel"}


@register.filter
def review_due(journey_map) -> bool:
    return versions.review_due(journey_map)


@register.filter
def last_review(journey_map):
    """When the map was last reviewed, or else created: the date the reminder counts from."""
    return journey_map.reviewed_at or journey_map.created_at


def _value(field: str, value) -> str:
    if value in (None, ""):
        return "none"
    if field == "emotion_score":
        return signed(value)
    if field == "severity":
        return f"{value}/3"
    return str(value)


@register.filter
def card_extras(card: dict) -> str:
    """Feeling +1 · Severity 3/3 · Instagram: what a card carries beside its text."""
    parts = [f"{FIELD_LABELS[field]} {_value(field, card.get(field))}"
             for field in ("emotion_score", "severity") if card.get(field) is not None]
    if card.get("channel"):
        parts.append(card["channel"])
    return " · ".join(parts)


@register.filter
def field_changes(change: dict) -> list[str]:
    """Feeling −2 → −1: each changed field but the text, which the page shows itself."""
    return [f"{FIELD_LABELS[field]} {_value(field, change['before'][field])} → "
            f"{_value(field, change['after'][field])}"
            for field in change["fields"] if field != "text"]
