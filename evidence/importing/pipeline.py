"""The row pipeline: a file and its mapping to clean pieces, one row at a time.

`check()` reads the file, recognises it, checks the mapping and the stage choice (raising a
ValidationError before any row), and returns an iterator that yields, as it reads each data row,
`Piece(row, stage_id, kind, values)` for each piece the row gives, with values already through
`evidence.fields.clean` (masked unless `mask` is false), or `Failure(row, {field: [messages]})`.
A wide survey row yields one piece per answered question, and may yield pieces and failures both
(each answer stands alone). The iterator also says what is kept of the personal columns the
mapping uses (`personal()`). Nothing is written: storing the pieces is the service's.
"""

from collections.abc import Iterator
from typing import NamedTuple

from workshops.services.checks import refuse

from . import personal, plans, reading, sources


class Piece(NamedTuple):
    row: int
    stage_id: int
    kind: str
    values: dict


class Failure(NamedTuple):
    row: int
    errors: dict


def check(
    data: bytes,
    mapping: dict,
    *,
    stages: list[tuple[int, str]],
    stage_id: int | None = None,
    stage_column: str | None = None,
    kind: str | None = None,
    mask: bool = True,
) -> "Outcomes":
    """`stages` are the map's (id, title); `kind` is for today's flat {column: field} mapping;
    `mask` masks personal data in the pieces' text (evidence/masking.py)."""
    recognised = sources.recognise(reading.read(data))
    plan = plans.compile_plan(mapping, recognised, kind, mask=mask)
    stage_of = _stage_finder(recognised.header, stages, stage_id, stage_column)
    return Outcomes(recognised, plan, stage_of)


class Outcomes(Iterator):
    """The pieces and failures of a file's rows, read as they are asked for."""

    def __init__(self, recognised, plan, stage_of):
        self.recognised, self.plan = recognised, plan
        self._rows = _rows(recognised, plan, stage_of)

    def __next__(self) -> Piece | Failure:
        return next(self._rows)

    def personal(self) -> list[str]:
        """What is kept of each column with personal data that the mapping uses, in words
        ("the column Email is mapped: e-mail addresses will be masked ([e-mail])")."""
        return personal.mapped(self.recognised, self.plan.used(), mask=self.plan.mask)


def count_rows(data: bytes) -> int:
    """How many data rows the file holds (extra header and comment rows not counted)."""
    return sum(1 for _ in sources.recognise(reading.read(data)).data_rows())


def _rows(recognised, plan, stage_of) -> Iterator[Piece | Failure]:
    for number, cells in recognised.data_rows():
        outcomes = plan.outcomes(cells)
        if not outcomes:
            continue
        stage, stage_error = stage_of(cells)
        if stage_error:
            # The row's own errors and its stage's, in one report, as a single piece would get.
            errors = next((errors for values, errors in outcomes if errors), {})
            yield Failure(number, {**errors, "stage": [stage_error]})
            continue
        for values, errors in outcomes:
            yield (
                Piece(number, stage, plan.kind, values)
                if errors is None
                else Failure(number, errors)
            )
    for number, (_, errors) in plan.finish():
        yield Failure(number, errors)


def _stage_finder(header: list[str], stages, stage_id, stage_column):
    """A function of a row's cells giving (stage id, error): one stage for all, or a column."""
    if (stage_id is None) == (stage_column in (None, "")):
        refuse(
            "stage", "Choose one stage for every row, or the column that names each row's stage."
        )
    if stage_id is not None:
        if stage_id not in {pk for pk, _ in stages}:
            refuse("stage", f"No stage {stage_id} on this map.")
        return lambda cells: (stage_id, None)
    if stage_column not in header:
        refuse("stage_column", f"The file has no column {stage_column!r}.")
    index = header.index(stage_column)
    by_title = {}
    for pk, title in stages:
        by_title.setdefault(title.strip().casefold(), pk)

    def find(cells):
        title = plans.cell(cells, index)
        found = by_title.get(title.casefold())
        return (found, None) if found else (None, f"No stage named {title[:100]!r} on this map.")

    return find
