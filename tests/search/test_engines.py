"""How each database finds: PostgreSQL through its indexes, SQLite through Python's reading."""

import importlib

import pytest
from django.db import connection

from search import engines
from search.query import parse
from search.sources import SOURCES, readable_maps

INDEXES = [
    index
    for name in ("0001_full_text_indexes", "0002_comment_index")
    for index in importlib.import_module(f"search.migrations.{name}").INDEXES
]
INDEXED = {(model, fields): name for _, model, name, fields in INDEXES}
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's full-text indexes"
)


def index_of(source, reader) -> str:
    """The name of the source's index in search/migrations/: the same model, the same fields."""
    model = source.rows(reader, []).model.__name__
    return INDEXED[model, source.fields]


def test_every_source_has_a_full_text_index_on_its_fields(carol):
    assert all(index_of(source, carol) for source in SOURCES)


@on_postgresql
def test_every_source_s_document_is_the_expression_its_index_holds(carol, card):
    """Else PostgreSQL reads every text again for each search."""
    from django.contrib.postgres.search import SearchQuery

    tsquery = SearchQuery(parse("cart").tsquery(), search_type="raw", config=engines.CONFIG)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: force the choice
    for source in SOURCES:
        rows = source.rows(carol, []).model.objects.all()
        rows = rows.annotate(search_document=engines.document(source.fields))
        plan = rows.filter(search_document=tsquery).explain()
        assert index_of(source, carol) in plan, plan


def test_a_word_with_letters_sqlite_cannot_fold_is_still_found(carol, bob, write_card):
    card = write_card("ÜBER die Größe", actor=bob)
    maps = readable_maps(carol)
    (cards,) = [source for source in SOURCES if source.kind == "card"]

    found = engines.find(cards, cards.rows(carol, maps), parse("über größe"), 5)

    assert [row.pk for row, _ in found] == [card]
