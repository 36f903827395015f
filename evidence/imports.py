"""CSV import of survey answers and metrics: reading the file, guessing which column is which,
and checking every row by the same rules as a single piece (fields.py). Writing is the service's.

Reading: UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode text"), and otherwise
Windows-1252, then Latin-1, which every byte decodes; a spreadsheet saved on Windows is the usual
case. A file with NUL bytes or other control characters is not text and is refused, whatever its
name. Separators: comma, semicolon or tab, whichever the header row uses most outside quotes.
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from . import fields
from .models import Kind

MAX_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 10
ERRORS_LISTED = 200
KINDS = (Kind.SURVEY, Kind.METRIC)
DELIMITERS = (",", ";", "\t")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
QUOTED = re.compile(r'"[^"]*"')

# Header names a column is taken for, once lower-cased with punctuation as spaces.
GUESSES = {
    "name": ("name", "metric", "kpi", "metric name", "indicator"),
    "value": ("value", "current", "now", "result", "actual"),
    "unit": ("unit", "units"),
    "baseline": ("baseline", "before", "previous", "was"),
    "target": ("target", "goal"),
    "period": ("period", "date range", "timeframe", "time frame"),
    "sample_size": ("sample size", "sample", "n", "sessions", "users", "respondents"),
    "source": ("source", "tool", "data source"),
    "question": ("question", "survey question", "q"),
    "answer": ("answer", "response", "comment", "feedback", "verbatim", "open answer"),
    "score": ("score", "nps", "csat", "rating", "nps score", "csat score"),
    "score_scale": ("scale", "score scale", "score type"),
    "segment": ("segment", "respondent", "respondent segment", "persona", "customer segment"),
    "collected_on": ("date", "collected", "collected on", "submitted", "submitted at", "timestamp"),
    "note": ("note", "notes"),
}
STAGE_NAMES = ("stage", "journey stage", "step", "phase")


def refuse(field: str, message: str):
    raise ValidationError({field: [message]})


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)
    delimiter: str
    encoding: str


def read_table(data: bytes) -> Table:
    if not data:
        refuse("file", "The file is empty.")
    if len(data) > MAX_BYTES:
        refuse("file", f"The file is over {MAX_BYTES // 1024 // 1024} MB.")
    text, encoding = _decode(data)
    delimiter = _delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        refuse("file", f"Not a readable CSV file: {error}.")
    if not records:
        refuse("file", "The file is empty.")
    header = _header(records[0])
    rows = [
        (number, cells)
        for number, cells in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    return Table(header=header, rows=rows, delimiter=delimiter, encoding=encoding)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _text_only(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError:
            refuse("file", "The file says it is UTF-16 but is not.")
    if b"\x00" in data:
        refuse("file", "This is not a text file; export the table as CSV.")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return _text_only(data.decode(encoding)), encoding.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


def _text_only(text: str) -> str:
    if CONTROL.search(text):
        refuse("file", "This is not a text file; export the table as CSV.")
    return text


def _delimiter(text: str) -> str:
    first_line = QUOTED.sub("", text.split("\n", 1)[0])
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])  # ties go to the comma
    return best if counts[best] else ","


def _header(cells: list[str]) -> list[str]:
    header = [cell.strip() for cell in cells]
    while header and not header[-1]:
        header.pop()  # a trailing separator leaves an empty last column
    problem = None
    if not header:
        problem = "The first row is empty"
    elif any(not name for name in header):
        problem = f"Column {header.index('') + 1} of the first row has no name"
    elif any(_is_number(name) for name in header):
        problem = "The first row holds numbers, not column names"
    elif len(set(header)) != len(header):
        problem = "Two columns of the first row have the same name"
    if problem:
        refuse("file", f"{problem}: the first row must name the columns (a header row).")
    return header


def _is_number(text: str) -> bool:
    try:
        fields.parse_number(text)
    except fields.Invalid:
        return False
    return True


def _normal(name: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.lower()).split())


def guess_mapping(header: list[str], kind: str) -> dict:
    """{column: field} for the columns whose name says which field they are."""
    allowed = {**fields.COMMON, **fields.FIELDS[kind]}
    mapping, taken = {}, set()
    for column in header:
        for field, names in GUESSES.items():
            if field in allowed and field not in taken and _normal(column) in names:
                mapping[column] = field
                taken.add(field)
                break
    return mapping


def guess_stage_column(header: list[str]) -> str | None:
    return next((column for column in header if _normal(column) in STAGE_NAMES), None)


def preview(data: bytes, *, kind: str) -> dict:
    _check_kind(kind)
    table = read_table(data)
    return {
        "kind": kind,
        "header": table.header,
        "rows": [cells for _, cells in table.rows[:PREVIEW_ROWS]],
        "row_count": len(table.rows),
        "delimiter": table.delimiter,
        "encoding": table.encoding,
        "mapping": guess_mapping(table.header, kind),
        "stage_column": guess_stage_column(table.header),
        "fields": list({**fields.FIELDS[kind], **fields.COMMON}),
        "required": list(fields.REQUIRED[kind]),
    }


def _check_kind(kind: str):
    if kind not in KINDS:
        refuse("kind", f"Import survey answers or metrics: kind is {' or '.join(KINDS)}.")


def _check_mapping(table: Table, kind: str, mapping) -> dict:
    """{field: column index} from the {column: field} the user chose; empty fields are skipped."""
    if not isinstance(mapping, dict):
        refuse("mapping", "Give the mapping as {column: field}.")
    allowed = {**fields.FIELDS[kind], **fields.COMMON}
    columns = {}
    for column, field in mapping.items():
        if field in (None, ""):
            continue
        if column not in table.header:
            refuse("mapping", f"The file has no column {column!r}.")
        if field not in allowed:
            refuse(
                "mapping", f"{field!r} is not a field of {kind}; choose from {', '.join(allowed)}."
            )
        if field in columns:
            refuse("mapping", f"Two columns are mapped to {field!r}.")
        columns[field] = table.header.index(column)
    missing = [field for field in fields.REQUIRED[kind] if field not in columns]
    if missing:
        refuse("mapping", f"Map a column to {', '.join(missing)}: every row needs it.")
    return columns


def _stage_finder(table: Table, stages, stage_id, stage_column):
    """A function of a row's cells giving (stage id, error); one stage for all, or a column."""
    if (stage_id is None) == (stage_column in (None, "")):
        refuse(
            "stage", "Choose one stage for every row, or the column that names each row's stage."
        )
    if stage_id is not None:
        if stage_id not in {stage.pk for stage in stages}:
            refuse("stage", f"No stage {stage_id} on this map.")
        return lambda cells: (stage_id, None)
    if stage_column not in table.header:
        refuse("stage_column", f"The file has no column {stage_column!r}.")
    index = table.header.index(stage_column)
    by_title = {}
    for stage in stages:
        by_title.setdefault(stage.title.strip().casefold(), stage.pk)

    def find(cells):
        title = _cell(cells, index)
        found = by_title.get(title.casefold())
        return (found, None) if found else (None, f"No stage named {title[:100]!r} on this map.")

    return find


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def check_rows(table: Table, *, kind: str, mapping, stages, stage_id=None, stage_column=None):
    """The rows that pass, as (stage id, clean values), and a report of those that do not."""
    _check_kind(kind)
    columns = _check_mapping(table, kind, mapping)
    stage_of = _stage_finder(table, stages, stage_id, stage_column)
    good, failures = [], []
    for number, cells in table.rows:
        errors = {}
        try:
            values = fields.clean(kind, {field: _cell(cells, i) for field, i in columns.items()})
        except ValidationError as error:
            errors = error.message_dict
        stage, stage_error = stage_of(cells)
        if stage_error:
            errors["stage"] = [stage_error]
        if errors:
            failures.append({"row": number, "errors": errors})
        else:
            good.append((stage, values))
    report = {
        "kind": kind,
        "rows": len(table.rows),
        "valid": len(good),
        "failed": len(failures),
        "errors": failures[:ERRORS_LISTED],
        "delimiter": table.delimiter,
        "encoding": table.encoding,
    }
    return good, report
