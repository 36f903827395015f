"""Helpers for the import tests: the sample exports (tests/evidence/samples, invented data in
each tool's real shape), the stages the pipeline is given (the retail clothing brand's map, as
(id, title)), and a workbook written as a tool's Excel export would be."""

import io
from pathlib import Path

from evidence import importing

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
STAGES = [(11, "Awareness"), (12, "Research"), (13, "Decision"), (14, "Purchase")]


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def run(data: bytes, mapping: dict | None = None, **target) -> list:
    """Every piece and failure of a file, with the preview's own mapping unless one is given."""
    if mapping is None:
        mapping = importing.preview(data)["mapping"]
    target = target or {"stage_id": STAGES[0][0]}
    return list(importing.check(data, mapping, stages=STAGES, **target))


def pieces(outcomes: list) -> list:
    return [outcome for outcome in outcomes if isinstance(outcome, importing.Piece)]


def failures(outcomes: list) -> list:
    return [outcome for outcome in outcomes if isinstance(outcome, importing.Failure)]


def workbook(rows: list[list]) -> bytes:
    """An .xlsx holding `rows` on its first sheet, as a tool's Excel export would."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
