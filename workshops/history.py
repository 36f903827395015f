"""A map change in words, for messages the server writes ("Bob moved the card “Compares
prices”"). The board's history panel words events itself (static/js/history.js), with the
stage and lane names it has at hand."""

from .models import MapEvent
from .realtime import secrecy
from .realtime.broadcast import event_message

VERBS = {
    "created": "added",
    "updated": "changed",
    "moved": "moved",
    "deleted": "deleted",
    "imported": "imported",
}
SNIPPET = 40


def describe(event: MapEvent) -> str:
    """What the change did, without who: "moved the card “Compares prices”"."""
    thing, _, verb = event.type.partition(".")
    if event.type == "map.restored":  # documents/versions.py
        return f"restored the version “{snippet(event.payload['version']['name'])}”"
    if event.type == "map.reviewed":
        return "marked the map reviewed"
    if event.type in ("map.archived", "map.unarchived"):  # services/maps.py
        return "archived the map" if verb == "archived" else "brought the map back from the archive"
    if event.type == "evidence.masking_set":  # evidence/masking.py
        on = "on" if event.payload.get("mask_personal_data") else "off"
        return f"turned {on} the masking of personal data in evidence text"
    return f"{VERBS.get(verb, verb.replace('_', ' '))} {_name(thing, event.payload)}"


def _name(thing: str, payload: dict) -> str:
    obj = payload.get(thing)
    if thing in ("card", "comment") and isinstance(obj, dict):
        return f"the {thing} “{snippet(obj.get('text', ''))}”"
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


def events_page(
    map, *, viewer, since: int = 0, before: int | None = None, actor: int | None = None, limit: int
) -> tuple[list[dict], bool]:
    """A page of the map's history as `viewer` may read it, and whether there is more.

    With `before`: the newest `limit` changes before that revision, newest first (the history
    panel's pages). Otherwise those after `since`, oldest first (catching up). `actor` keeps
    one person's changes; their secret ones (a dot, a private card) are left out, not blanked,
    so that the filter does not tell that they did something secret.
    """
    events = map.events.select_related("actor")
    if actor is not None:
        # Left out in the query, before the page is cut: a short page, or a `more`, must not
        # tell that this person did something secret.
        events = secrecy.readable_by(events.filter(actor_id=actor), viewer)
    if before is None:
        events = events.filter(revision__gt=since).order_by("revision")
    else:
        events = events.filter(revision__lt=before).order_by("-revision")
    page = list(events[: limit + 1])
    messages = [event_message(event, viewer=viewer) for event in page[:limit]]
    return messages, len(page) > limit
