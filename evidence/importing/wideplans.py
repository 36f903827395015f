"""Wide tables: one row per respondent with a column per question (survey tools), or one row
per page or channel with a column per number (analytics). A row gives a piece per answered
question or per number cell."""

import math
from dataclasses import dataclass, field

from evidence import fields, masking
from evidence.models import Kind

from . import columns
from .checks import (
    NAME_MAX,
    ROW_FIELDS,
    SCALES,
    cell,
    clean,
    column_index,
    date_order,
    fixed_values,
    optional_index,
    refuse_mapping,
    row_columns,
    shared_values,
)


@dataclass
class Question:
    column: str
    index: int
    text: str
    scale: str | None
    reason: int | None


@dataclass
class SurveyPlan:
    """One row per respondent, one column per question: a piece per answered question."""

    questions: list[Question]
    columns: dict[str, int]
    fixed: dict
    date_order: str | None
    mask: bool = True
    kind = Kind.SURVEY.value

    @classmethod
    def build(cls, mapping: dict, recognised) -> "SurveyPlan":
        chosen = mapping.get("questions")
        if not isinstance(chosen, list) or not chosen:
            refuse_mapping(
                'Choose the question columns: "questions": [{"column": ..., "scale": ...}].'
            )
        questions = [_question(entry, recognised) for entry in chosen]
        per_row = row_columns(mapping, recognised.header, Kind.SURVEY)
        fixed = fixed_values(mapping, Kind.SURVEY, ROW_FIELDS[Kind.SURVEY], per_row)
        order = date_order(mapping, recognised, per_row.get("collected_on"))
        return cls(questions, per_row, fixed, order)

    def outcomes(self, cells: list[str]):
        try:
            shared = shared_values(self, cells)
        except fields.Invalid as error:
            answered = any(cell(cells, question.index) for question in self.questions)
            return [(None, {"collected_on": [str(error)]})] if answered else []
        return [found for q in self.questions if (found := self._answer(q, cells, shared))]

    def _answer(self, question: Question, cells: list[str], shared: dict):
        answer, reason = cell(cells, question.index), cell(cells, question.reason)
        values = {**shared, "question": question.text}
        if question.scale:
            if not answer and not reason:
                return None
            values["score_scale"] = question.scale
            if answer:
                values["score"] = columns.score_of(answer, question.scale)
            if reason:
                values["answer"] = reason
        elif answer:
            values["answer"] = answer
        else:
            return None
        return clean(Kind.SURVEY, values, prefix=question.column, mask=self.mask)

    def finish(self):
        return []

    def used(self) -> list[int]:
        """The indexes of the columns the plan reads."""
        read = [index for q in self.questions for index in (q.index, q.reason) if index is not None]
        return read + list(self.columns.values())


def _question(entry, recognised) -> Question:
    if not isinstance(entry, dict):
        refuse_mapping('Each question is {"column": ..., "scale": ..., "reason": ...}.')
    column = entry.get("column")
    index = column_index(recognised.header, column, " (a question column)")
    scale = entry.get("scale") or None
    scale = scale.strip().lower() if isinstance(scale, str) else scale
    if scale not in (None, *SCALES):
        refuse_mapping(
            f"Column {column!r}: unknown scale {scale!r}; choose nps (0-10), csat (1-5), "
            "ces (1-7), or null for text answers."
        )
    reason = optional_index(recognised.header, entry.get("reason"), f" (the reason for {column!r})")
    text = entry.get("question") or recognised.text_of(column)
    if not isinstance(text, str) or len(text) > 2000:
        refuse_mapping(f"Column {column!r}: the question is text of at most 2000 characters.")
    return Question(column, index, text.strip(), scale, reason)


@dataclass
class ValueColumn:
    column: str
    index: int
    unit: str
    multiply: float


@dataclass
class MetricPlan:
    """One row per page (or channel...), one column per number: a metric per row and column,
    named "<column>, <row label>"; with a comparison, the earlier range is the baseline."""

    labels: list[int]
    values: list[ValueColumn]
    sample_size: int | None
    comparison: tuple[int, str, str] | None  # (column, current, baseline)
    columns: dict[str, int]
    fixed: dict
    date_order: str | None
    baselines: dict = field(default_factory=dict)  # label: (row number, cells), earlier range
    seen: set = field(default_factory=set)  # labels of the current range, to find the unmatched
    mask: bool = True
    kind = Kind.METRIC.value

    @classmethod
    def build(cls, mapping: dict, recognised) -> "MetricPlan":
        header = recognised.header
        labels = mapping.get("label")
        labels = [labels] if isinstance(labels, str) else list(labels or [])
        label_indexes = [column_index(header, column, " (the row label)") for column in labels]
        values = mapping.get("values")
        if not isinstance(values, list) or not values:
            refuse_mapping('Choose the number columns: "values": [{"column": ..., "unit": ...}].')
        value_columns = [_value_column(entry, header) for entry in values]
        sample = optional_index(header, mapping.get("sample_size"), " (the sample size)")
        per_row = row_columns(mapping, header, Kind.METRIC)
        fixed = fixed_values(mapping, Kind.METRIC, ROW_FIELDS[Kind.METRIC], per_row)
        comparison = _comparison(mapping.get("comparison"), header)
        order = date_order(mapping, recognised, per_row.get("collected_on"))
        plan = cls(label_indexes, value_columns, sample, comparison, per_row, fixed, order)
        if comparison:
            plan.baselines = plan._baselines(recognised)
        return plan

    def _label(self, cells: list[str]) -> str:
        return " / ".join(cell(cells, index) for index in self.labels)

    def _baselines(self, recognised) -> dict:
        index, _, baseline = self.comparison
        return {
            self._label(cells): (number, cells)
            for number, cells in recognised.data_rows()
            if cell(cells, index) == baseline
        }

    def outcomes(self, cells: list[str]):
        label = self._label(cells)
        baseline_cells = None
        if self.comparison:
            index, current, baseline = self.comparison
            which = cell(cells, index)
            if which == baseline:
                return []
            if which != current:
                return [
                    (None, {"comparison": [f"{which!r} is neither {current!r} nor {baseline!r}."]})
                ]
            self.seen.add(label)
            baseline_cells = self.baselines.get(label, (None, []))[1]
        try:
            shared = shared_values(self, cells)
        except fields.Invalid as error:
            return [(None, {"collected_on": [str(error)]})]
        if self.mask:  # once a row, not once for each of its metrics, which then need none
            shared = _masked(shared)
            label = label and masking.mask(label)
        found = (
            self._metric(column, label, cells, baseline_cells, shared) for column in self.values
        )
        return [outcome for outcome in found if outcome]

    def _metric(self, column: ValueColumn, label, cells, baseline_cells, shared):
        raw = cell(cells, column.index)
        if not raw:
            return None
        header, unit = column.column, column.unit
        if self.mask:  # the label is masked already; these are the same on every row
            header, unit = masking.mask(header), masking.mask(unit)
        values = {**shared, "name": _name(header, label if self.labels else None), "unit": unit}
        try:
            values["value"] = _scaled(raw, column.multiply)
            if baseline_cells and cell(baseline_cells, column.index):
                values["baseline"] = _scaled(cell(baseline_cells, column.index), column.multiply)
        except fields.Invalid as error:
            return None, {"value": [f"{column.column}: {error}"]}
        if self.sample_size is not None and self.sample_size != column.index:
            values["sample_size"] = cell(cells, self.sample_size)
        return clean(Kind.METRIC, values, prefix=column.column, mask=False)  # masked above

    def used(self) -> list[int]:
        """The indexes of the columns the plan reads."""
        read = [*self.labels, *(column.index for column in self.values), *self.columns.values()]
        if self.sample_size is not None:
            read.append(self.sample_size)
        return read

    def finish(self):
        """The baseline rows that no row of the current range matched."""
        if not self.comparison:
            return []
        _, current, baseline = self.comparison
        return [
            (
                number,
                (
                    None,
                    {
                        "comparison": [
                            f"{label or 'total'!r} is only in {baseline!r}, not in {current!r}."
                        ]
                    },
                ),
            )
            for label, (number, _) in self.baselines.items()
            if label not in self.seen
        ]


def _value_column(entry, header) -> ValueColumn:
    if not isinstance(entry, dict):
        refuse_mapping('Each number column is {"column": ..., "unit": ..., "multiply": ...}.')
    column = entry.get("column")
    index = column_index(header, column, " (a number column)")
    unit = entry.get("unit") or ""
    multiply = entry.get("multiply", 1)
    if not isinstance(unit, str) or len(unit) > 30:
        refuse_mapping(f"Column {column!r}: the unit is text of at most 30 characters.")
    if isinstance(multiply, bool) or not isinstance(multiply, (int, float)) or not multiply:
        refuse_mapping(f"Column {column!r}: multiply is a number (100 turns 0.45 into 45 %).")
    return ValueColumn(column, index, unit, float(multiply))


def _comparison(comparison, header) -> tuple[int, str, str] | None:
    if comparison in (None, {}):
        return None
    if not isinstance(comparison, dict):
        refuse_mapping('Give the comparison as {"column": ..., "current": ..., "baseline": ...}.')
    index = column_index(header, comparison.get("column"), " (the date range)")
    current, baseline = comparison.get("current"), comparison.get("baseline")
    if not isinstance(current, str) or not isinstance(baseline, str) or current == baseline:
        refuse_mapping("The comparison names two different ranges: current and baseline.")
    return index, current.strip(), baseline.strip()


def _scaled(raw: str, multiply: float) -> float:
    number = fields.parse_number(raw) * multiply
    return round(number, 9) if math.isfinite(number) else number


def _masked(values: dict) -> dict:
    """A metric's values with its free-text fields masked (evidence/masking.py)."""
    texts = fields.MASKED[Kind.METRIC]
    return {
        name: masking.mask(value) if name in texts and isinstance(value, str) else value
        for name, value in values.items()
    }


def _name(column: str, label: str | None) -> str:
    if label is None:
        return column[:NAME_MAX]
    prefix = f"{column}, "
    label = label or "total"
    room = NAME_MAX - len(prefix)
    return prefix + (label if len(label) <= room else label[: room - 1] + "…")
