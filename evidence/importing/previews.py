"""What a file is and what its rows would become, before anything is stored: the preview the
import page shows, with the proposed mapping to send back (unchanged, or edited). Its first rows
are masked as the stored text would be (evidence/masking.py), unless the map has masking off."""

from evidence import fields, masking
from evidence.models import Kind

from . import columns, personal, plans, proposal, reading, sources


def preview(data: bytes, *, kind: str | None = None, mask: bool = True) -> dict:
    """A JSON-serialisable description of the file; `kind` steers a plain table only."""
    if kind is not None:
        plans.check_kind(kind)
    grid = reading.read(data)
    recognised = sources.recognise(grid)
    found = proposal.scan(recognised)
    mapping, notes = proposal.propose(recognised, found, kind)
    holding = proposal.personal_columns(recognised, found)
    left_out = {column: holding[column] for column in notes.get("left_out", [])}
    chosen_kind = mapping["kind"]
    return {
        "format": grid.format,
        "source": recognised.source,
        "kind": chosen_kind,
        "shape": mapping["shape"],
        "rows": found.rows,
        "skipped": recognised.skipped,
        "header": recognised.header,
        "header_row": recognised.header_row,
        "first_data_row": recognised.first_data_row,
        "sample": [[masking.mask(cell) for cell in row] for row in found.sample]
        if mask
        else found.sample,
        "mapping": mapping,
        "fields": list({**fields.FIELDS[chosen_kind], **fields.COMMON}),
        "required": list(fields.REQUIRED[chosen_kind]),
        "encoding": grid.encoding,
        "delimiter": grid.delimiter,
        "summary": summary(recognised, found, mapping, notes),
        "questions": [_public(question) for question in notes.get("questions", [])],
        "date_order": notes.get("date_order"),
        "left_out": list(left_out),
        "personal": personal.described(left_out, mask=mask),
        "stage_column": columns.stage_column(recognised.header),
    }


def _public(question: dict) -> dict:
    return {
        key: question[key]
        for key in ("column", "question", "scale", "reason", "answers", "proposed", "why")
    }


def summary(recognised, found: proposal.Scan, mapping: dict, notes: dict) -> str:
    """One line for a person: what the file is, how much of it, and what was left out."""
    label, rows = recognised.label, found.rows
    if mapping["shape"] == "wide" and mapping["kind"] == Kind.SURVEY:
        questions = _plural(len(mapping["questions"]), "question")
        text = f"{label}: {_plural(rows, 'respondent')}, {questions}"
    elif mapping["shape"] == "wide":
        numbers = _plural(len(mapping["values"]), "number column")
        text = f"{label}: {_plural(rows, 'row')}, {numbers}"
        if period := mapping["fixed"].get("period"):
            text += f", {period}"
        if pair := mapping["comparison"]:
            text += f"; {pair['current']} compared with {pair['baseline']}"
    elif recognised.source == "hotjar-feedback":
        text = f"{label}: {_plural(rows, 'response')}, the messages as quotes"
    elif recognised.source == "clarity":
        text = f"{label}: {_plural(rows, 'metric')}; the file does not say its period (add it)"
    else:
        text = f"{label}: {_plural(rows, 'row')} of {Kind(mapping['kind']).label.lower()} evidence"
    if notes.get("left_out"):
        text += f"; {_plural(len(notes['left_out']), 'column')} with personal data left out"
    if notes.get("left_out") and set(notes["left_out"]) >= {c for c in recognised.header if c}:
        text += (
            "; the file holds nothing but personal data, so nothing is proposed for import"
            " (map a column on purpose to import it)"
        )
    order = notes.get("date_order")
    if order and order["ambiguous"]:
        text += f"; dates read with {proposal.spelled(order['order'])} (change date_order if wrong)"
    return text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
