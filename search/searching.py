"""One search across the workshops a person belongs to: the API and the page both ask here.

Each source (sources.py) gives its best few for the query (engines.py), ranked by the database's
relevance times the source's weight; the best of all of them come back, each with a snippet
and the board link that opens on it. A reader finds what their board would show them, and
nothing else.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString

from . import engines
from .query import Query, parse
from .snippets import snippet
from .sources import SOURCES, Source, readable_maps

LIMIT_DEFAULT, LIMIT_MAX = 20, 50


@dataclass(frozen=True)
class Result:
    kind: str
    id: int
    label: str
    snippet: SafeString
    map: dict
    workshop: dict
    card: int | None
    stage: int | None
    url: str


@dataclass(frozen=True)
class Found:
    query: str
    results: list[Result]
    more: bool  # there are more results than the limit


def search(reader, text: str, *, limit: int = LIMIT_DEFAULT, archived: bool = False) -> Found:
    """The best `limit` results for `text` (ValidationError when it is no query, query.parse)."""
    query = parse(text)
    maps = readable_maps(reader, archived=archived)
    ranked = []
    for order, source in enumerate(SOURCES if maps else []):
        for row, rank in engines.find(source, source.rows(reader, maps), query, limit + 1):
            ranked.append((-rank * source.weight, order, row.pk, source, row))
    ranked.sort(key=lambda item: item[:3])
    results = [_result(source, row, query) for *_, source, row in ranked[:limit]]
    return Found(text, results, more=len(ranked) > limit)


def _result(source: Source, row, query: Query) -> Result:
    journey_map = row if source.kind == "map" else row.map
    focus = source.focus(row)
    url = reverse("map-board", args=[journey_map.pk])
    return Result(
        kind=source.kind,
        id=row.pk,
        label=source.label(row),
        snippet=snippet(query, [getattr(row, field) or "" for field in source.fields]),
        map={"id": journey_map.pk, "title": journey_map.title},
        workshop={"id": journey_map.workshop_id, "name": journey_map.workshop.name},
        card=focus[1] if focus and focus[0] == "card" else None,
        stage=focus[1] if focus and focus[0] == "stage" else None,
        url=f"{url}#{focus[0]}-{focus[1]}" if focus else url,
    )
