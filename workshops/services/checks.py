"""The one validation kit: every service that refuses input refuses it through these.

A refusal is Django's ValidationError with a dict naming the field ({"title": ["..."]}), which
the API, the socket, the pages and the admin each translate in one place. The messages are for
a person: they say what is wrong and what would be right.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.db.models.functions import Length

from ..models import Card


def refuse(field: str, message: str):
    """Refuse the input of one field; nothing has changed."""
    raise ValidationError({field: [message]})


def text(field: str, value, *, max_length: int, required: bool = False) -> str:
    if not isinstance(value, str):
        refuse(field, "Must be text.")
    value = value.strip() if required else value
    if required and not value:
        refuse(field, "This field may not be blank.")
    if len(value) > max_length:
        refuse(field, f"At most {max_length} characters (got {len(value)}).")
    return value


def is_whole_number(value) -> bool:
    """JSON's true is not 1 here, though Python's is."""
    return isinstance(value, int) and not isinstance(value, bool)


def whole_number(field: str, value, allowed: range, what: str) -> int:
    if not is_whole_number(value) or value not in allowed:
        refuse(field, f"{what} must be a whole number from {allowed[0]} to {allowed[-1]}.")
    return value


def whole_number_or_none(field: str, value, allowed: range, what: str) -> int | None:
    return None if value is None else whole_number(field, value, allowed, what)


def position(value, upper: int) -> int:
    """A place among siblings, 0 to `upper`."""
    return whole_number("position", value, range(0, upper + 1), "Position")


def boolean(field: str, value) -> bool:
    if not isinstance(value, bool):
        refuse(field, "Must be true or false.")
    return value


def choice(field: str, value, choices) -> str:
    if value not in choices.values:
        refuse(field, f"Unknown {field} {value!r}; choose one of {', '.join(choices.values)}.")
    return value


def object_id(field: str, value) -> int:
    if not is_whole_number(value):
        refuse(field, f"Must be the id of a {field} of this map.")
    return value


def only(changes: dict, allowed) -> None:
    """Refuse fields a service does not change: a misspelt field must not pass in silence."""
    for field in changes:
        if field not in allowed:
            refuse(field, "This field cannot be changed here.")


def set_texts(obj, values: dict, limits: dict) -> list[str]:
    """Validate and set text fields by their (max length, required) limits; return the names
    of those whose value changed."""
    only(values, limits)
    changed = []
    for field, value in values.items():
        max_length, required = limits[field]
        value = text(field, value, max_length=max_length, required=required)
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed.append(field)
    return changed


def find_on_map(map, model, pk, field: str, actor=None):
    """The stage, lane or card `pk` of this map, or a refusal naming `field`."""
    object_id(field, pk)
    # Every card event names its author.
    objects = model.objects.select_related("author") if model is Card else model.objects
    try:  # get(), not first(): no ORDER BY on the busiest lookup of a live board
        found = objects.get(map=map, pk=pk)
    except model.DoesNotExist:
        found = None
    if found is None or not visible_to(found, actor):
        refuse(field, f"No {field} {pk} on this map.")
    return found


def visible_to(obj, actor) -> bool:
    """Someone else's private card answers as a card that does not exist: its existence must
    not leak before the reveal (the rule of Card.objects.visible_to, on one card in hand)."""
    if not isinstance(obj, Card) or not obj.private:
        return True
    return actor is not None and actor.is_authenticated and obj.author_id == actor.pk


def within_size_limits(map) -> None:
    """Refuse a change that took the map past its size (settings.MAP_MAX_CARDS cards,
    MAP_MAX_CARD_TEXT characters of card text, docs/realtime.md "Limits"). Called after the
    change's writes, inside its transaction: the refusal undoes all of it."""
    size = Card.objects.filter(map=map).aggregate(cards=Count("pk"), text=Sum(Length("text")))
    cards, text = size["cards"], size["text"] or 0
    if cards > settings.MAP_MAX_CARDS:
        refuse(
            "map",
            f"A map holds at most {settings.MAP_MAX_CARDS:,} cards, and this change would make "
            f"it {cards:,}: delete some, or carry on in another map.",
        )
    if text > settings.MAP_MAX_CARD_TEXT:
        refuse(
            "text",
            f"A map holds at most {settings.MAP_MAX_CARD_TEXT:,} characters of card text, and "
            f"this change would make it {text:,}: shorten or delete some cards, or carry on in "
            "another map.",
        )
