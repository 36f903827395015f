"""What each person may see of a map's changes before the facilitator reveals them.

Some changes are secret: a dot placed or taken back (until the vote closes), and anything done to
a card made during private brainstorming (until the reveal). They still take a revision, so the
others get an event for it, with nothing in it: `{"event": "hidden"}`.

A change's payload is sealed when it is recorded (services/pipeline.py, record): two keys, never
sent, say who may read what.
- `_owner`: the user id who alone may read the whole event (a voter, a private card's author).
- `_private`: `[[card id, author id], ...]`, the private cards the payload mentions, which are
  taken out of card lists (`cards`, `from`/`to` `card_ids`) for everyone but their author.

Every way an event leaves the server goes through redact(), by way of
broadcast.event_message(event, viewer=...): the live board, catch-up, the REST history.
"""

from django.db.models import Q

from ..models import Card

OWNER = "_owner"
PRIVATE = "_private"


def seal(map, payload: dict) -> dict:
    """The payload with its secrets marked, to be stored and later redacted per reader."""
    private = dict(_private_cards(payload))
    if map.controls.get("private"):
        # Cell orders name cards by id alone; private cards exist only while the mode is on.
        listed = _listed_ids(payload) - private.keys()
        if listed:
            private |= dict(
                Card.objects.filter(map=map, pk__in=listed, private=True).values_list(
                    "pk", "author_id"
                )
            )
    if not private:
        return payload
    sealed = {**payload, PRIVATE: sorted([card, author] for card, author in private.items())}
    card = payload.get("card")
    if isinstance(card, dict) and card.get("private"):
        sealed[OWNER] = card.get("author")
    return sealed


def _private_cards(payload: dict):
    cards = payload.get("cards") if isinstance(payload.get("cards"), list) else []
    for card in [payload.get("card"), *cards]:
        if isinstance(card, dict) and card.get("private"):
            yield card["id"], card.get("author")


def _listed_ids(payload: dict) -> set[int]:
    ids = set()
    for side in ("from", "to"):
        if isinstance(payload.get(side), dict):
            ids.update(payload[side].get("card_ids", []))
    return ids


def readable_by(events, viewer: int | None):
    """The events `viewer` may read at all (the query form of redact's hiding): without the
    secret changes of others, whose whole event is theirs alone."""
    secret = Q(**{"payload__has_key": OWNER}) & ~Q(**{f"payload__{OWNER}": viewer})
    return events.exclude(secret)


def audience(payload: dict) -> set[int]:
    """The people who see more of this event than everyone else does."""
    readers = {author for _, author in payload.get(PRIVATE, [])}
    readers.add(payload.get(OWNER))
    readers.discard(None)
    return readers


def _may_read(author, viewer) -> bool:
    return author is not None and author == viewer


def redact(message: dict, viewer: int | None) -> dict:
    """The event message as `viewer` (a user id; None: nobody in particular) may read it."""
    payload = message.get("payload") or {}
    if OWNER not in payload and PRIVATE not in payload:
        return message
    if OWNER in payload and not _may_read(payload[OWNER], viewer):
        return hidden(message)
    secret = {card for card, author in payload.get(PRIVATE, []) if not _may_read(author, viewer)}
    return {**message, "payload": _without(payload, secret)}


def hidden(message: dict) -> dict:
    """A revision with nothing in it: not who, not what, not which card."""
    return {
        "type": "event",
        "map": message["map"],
        "revision": message["revision"],
        "event": "hidden",
        "actor": None,
        "op": None,
        "at": None,
        "payload": {},
    }


def _without(payload: dict, secret: set[int]) -> dict:
    clean = {key: value for key, value in payload.items() if key not in (OWNER, PRIVATE)}
    if isinstance(clean.get("cards"), list):
        clean["cards"] = [card for card in clean["cards"] if card.get("id") not in secret]
    for side in ("from", "to"):
        if isinstance(clean.get(side), dict) and "card_ids" in clean[side]:
            ids = [card for card in clean[side]["card_ids"] if card not in secret]
            clean[side] = {**clean[side], "card_ids": ids}
    return clean
