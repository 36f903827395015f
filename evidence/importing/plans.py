"""A mapping checked against the file and turned into a plan: what each data row becomes.

Every mistake in the mapping is found here, before any row is read, and named with its column:
an unknown column, a field the kind does not have, a required field left unmapped, an unknown
scale. Rows then become clean values through `evidence.fields.clean`, the check a single piece
gets, or errors by field. A long row is one piece; a wide survey row is one piece per answered
question (an empty answer is no piece and no failure); a wide metric row is one piece per number
column.
"""

from dataclasses import dataclass

from evidence import fields
from evidence.models import Kind
from workshops.services.checks import refuse

from . import wideplans
from .checks import (
    KINDS,
    cell,
    clean,
    column_index,
    date_of,
    date_order,
    fixed_values,
    refuse_mapping,
)

KEYS = {"shape", "kind", "columns", "fixed", "date_order"}  # every structured mapping's
SHAPE_KEYS = {
    "long": {"empty"},
    "survey": {"questions"},
    "metric": {"label", "values", "comparison", "sample_size"},
}


def check_kind(kind) -> str:
    if kind not in KINDS:
        refuse("kind", f"Import evidence of a kind: {', '.join(KINDS)}.")
    return kind


def is_structured(mapping) -> bool:
    return isinstance(mapping, dict) and mapping.get("shape") in ("long", "wide")


def _known_keys(mapping: dict, kind: str):
    """A misspelt key ("colums") would otherwise be ignored and the import go wrong quietly."""
    allowed = KEYS | SHAPE_KEYS["long" if mapping["shape"] == "long" else kind]
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        refuse_mapping(
            f"Unknown key {unknown[0]!r} in the mapping; its keys are {', '.join(sorted(allowed))}."
        )


def compile_plan(mapping, recognised, kind: str | None = None, *, mask: bool = True):
    """The plan for `mapping` (structured, or today's flat {column: field} with `kind`);
    `mask` masks personal data in the text of its pieces (evidence/masking.py)."""
    plan = _plan(mapping, recognised, kind)
    plan.mask = mask
    return plan


def _plan(mapping, recognised, kind: str | None):
    if not isinstance(mapping, dict):
        refuse_mapping("Give the mapping as a JSON object.")
    if not is_structured(mapping):
        return LongPlan.build({"columns": mapping}, recognised, check_kind(kind))
    if kind and mapping.get("kind") != kind:
        refuse("kind", f"The mapping is for {mapping.get('kind')!r} evidence, not {kind!r}.")
    kind = check_kind(mapping.get("kind"))
    _known_keys(mapping, kind)
    if mapping["shape"] == "long":
        return LongPlan.build(mapping, recognised, kind)
    if kind == Kind.SURVEY:
        return wideplans.SurveyPlan.build(mapping, recognised)
    if kind == Kind.METRIC:
        return wideplans.MetricPlan.build(mapping, recognised)
    refuse_mapping(f"A wide mapping is for survey answers or metrics, not {kind}.")


@dataclass
class LongPlan:
    """One row, one piece: {column: field}, as the CSV import has always read a table."""

    kind: str
    columns: dict[str, int]
    fixed: dict
    date_order: str | None
    skip_empty: bool
    mask: bool = True

    @classmethod
    def build(cls, mapping: dict, recognised, kind: str) -> "LongPlan":
        chosen = mapping.get("columns")
        if not isinstance(chosen, dict):
            refuse_mapping("Give the mapping as {column: field}.")
        allowed = {**fields.FIELDS[kind], **fields.COMMON}
        found = {}
        for column, name in chosen.items():
            if name in (None, ""):
                continue
            index = column_index(recognised.header, column)
            if name not in allowed:
                refuse_mapping(
                    f"{name!r} is not a field of {kind}; choose from {', '.join(allowed)}."
                )
            if name in found:
                refuse_mapping(f"Two columns are mapped to {name!r}.")
            found[name] = index
        fixed = fixed_values(mapping, kind, list(allowed), found)
        missing = [
            name for name in fields.REQUIRED[kind] if name not in found and name not in fixed
        ]
        if missing:
            refuse_mapping(f"Map a column to {', '.join(missing)}: every row needs it.")
        if mapping.get("empty", "fail") not in ("fail", "skip"):
            refuse_mapping(
                '"empty" is "fail" (a row without its required cells is reported) or "skip".'
            )
        order = date_order(mapping, recognised, found.get("collected_on"))
        return cls(kind, found, fixed, order, mapping.get("empty") == "skip")

    def outcomes(self, cells: list[str]):
        values = {name: cell(cells, index) for name, index in self.columns.items()}
        if self.skip_empty and not any(values.get(name) for name in fields.REQUIRED[self.kind]):
            return []
        try:
            if values.get("collected_on"):
                values["collected_on"] = date_of(values["collected_on"], self.date_order)
        except fields.Invalid as error:
            # Still check the other cells, so the row's report names all that is wrong with it.
            del values["collected_on"]
            _, errors = clean(self.kind, {**self.fixed, **values}, mask=self.mask)
            return [(None, {**(errors or {}), "collected_on": [str(error)]})]
        return [clean(self.kind, {**self.fixed, **values}, mask=self.mask)]

    def finish(self):
        return []

    def used(self) -> list[int]:
        """The indexes of the columns the plan reads."""
        return list(self.columns.values())
