"""The mapping proposed for a recognised file: plain JSON that, sent back unchanged, imports the
file, and that the user may edit (see the package docstring for its shapes).

The proposal reads the whole file once (`scan`): how many rows, the first ten, and per column what
its values are (scores in which range, numbers, links, dates), without keeping the rows. From the
names and values it proposes: for a wide survey, each question column with its scale and the
column giving the reason for a score; for analytics, each number column with its unit; and the
date column, the segment column and the date order. Personal data is left out.
"""

import re
from dataclasses import dataclass, field

from evidence.models import Kind

from . import columns, dates, personal
from .columns import ColumnStats

SAMPLE_ROWS = 10
REASON_WORDS = re.compile(r"\b(why|reason|because|tell us more|explain|what made)\b", re.I)
DATE_COLUMNS = {
    "typeform": ("submit date utc",),
    "surveymonkey": ("end date",),
    "qualtrics": ("recordeddate", "enddate"),
    "hotjar-survey": ("date submitted",),
    "hotjar-feedback": ("date submitted",),
    "google-forms": ("timestamp",),
}
# The order a tool writes 10/03/2026 in when the column cannot tell: US tools write month first.
USUAL_ORDER = {"csv": "dmy", "ga4": "ymd", "clarity": "ymd"}
US_ORDER = "mdy"
SAMPLE_SIZE_COLUMNS = ("sessions", "total users", "active users", "users")
PERCENT_WORDS = re.compile(r"(\brate\b|percent|%|\bshare\b|\bctr\b)", re.I)
SECONDS_WORDS = re.compile(r"\b(duration|time)\b", re.I)
COMPARISON_COLUMN = "date range"
DATE_WORDS = re.compile(r"\b(date|time|timestamp|submitted|collected|day)\b")


@dataclass
class Scan:
    """What one pass over the data rows found."""

    rows: int = 0
    sample: list[list[str]] = field(default_factory=list)
    stats: dict[str, ColumnStats] = field(default_factory=dict)
    votes: dict[str, dates.OrderVote] = field(default_factory=dict)
    ranges: list[str] = field(default_factory=list)  # values of a GA4 "Date range" column


def scan(recognised) -> Scan:
    header = recognised.header
    found = Scan(stats={column: ColumnStats() for column in header})
    # Only columns named like dates are voted on: the date column is chosen by its name.
    found.votes = {column: dates.OrderVote() for column in header if _date_like(column)}
    comparison = columns.first_named(header, (COMPARISON_COLUMN,))
    for _, cells in recognised.data_rows():
        found.rows += 1
        if len(found.sample) < SAMPLE_ROWS:
            found.sample.append(cells[: len(header)])
        for column, cell in zip(header, cells, strict=False):
            found.stats[column].add(cell)
            if column in found.votes:
                found.votes[column].add(cell)
            if column == comparison and cell.strip() not in found.ranges and len(found.ranges) < 5:
                found.ranges.append(cell.strip())
    return found


def _date_like(column: str) -> bool:
    plain = columns.normal(column)
    return plain in columns.DATE_NAMES or bool(DATE_WORDS.search(plain))


def propose(recognised, found: Scan, kind: str | None = None) -> tuple[dict, dict]:
    """(mapping, notes): notes hold the question list, the date order and what was left out."""
    if kind and recognised.source == "csv" and kind != recognised.kind:
        return _long(recognised, found, kind)
    if recognised.shape == "wide" and recognised.kind == Kind.SURVEY:
        return _wide_survey(recognised, found)
    if recognised.shape == "wide":
        return _wide_metric(recognised, found)
    return _long(recognised, found, recognised.kind)


def personal_columns(recognised, found: Scan) -> dict[str, str]:
    """{column: what it holds} of the file's columns with personal data."""
    return personal.personal_columns(recognised.header, found.stats)


def _date_order(recognised, found: Scan, column: str | None) -> dict | None:
    if not column:
        return None
    vote = found.votes.get(column) or dates.OrderVote()
    usual = USUAL_ORDER.get(recognised.source, US_ORDER)
    if vote.order:
        why = "a day over 12 shows it" if vote.order == "dmy" else "a month over 12 shows it"
        order, ambiguous = vote.order, False
    elif vote.ambiguous:
        order, ambiguous = usual, True
        why = (
            "every date could be day or month first; "
            f"{recognised.tool or 'a table like this'} usually writes {spelled(usual)}"
        )
    else:
        return {
            "column": column,
            "order": None,
            "ambiguous": False,
            "why": "no date here needs a day or month order",
        }
    return {"column": column, "order": order, "ambiguous": ambiguous, "why": why}


def spelled(order: str) -> str:
    return {"mdy": "the month first", "dmy": "the day first", "ymd": "the year first"}[order]


# Wide surveys -----------------------------------------------------------------------------------


def _wide_survey(recognised, found: Scan) -> tuple[dict, dict]:
    header = recognised.header
    left_out = personal_columns(recognised, found)
    candidates = [
        column for column in header if column not in left_out and not columns.is_meta(column)
    ]
    questions = [_question(recognised, found, column) for column in candidates]
    _pair_reasons(questions)
    date_column = columns.first_named(header, DATE_COLUMNS.get(recognised.source, ())) or (
        columns.date_column(header)
    )
    segment = columns.segment_column(header) or _segment_question(questions)
    order = _date_order(recognised, found, date_column)
    mapping = {
        "shape": "wide",
        "kind": Kind.SURVEY.value,
        "questions": [_chosen(question) for question in questions if question["proposed"]],
        "columns": {
            **({date_column: "collected_on"} if date_column else {}),
            **({segment: "segment"} if segment else {}),
        },
        "date_order": order and order["order"],
        "fixed": {"source": recognised.tool} if recognised.tool else {},
    }
    return mapping, {"questions": questions, "date_order": order, "left_out": list(left_out)}


def _question(recognised, found: Scan, column: str) -> dict:
    text = recognised.text_of(column)
    stats = found.stats[column]
    scale, why = columns.propose_scale(text, stats)
    free_text = bool(stats.filled) and not stats.all_scores
    proposed = bool(scale) or free_text
    if column in recognised.options:
        proposed, why = False, f"one answer option of {recognised.options[column]!r}"
    return {
        "column": column,
        "question": text,
        "scale": scale,
        "reason": None,
        "answers": stats.filled,
        "proposed": proposed,
        "why": why,
        "free_text": free_text,
    }


def _segment_question(questions: list[dict]) -> str | None:
    """A question asking for a segment ("Which device did you shop on?") answers as a segment."""
    for question in questions:
        if question["proposed"] and question["free_text"] and not question.get("reason_of"):
            if columns.names_segment(question["question"]):
                question.update(proposed=False, why="it names a segment: mapped to segment")
                return question["column"]
    return None


def _pair_reasons(questions: list[dict]):
    """A score's reason is the free-text column after it (before the next score) that asks why
    ("What is the main reason for your score?")."""
    for index, question in enumerate(questions):
        if not question["scale"]:
            continue
        following = []
        for later in questions[index + 1 :]:
            if later["scale"]:
                break
            following.append(later)
        asking = [
            later
            for later in following
            if later["free_text"] and REASON_WORDS.search(later["question"])
        ]
        if asking:
            reason = asking[0]
            question["reason"] = reason["column"]
            reason.update(reason_of=question["column"], proposed=False)
            reason["why"] = f"the reason given for {question['column']!r}"


def _chosen(question: dict) -> dict:
    chosen = {
        "column": question["column"],
        "scale": question["scale"],
        "reason": question["reason"],
    }
    if question["question"] != question["column"]:
        chosen["question"] = question["question"]
    return chosen


# Metrics across columns (GA4, a table of numbers) ----------------------------------------------


def _wide_metric(recognised, found: Scan) -> tuple[dict, dict]:
    header = recognised.header
    comparison = columns.first_named(header, (COMPARISON_COLUMN,))
    left_out = personal_columns(recognised, found)
    labels, numbers = [], []
    for column in header:
        if column == comparison or column in left_out:
            continue
        if found.stats[column].all_numbers and labels:
            numbers.append(column)
        elif not numbers:
            labels.append(column)  # the dimension columns come first in a report
    sample_size = columns.first_named(numbers, SAMPLE_SIZE_COLUMNS)
    pair = _comparison(comparison, found.ranges)
    period = recognised.period or (pair["current"] if pair else "")
    mapping = {
        "shape": "wide",
        "kind": Kind.METRIC.value,
        "label": labels[0] if len(labels) == 1 else labels,
        "values": [_value_column(column, found.stats[column]) for column in numbers],
        "comparison": pair,
        "sample_size": sample_size,
        "fixed": {
            key: value for key, value in (("period", period), ("source", recognised.tool)) if value
        },
    }
    return mapping, {"date_order": None, "left_out": list(left_out)}


def _value_column(column: str, stats: ColumnStats) -> dict:
    unit, multiply = "", 1
    if PERCENT_WORDS.search(column):
        unit = "%"
        multiply = 100 if stats.peak <= 1 else 1  # GA4 writes rates as fractions: 0.4521
    elif SECONDS_WORDS.search(column):
        unit = "s"
    return {"column": column, "unit": unit, "multiply": multiply}


def _comparison(column: str | None, ranges: list[str]) -> dict | None:
    """Which of two date ranges is the earlier (the baseline): by the first date each names,
    else GA4's order (the main range first)."""
    if not column or len(ranges) != 2:
        return None
    starts = [_first_date(text) for text in ranges]
    current, baseline = ranges
    if all(starts) and starts[1] > starts[0]:
        current, baseline = baseline, current
    return {"column": column, "current": current, "baseline": baseline}


def _first_date(text: str):
    for part in re.split(r"\s+[-–]\s+|\s+to\s+|(?<=\d)-(?=\d{8}$)", text.strip()):
        try:
            return dates.parse(part)
        except ValueError:
            continue
    return None


# Long tables (today's import, Hotjar feedback, Clarity, recordings) ----------------------------


def _long(recognised, found: Scan, kind: str) -> tuple[dict, dict]:
    header = recognised.header
    mapping_columns = columns.guess_columns(header, kind)
    if recognised.source == "hotjar-feedback":
        mapping_columns = _feedback_columns(header)
    if kind == Kind.RECORDING and "url" not in mapping_columns.values():
        links = [c for c in header if found.stats[c].mostly_links and c not in mapping_columns]
        mapping_columns.update({links[0]: "url"} if links else {})
    date_column = next((c for c, f in mapping_columns.items() if f == "collected_on"), None)
    order = _date_order(recognised, found, date_column)
    mapping = {
        "shape": "long",
        "kind": kind,
        "columns": mapping_columns,
        "date_order": order and order["order"],
        "fixed": {"source": recognised.tool} if recognised.source == "hotjar-feedback" else {},
        "empty": "skip" if recognised.source == "hotjar-feedback" else "fail",
    }
    # A plain table's "Name" may be a metric's: a column the proposal maps is not left out.
    left_out = [c for c in personal_columns(recognised, found) if c not in mapping_columns]
    return mapping, {"date_order": order, "left_out": left_out}


def _feedback_columns(header: list[str]) -> dict[str, str]:
    message = columns.first_named(header, ("message", "comment", "feedback"))
    date_column = columns.date_column(header)
    who = columns.segment_column(header)
    chosen = {message: "text", date_column: "collected_on", who: "who"}
    return {column: field_name for column, field_name in chosen.items() if column}
