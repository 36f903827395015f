"""Which tool wrote a file, told by the file's own signature, and where its table starts.

- `qualtrics` (wide survey): StartDate, EndDate and ResponseId (or Finished) in row 1, the
  question texts in row 2, `{"ImportId": ...}` in row 3.
- `surveymonkey` (wide survey): Respondent ID and Collector ID, and a second header row of
  "Response", "Open-Ended Response" and answer options.
- `typeform` (wide survey): `#` as the first column, and Submit Date (UTC), Start Date (UTC) or
  Network ID.
- `hotjar-feedback` (long quotes): Number, Date Submitted, Source URL and an Emotion column.
- `hotjar-survey` (wide survey): Number, Date Submitted and Source URL (or User), no Emotion.
- `google-forms` (wide survey): Timestamp (or its translation) as the first column.
- `ga4` (wide metrics): `#` comment lines above the table naming a Start date or Property.
- `clarity` (long metrics): JSON, a list of {"metricName", "information"}.
- `csv`: anything else; a long table (today's import), or a label column and number columns.

Header rows a tool adds (SurveyMonkey's second row, Qualtrics' second and third) and comment
lines are skipped and reported with why. Column names are made unique for the tools' files; a
plain table must name its columns itself, as the CSV import has always required.
"""

import html
import re
from dataclasses import dataclass, field
from itertools import islice

from evidence import fields

from . import columns, headers, reading, tooljson
from .columns import normal
from .reading import refuse_file

HEAD_ROWS = 50  # rows read to recognise a file; the rest is only ever streamed
LABELS = {
    "hotjar-survey": "Hotjar survey responses",
    "hotjar-feedback": "Hotjar feedback",
    "typeform": "Typeform responses",
    "surveymonkey": "SurveyMonkey responses",
    "google-forms": "Google Forms responses",
    "qualtrics": "Qualtrics responses",
    "ga4": "Google Analytics 4 report",
    "clarity": "Microsoft Clarity export",
    "csv": "Table",
}
TOOLS = {
    "hotjar-survey": "Hotjar",
    "hotjar-feedback": "Hotjar feedback",
    "typeform": "Typeform",
    "surveymonkey": "SurveyMonkey",
    "google-forms": "Google Forms",
    "qualtrics": "Qualtrics",
    "ga4": "Google Analytics 4",
    "clarity": "Microsoft Clarity",
    "csv": "",
}
FORMS_TIMESTAMPS = {
    "timestamp", "marca temporal", "horodateur", "zeitstempel", "informazioni cronologiche",
    "tijdstempel", "carimbo de data hora", "sygnatura czasowa",
}  # fmt: skip
SURVEYMONKEY_LABELS = {"response", "open ended response", ""}
GA4_DATE = re.compile(r"#\s*(start|end) date:\s*(\d{4})(\d{2})(\d{2})", re.I)


@dataclass
class Recognised:
    source: str
    kind: str
    shape: str
    header: list[str]
    header_row: int
    first_data_row: int
    grid: reading.Grid
    skipped: list[dict] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # column: question text, where it differs
    options: dict[str, str] = field(default_factory=dict)  # column: its multiple-choice question
    period: str = ""  # the report's dates, from GA4's comment lines

    @property
    def label(self) -> str:
        return LABELS[self.source]

    @property
    def tool(self) -> str:
        return TOOLS[self.source]

    def text_of(self, column: str) -> str:
        return self.texts.get(column) or column

    def data_rows(self) -> reading.Rows:
        """(row number, cells) of the data rows, streamed afresh from the file."""
        for number, cells in self.grid.rows():
            if number < self.first_data_row:
                continue
            if self.source == "ga4" and reading.is_comment_row(cells):
                return  # GA4 starts a further table (a chart's series) with another comment block
            yield number, cells


def recognise(grid: reading.Grid) -> Recognised:
    if grid.format == "json":
        return _tool_json(grid.document)
    head = list(islice(grid.rows(), HEAD_ROWS))
    comments = []
    while head and reading.is_comment_row(head[0][1]):
        comments.append(head.pop(0))
    if not head:
        refuse_file("The file has no table: only blank or comment lines.")
    (header_row, cells), following = head[0], head[1:]
    skipped = [
        {"row": number, "reason": "a comment line above the table"} for number, _ in comments
    ]
    for detect in (_qualtrics, _surveymonkey, _typeform, _hotjar, _google_forms, _ga4):
        if found := detect(cells, following, comments):
            header = headers.unique([html.unescape(name.strip()) for name in found.header])
            kind, shape = _tool_kind(found.source)
            break
    else:
        found = Signature("csv", cells)
        header = headers.strict(cells)
        kind, shape = _plain_kind(header, following)
    skipped += [{"row": number, "reason": reason} for number, reason in found.extra]
    last = max([header_row, *(number for number, _ in found.extra)])
    return Recognised(
        source=found.source,
        kind=kind,
        shape=shape,
        header=header,
        header_row=header_row,
        first_data_row=last + 1,
        grid=grid,
        skipped=skipped,
        texts=found.texts,
        options=found.options,
        period=_ga4_period(comments, grid.delimiter) if found.source == "ga4" else "",
    )


def _tool_kind(source: str) -> tuple[str, str]:
    if source == "ga4":
        return "metric", "wide"
    if source == "hotjar-feedback":
        return "quote", "long"
    return "survey", "wide"


# Detectors: a Signature when the file is the tool's, else None ---------------------------------


@dataclass
class Signature:
    source: str
    header: list[str]
    extra: list[tuple[int, str]] = field(default_factory=list)  # (row, why) of extra header rows
    texts: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)


def _qualtrics(cells, following, comments):
    names = {name.strip() for name in cells}
    if not ({"StartDate", "EndDate"} <= names and names & {"ResponseId", "ResponseID", "Finished"}):
        return None
    start = [name.strip() for name in cells].index("StartDate")
    extra, texts = [], {}
    for number, row in following[:2]:
        if any(cell.strip().startswith('{"ImportId"') for cell in row):
            extra.append((number, "Qualtrics' import ids (third header row)"))
        elif start < len(row) and row[start].strip() == "Start Date":
            extra.append((number, "Qualtrics' question texts (second header row)"))
            texts = {
                name.strip(): text.strip()
                for name, text in zip(cells, row, strict=False)
                if text.strip()
            }
    return Signature("qualtrics", cells, extra, texts)


def _surveymonkey(cells, following, comments):
    plain = {normal(name) for name in cells}
    if not {"respondent id", "collector id"} <= plain:
        return None
    if not following or not any(
        normal(cell) in ("response", "open ended response") for cell in following[0][1]
    ):
        return Signature("surveymonkey", cells)  # a condensed export: one header row
    number, labels = following[0]
    header, options, question = [], {}, ""
    for index, name in enumerate(cells):
        question = name.strip() or question  # a question's answer options leave row 1 blank
        label = labels[index].strip() if index < len(labels) else ""
        if normal(label) in SURVEYMONKEY_LABELS:
            header.append(question)
        else:
            header.append(f"{question} - {label}")
            options[html.unescape(header[-1])] = html.unescape(question)
    extra = [(number, "SurveyMonkey's second header row (Response, Open-Ended Response, options)")]
    return Signature("surveymonkey", header, extra, options=options)


def _typeform(cells, following, comments):
    plain = {normal(name) for name in cells}
    if (
        cells
        and cells[0].strip() == "#"
        and plain & {"submit date utc", "start date utc", "network id"}
    ):
        return Signature("typeform", cells)
    return None


def _hotjar(cells, following, comments):
    plain = {normal(name) for name in cells}
    if not ({"number", "date submitted"} <= plain and plain & {"source url", "user"}):
        return None
    feedback = any(name.startswith("emotion") for name in plain)
    return Signature("hotjar-feedback" if feedback else "hotjar-survey", cells)


def _google_forms(cells, following, comments):
    if cells and normal(cells[0]) in FORMS_TIMESTAMPS:
        return Signature("google-forms", cells)
    return None


def _ga4(cells, following, comments):
    text = " ".join(" ".join(row) for _, row in comments).lower()
    if "start date:" in text or "property:" in text:
        return Signature("ga4", cells)
    return None


def _ga4_period(comments, delimiter: str) -> str:
    found = {}
    for _, row in comments:
        if match := GA4_DATE.match((delimiter or ",").join(row).strip()):
            which, year, month, day = match.groups()
            found.setdefault(which.lower(), f"{year}-{month}-{day}")  # the first (main) range
    if "start" in found and "end" in found:
        return f"{found['start']} to {found['end']}"
    return ""


def _plain_kind(header: list[str], following) -> tuple[str, str]:
    """A plain table's kind: recording links, else the kind its column names fit, else a label
    column with number columns (metrics across), else survey answers (the user maps them)."""
    stats = [columns.ColumnStats() for _ in header]
    for _, cells in following:
        for index, cell in enumerate(cells[: len(header)]):
            stats[index].add(cell)
    if any(column.mostly_links and column.known for column in stats):
        return "recording", "long"
    for kind in ("metric", "survey", "quote", "recording"):
        guessed = set(columns.guess_columns(header, kind).values())
        if guessed and set(fields.REQUIRED[kind]) <= guessed:
            return kind, "long"
    if len(header) > 1 and not stats[0].all_numbers and any(s.all_numbers for s in stats[1:]):
        return "metric", "wide"
    return "survey", "long"


def _tool_json(document) -> Recognised:
    if not tooljson.is_clarity(document):
        raise tooljson.not_an_export()
    header, rows, not_metrics = tooljson.clarity_table(document)
    if not rows:
        refuse_file("The Clarity export holds no metric we import (dead clicks, rage clicks, ...).")
    skipped = [
        {"row": None, "reason": f"Clarity's {name}: a list, not a metric"} for name in not_metrics
    ]
    return Recognised(
        source="clarity",
        kind="metric",
        shape="long",
        header=header,
        header_row=1,
        first_data_row=2,
        grid=reading.table_grid(header, rows, format="json"),
        skipped=skipped,
    )
