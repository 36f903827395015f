"""Template helpers of the versions and compare pages and the PDF's comparison: what a card
carries beside its text, and what changed of it."""

from django import template

from ..numbers import signed

register = template.Library()

FIELD_LABELS = {"emotion_score": "Feeling", "severity": "Severity", "channel": "Channel"}


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
    parts = [
        f"{FIELD_LABELS[field]} {_value(field, card.get(field))}"
        for field in ("emotion_score", "severity")
        if card.get(field) is not None
    ]
    if card.get("channel"):
        parts.append(card["channel"])
    return " · ".join(parts)


@register.filter
def field_changes(change: dict) -> list[str]:
    """Feeling −2 → −1: each changed field but the text, which the page shows itself."""
    return [
        f"{FIELD_LABELS[field]} {_value(field, change['before'][field])} → "
        f"{_value(field, change['after'][field])}"
        for field in change["fields"]
        if field != "text"
    ]
