"""Filters written the way PostgreSQL plans them well.

- `of_keys`: rows whose key is one of a list, as one array (`key = ANY(%s)`): the planner
  reads how many keys there are, and the query holds one placeholder, not one a key (binding
  a hundred placeholders cost more than the query). `key IN (subquery)` let it guess: it took
  the reader's maps for one and walked every card of every map, or walked the card table
  through the map index, taking a hundred maps for ten.
- `KeyAmong`: `key = ANY(ARRAY(subquery))`: the subquery runs once, first, and each key it
  gives is looked up by the index (as `key IN (subquery)`, 500 keys were met by scanning the
  whole table).
"""

from django.db import connections
from django.db.models import BooleanField, F, Func, QuerySet, Value


class KeyAmong(Func):
    """`key = ANY(ARRAY(subquery))`, for PostgreSQL."""

    arg_joiner = " = ANY(ARRAY("
    template = "%(expressions)s))"
    output_field = BooleanField()


class _AnyOf(Func):
    arg_joiner = " = ANY("
    template = "%(expressions)s::bigint[])"
    output_field = BooleanField()


def of_keys(rows: QuerySet, field: str, keys: list[int]) -> QuerySet:
    """The rows whose `field` is one of `keys`."""
    if connections[rows.db].vendor != "postgresql":
        return rows.filter(**{f"{field}__in": keys})
    # As the array's text ('{1,2,3}'): an ArrayField would prepare each key, in every query.
    array = Value("{" + ",".join(str(int(key)) for key in keys) + "}")
    return rows.filter(_AnyOf(F(field), array))
