"""What the search looks through: one small function per kind of text, registered with `source`.

Each function answers one question: which rows may this reader find, of the maps they may read
(`readable_maps`, their keys)? It says it with the read filters the rest of the tool uses
(JourneyMap.objects.for_user, Card.objects.visible_to, Comment.objects.visible_to), never with a
rule of its own, so that the search shows no more than the board does: nothing of a workshop
one is not a member of, no one else's private card (nor what hangs on it) before the reveal.
The decorator says which fields hold its text, how a match there weighs against one elsewhere,
how a result is named, and where on the board it opens.

Adding a kind of text is one more function here; on PostgreSQL its fields want an index too
(migrations/, as for the others), or it is searched without one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from evidence.models import Evidence
from workshops.models import Card, Comment, JourneyMap

from .planning import of_keys


@dataclass(frozen=True)
class Source:
    kind: str
    fields: tuple[str, ...]  # the texts searched, in the order a snippet prefers them
    weight: float  # a match here against one in another source: titles weigh most
    rows: Callable[..., QuerySet]  # (reader, readable maps) -> what the reader may find
    label: Callable[..., str]  # row -> what the result is, in words
    focus: Callable[..., tuple[str, int] | None]  # row -> ("card" | "stage", id) to open at


SOURCES: list[Source] = []


def source(kind: str, *, fields: tuple[str, ...], weight: float, label, focus=lambda row: None):
    def register(rows):
        SOURCES.append(Source(kind, fields, weight, rows, label, focus))
        return rows

    return register


def readable_maps(reader, *, archived: bool = False) -> list[int]:
    """The keys of the maps of the workshops `reader` is a member of: those in use, or the
    archived ones."""
    maps = JourneyMap.objects.for_user(reader)
    return list((maps.archived() if archived else maps.active()).values_list("pk", flat=True))


def visible_cards(reader) -> QuerySet:
    return Card.objects.visible_to(reader)


@source("map", fields=("title", "description"), weight=1.0, label=lambda row: "Map")
def map_titles(reader, maps: list[int]) -> QuerySet:
    return of_keys(JourneyMap.objects.select_related("workshop"), "pk", maps)


@source(
    "card",
    fields=("text",),
    weight=0.8,
    label=lambda card: f"{card.lane.title} · {card.stage.title}",
    focus=lambda card: ("card", card.pk),
)
def cards(reader, maps: list[int]) -> QuerySet:
    return of_keys(
        visible_cards(reader).select_related("map__workshop", "stage", "lane"), "map_id", maps
    )


def _evidence_label(piece: Evidence) -> str:
    where = piece.card.text[:60] if piece.card_id else piece.stage.title
    return f"{piece.get_kind_display()} · {where}"


EVIDENCE = {
    "fields": ("name", "question", "answer", "text", "who", "caption", "note"),
    "weight": 0.6,
    "label": _evidence_label,
}


def _evidence(maps: list[int]) -> QuerySet:
    pieces = Evidence.objects.select_related("map__workshop", "stage", "card")
    return of_keys(pieces, "map_id", maps)


@source("evidence", **EVIDENCE, focus=lambda piece: ("stage", piece.stage_id))
def stage_evidence(reader, maps: list[int]) -> QuerySet:
    return _evidence(maps).filter(card__isnull=True)


@source("evidence", **EVIDENCE, focus=lambda piece: ("card", piece.card_id))
def card_evidence(reader, maps: list[int]) -> QuerySet:
    # A piece on a card is found when its card is: the board shows it on no other. (A source
    # of its own, not an OR beside the stages' pieces: so the database joins each piece found
    # to its card instead of first listing every card the reader may see.)
    return _evidence(maps).filter(card__in=visible_cards(reader))


def _comment_label(comment: Comment) -> str:
    author = comment.author
    who = (author.get_full_name() or author.username) if author else "someone who left"
    where = comment.card.text[:60] if comment.card_id else comment.stage.title
    return f"Comment by {who} · {where}"


def _on_its_thread(comment: Comment) -> tuple[str, int]:
    return ("card", comment.card_id) if comment.card_id else ("stage", comment.stage_id)


@source("comment", fields=("text",), weight=0.5, label=_comment_label, focus=_on_its_thread)
def comments(reader, maps: list[int]) -> QuerySet:
    # A comment follows the secrecy of its card (Comment.objects.visible_to).
    found = Comment.objects.visible_to(reader).select_related(
        "map__workshop", "card", "stage", "author"
    )
    return of_keys(found, "map_id", maps)
