"""A map change in words, for messages the server writes ("Bob moved the card “Compares
prices”"). The board's history panel words events itself (static/js/history.js), with the
stage and lane names it has at hand."""

from .models import MapEvent

VERBS = {"created": "added", "updated": "changed", "moved": "moved", "deleted": "deleted",
         "imported": "imported"}
SNIPPET = 40


def describe(event: MapEvent) -> str:
    """What the change did, without who: "moved the card “Compares prices”"."""
    thing, _, verb = event.type.partition(".")
    return f"{VERBS.get(verb, verb.replace('_', ' '))} {_name(thing, event.payload)}"


def _name(thing: str, payload: dict) -> str:
    obj = payload.get(thing)
    if thing == "card" and isinstance(obj, dict):
        return f"the card “{snippet(obj.get('text', ''))}”"
    if thing in ("stage", "lane") and isinstance(obj, dict):
        return f"the {thing} “{snippet(obj.get('title', ''))}”"
    if thing == "map":
        return "the map's title or description"
    if thing == "evidence":
        return "a piece of evidence"
    return f"the {thing}"


def snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"
