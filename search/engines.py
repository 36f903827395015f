"""Finding and ranking the rows of one source that answer a query, the way each database can.

PostgreSQL: its full-text search. A source's fields make one document, `to_tsvector('simple',
...)`, indexed by a GIN index on that very expression (migrations/), matched against the query
as a tsquery with `@@` and ranked by ts_rank, all in the database, which returns the best few.
The 'simple' configuration lowercases words without stemming them: maps are written in any
language, and an English stemmer would cut German or Czech words wrongly; the query's prefix
matching (query.py) finds the longer forms of a word instead.

Other databases (SQLite, for trying the tool and for tests): the database keeps the rows that
hold every word of the query somewhere (icontains: a superset), and query.py's own reading of
words decides which match and how well, as PostgreSQL's parser and ts_rank would. The two
agree on words, phrases, `or` and `-`; they may differ on what PostgreSQL's parser takes for
one word (e-mail addresses, paths, decimal numbers), which PostgreSQL keeps whole.
"""

import functools
import math
import operator

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import F, Q, QuerySet, Subquery, Value

from .planning import KeyAmong
from .query import Query, words_of
from .sources import Source

CONFIG = "simple"
# Ranking costs a document's words read again, for each text found. A query that finds more
# texts of one source than this (a word like "the") ranks the newest of them, here as there.
RANKED_MAX = 500
# A word found in a short text (a card's few words) counts more than in a long one (an answer).
LENGTH_NORMALIZED = 1


def document(fields: tuple[str, ...]) -> SearchVector:
    """A source's fields as one tsvector: the expression its index is built on, the same."""
    return SearchVector(*fields, config=CONFIG)


def find(source: Source, rows: QuerySet, query: Query, limit: int) -> list[tuple[object, float]]:
    """The best `limit` rows of `rows` for `query`, each with its rank, best first."""
    if connections[rows.db].vendor == "postgresql":
        return _full_text(source, rows, query, limit)
    return _in_python(source, rows, query, limit)


def _full_text(source, rows, query, limit):
    tsquery = SearchQuery(query.tsquery(), search_type="raw", config=CONFIG)
    vector = document(source.fields)
    matching = rows.annotate(search_document=vector).filter(search_document=tsquery)
    newest = matching.order_by("-pk").values("pk")[:RANKED_MAX]
    ranked = (
        rows.filter(KeyAmong(F("pk"), Subquery(newest)))
        .annotate(search_rank=SearchRank(vector, tsquery, normalization=Value(LENGTH_NORMALIZED)))
        .order_by("-search_rank", "pk")
    )
    return [(row, row.search_rank) for row in ranked[:limit]]


def _in_python(source, rows, query, limit):
    matching = []
    for row in rows.filter(_holding_every_word(query, source.fields)).order_by("-pk"):
        text = " ".join(getattr(row, field) or "" for field in source.fields)
        if query.matches(text):
            matching.append((row, query.score(text) / _length_norm(text)))
            if len(matching) == RANKED_MAX:
                break
    matching.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return matching[:limit]


def _length_norm(text: str) -> float:
    """ts_rank's normalization 1, as PostgreSQL computes it: the log2 of 1 + the length."""
    return math.log2(len(words_of(text)) + 1) or 1.0


def _holding_every_word(query: Query, fields: tuple[str, ...]) -> Q:
    """Rows whose fields hold each word of each clause (of one of its terms) as a substring."""
    wanted = Q()
    for clause in query.clauses:
        held = [_holding(term, fields) for term in clause]
        if all(held):  # an empty Q, a term of non-ASCII words alone, holds anything
            wanted &= functools.reduce(operator.or_, held)
    return wanted


def _holding(term, fields) -> Q:
    held = Q()
    for token in (token for parts in term.tokens for token in parts):
        if token.isascii():  # SQLite's LIKE ignores the case of ASCII letters only
            anywhere = Q()
            for field in fields:
                anywhere |= Q(**{f"{field}__icontains": token})
            held &= anywhere
    return held
