"""Importing evidence from the files the teams' tools export: read, recognise, propose a mapping,
check every row. Pure: no HTTP, no database; the service stores what `check` yields.

Public interface
----------------

`preview(data: bytes, *, kind=None) -> dict` (JSON-serialisable): `format` (csv, xlsx, json),
`source` (below), `kind`, `shape` (long or wide), `rows` (data rows; extra header and comment rows
not counted), `skipped` ([{"row": n, "reason": ...}]), `header`, `header_row`, `first_data_row`,
`sample` (the first 10 data rows as cells), `mapping` (the proposal), `fields` and `required` of
the kind, `encoding`, `delimiter`, `summary` (one line for a person), `questions` (wide surveys:
each candidate column with `question`, `scale`, `reason`, `answers`, `proposed` and `why`),
`date_order` ({"column", "order", "ambiguous", "why"} or null), `left_out` (columns with personal
data), `stage_column` (a column named like a stage, or null). `kind` only steers a plain table.

`check(data, mapping, *, stages, stage_id=None, stage_column=None, kind=None)` checks the mapping
and the stage choice at once (ValidationError {"mapping"|"stage"|"stage_column"|"kind"|"file":
[...]}) and returns an iterator that reads the file row by row and yields
`Piece(row, stage_id, kind, values)` (values passed through `evidence.fields.clean`) or
`Failure(row, {field: [messages]})`. `stages` is the map's [(stage id, title), ...]; give
`stage_id` for every row, or `stage_column` naming each row's stage by title (case-blind). Rows
are numbered as a spreadsheet shows them. `kind` goes with today's flat mapping.

Sources: `hotjar-survey`, `hotjar-feedback`, `typeform`, `surveymonkey`, `google-forms`,
`qualtrics`, `ga4`, `clarity`, or `csv` for anything else (sources.py says how each is told).

Mapping (plain JSON; the preview proposes one, the user may edit it)
--------------------------------------------------------------------

Long, one row one piece (today's import, quotes, recordings, Clarity)::

    {"shape": "long", "kind": "survey", "columns": {"Question": "question", "NPS": "score"},
     "fixed": {"source": "Hotjar feedback"}, "date_order": "mdy", "empty": "fail"}

Today's flat `{"Question": "question", ...}` is read as a long mapping (give `kind` with it).
`fixed` holds values the same for every row. `empty`: "fail" reports a row whose required cells
are empty; "skip" passes over it (exports list responses that left the message out).

Wide survey, one row per respondent, one column per question::

    {"shape": "wide", "kind": "survey",
     "questions": [{"column": "How likely are you to recommend us to a friend?", "scale": "nps",
                    "reason": "What is the main reason for your score?"},
                   {"column": "Q4", "scale": null, "reason": null, "question": "Anything else?"}],
     "columns": {"Submit Date (UTC)": "collected_on", "Device": "segment"},
     "date_order": "mdy", "fixed": {"source": "Typeform"}}

Each question column gives one answer per respondent who answered it (empty cells are no piece
and no failure). With a `scale` (nps 0-10, csat 1-5, ces 1-7) the cell is the score and the
`reason` column's text is the answer; without, the cell is a text answer. `question` overrides the
question text (by default the column's, or Qualtrics' second header row). `columns` maps per-row
fields: collected_on, segment, note, source.

Wide metrics, one row per page or channel, one column per number (GA4, a table of numbers)::

    {"shape": "wide", "kind": "metric", "label": "Page path and screen class",
     "values": [{"column": "Sessions", "unit": "", "multiply": 1},
                {"column": "Bounce rate", "unit": "%", "multiply": 100}],
     "comparison": {"column": "Date range", "current": "Oct 1, 2026 - Oct 31, 2026",
                    "baseline": "Sep 1, 2026 - Sep 30, 2026"},
     "sample_size": "Sessions", "fixed": {"period": "2026-10-01 to 2026-10-31",
                                          "source": "Google Analytics 4"}}

Each value column gives a metric per row named "<column>, <label>" ("Sessions, /checkout/"; a
row with no label is the total). `label` may be a list of columns (joined with " / ") or null
(the metric is named by the column alone). `multiply` scales the cell (GA4 writes rates as
fractions). With `comparison`, a row of the current range gets the same label's value in the
baseline range as its `baseline`; baseline rows give no pieces of their own. `columns` maps
per-row fields: collected_on, note, period, source, target.

`date_order` ("mdy", "dmy", "ymd" or null) settles dates like 10/03/2026; null lets the column
decide, and a date it cannot decide is a row failure.
"""

from .pipeline import Failure, Piece, check, count_rows
from .previews import preview
from .reading import MAX_BYTES

__all__ = ["MAX_BYTES", "Failure", "Piece", "check", "count_rows", "preview"]
