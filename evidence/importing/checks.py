"""The checks a mapping gets, shared by the long and wide plans: columns that exist, fields the
kind has, values fixed for every row, the date order; and the cleaning of a row's values through
`evidence.fields.clean`, the check a single piece gets."""

from typing import NoReturn

from django.core.exceptions import ValidationError

from evidence import fields
from evidence.models import Kind, ScoreScale
from workshops.services.checks import refuse

from . import dates

KINDS = tuple(kind for kind in Kind.values if kind != Kind.IMAGE)
SCALES = tuple(ScoreScale.values)
NAME_MAX = 200
# What a wide row fills per respondent (or per report row) besides what the plan itself fills.
ROW_FIELDS = {
    Kind.SURVEY: ("collected_on", "note", "segment", "source"),
    Kind.METRIC: ("collected_on", "note", "period", "source", "target"),
}


def refuse_mapping(message: str) -> NoReturn:
    """The mapping (the user's or the proposal) cannot be used: nothing is read."""
    refuse("mapping", message)


def cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def column_index(header: list[str], column, what: str = "") -> int:
    if not isinstance(column, str) or column not in header:
        refuse_mapping(f"The file has no column {column!r}{what}.")
    return header.index(column)


def optional_index(header, column, what: str = "") -> int | None:
    return None if column in (None, "") else column_index(header, column, what)


def date_order(mapping: dict, recognised, date_index: int | None) -> str | None:
    order = mapping.get("date_order")
    if order not in (None, *dates.ORDERS):
        refuse_mapping(f"date_order is one of {', '.join(dates.ORDERS)} (or null), not {order!r}.")
    if order is None and date_index is not None:
        # Not given: let the whole column decide, as the preview does.
        order, _ = dates.order_of(cell(cells, date_index) for _, cells in recognised.data_rows())
    return order


def fixed_values(mapping: dict, kind: str, allowed, taken) -> dict:
    """Values the same for every row ({"source": "Typeform"}), checked as a piece's would be."""
    fixed = mapping.get("fixed") or {}
    if not isinstance(fixed, dict):
        refuse_mapping('Give "fixed" as {field: value}.')
    checks = {**fields.COMMON, **fields.FIELDS[kind]}
    for name, value in fixed.items():
        if name not in allowed:
            refuse_mapping(
                f"fixed: {name!r} is not a field to fix for {kind}; "
                f"choose from {', '.join(allowed)}."
            )
        if name in taken:
            refuse_mapping(f"fixed: {name!r} is also mapped to a column; keep one.")
        try:
            checks[name](value)
        except fields.Invalid as error:
            refuse_mapping(f"fixed {name}: {error}")
    return dict(fixed)


def row_columns(mapping: dict, header, kind: str) -> dict[str, int]:
    """{field: index} of a wide mapping's per-row columns ("columns": {column: field})."""
    allowed = ROW_FIELDS[kind]
    chosen = mapping.get("columns") or {}
    if not isinstance(chosen, dict):
        refuse_mapping('Give "columns" as {column: field}.')
    found = {}
    for column, name in chosen.items():
        if name in (None, ""):
            continue
        index = column_index(header, column)
        if name not in allowed:
            refuse_mapping(
                f"Column {column!r}: {name!r} is not a field of each row here; "
                f"choose from {', '.join(allowed)}."
            )
        if name in found:
            refuse_mapping(f"Two columns are mapped to {name!r}.")
        found[name] = index
    return found


def date_of(raw: str, order: str | None):
    """A date cell as a date, or None with nothing to say; Invalid for a date it cannot read."""
    if not raw:
        return None
    try:
        return dates.parse(raw, order)
    except fields.Invalid:
        if dates.is_date(raw):
            raise
        return raw  # not a date at all: fields.date says so in the words a single piece gets


def shared_values(plan, cells: list[str]) -> dict:
    """A wide row's values for all its pieces: the fixed ones and the row's own columns."""
    shared = {**plan.fixed, **{name: cell(cells, index) for name, index in plan.columns.items()}}
    if "collected_on" in plan.columns:
        shared["collected_on"] = date_of(shared["collected_on"], plan.date_order)
    return shared


def clean(kind: str, values: dict, prefix: str = "", *, mask: bool = True):
    try:
        return fields.clean(kind, values, mask=mask), None
    except ValidationError as error:
        errors = error.message_dict
        if prefix:
            errors = {
                name: [f"{prefix}: {m}" for m in messages] for name, messages in errors.items()
            }
        return None, errors
