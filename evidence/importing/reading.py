"""Bytes to a grid of text cells. The container is recognised by its content, never by the file's
name: a zip is an Excel workbook, a file starting with [ or { is a tool's JSON, anything else is a
CSV or text table. What the grid means (which row names the columns, which tool wrote it) is for
sources.py.

Text tables follow the rules the CSV import has always had: UTF-8 with or without a BOM, UTF-16
with a BOM (Excel's "Unicode text"), and otherwise Windows-1252, then Latin-1, which decodes every
byte; NUL or other control characters mean the file is not text. The separator is the comma,
semicolon or tab the header line uses most outside quotes, where the header line is the first line
that is neither blank nor a `#` comment (GA4 writes a block of them above its table).

Rows are numbered as a spreadsheet shows them: the first line (or first sheet row) is row 1, a
record whose quoted cell holds a newline is still one row, and blank rows keep their number but are
not yielded. Rows are read lazily from the bytes, one list of strings at a time, so a 100,000-row
file never sits in memory as 100,000 row objects; `Grid.rows()` can be called again for another
pass.
"""

import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NoReturn

from workshops.services.checks import refuse

MAX_BYTES = 20 * 1024 * 1024
# A workbook's XML is much larger than its cells; past this it is a zip bomb, not a survey.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_JSON_DEPTH = 20
DELIMITERS = (",", ";", "\t")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
QUOTED = re.compile(r'"[^"]*"')
JSON_START = re.compile(r'\s*(\{\s*["}]|\[\s*([\[\]{"\d-]|true|false|null))')
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
JSON_BRACKET = re.compile(r"[\[\]{}]")
HEADER_SEARCH_CHARS = 256 * 1024  # the header line is found within the start of the file
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and any password-protected workbook
NOT_TEXT = "This is not a text file; export the table as CSV."

Rows = Iterator[tuple[int, list[str]]]


def refuse_file(message: str) -> NoReturn:
    """The file is not one we can read: nothing is stored."""
    refuse("file", message)


@dataclass(frozen=True)
class Grid:
    """A file read as rows of text cells. `document` is the parsed JSON of a JSON file."""

    format: str  # "csv", "xlsx" or "json"
    encoding: str = ""
    delimiter: str = ""
    document: object = None
    source_rows: Callable[[], Rows] = field(default=lambda: iter(()), repr=False)

    def rows(self) -> Rows:
        """(row number, cells) of every row that is not blank, read afresh from the file."""
        return self.source_rows()


def read(data: bytes) -> Grid:
    if not data:
        refuse_file("The file is empty.")
    if len(data) > MAX_BYTES:
        refuse_file(f"The file is over {MAX_BYTES // 1024 // 1024} MB.")
    if data.startswith(ZIP_MAGIC):
        return _workbook(data)
    if data.startswith(OLE2_MAGIC):
        refuse_file(
            "This is an old Excel file (.xls) or a workbook protected by a password: "
            "save it as .xlsx without a password, or export CSV."
        )
    document = _json_document(data)
    if document is not None:
        return Grid(format="json", encoding="utf-8", document=document)
    return _text_table(data)


def is_comment_line(line: str) -> bool:
    """A `#` line above a table (GA4's report name, account, dates); not Typeform's `#,` header."""
    return line.startswith("#") and (len(line.strip()) == 1 or line[1] not in ',;\t"')


def is_comment_row(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell.strip()]
    return bool(filled) and filled[0].startswith("#") and (filled[0] != "#" or len(filled) == 1)


# Text tables ------------------------------------------------------------------------------------


def _text_table(data: bytes) -> Grid:
    text, encoding = _decode(data)
    delimiter = _delimiter(text)

    def rows() -> Rows:
        reader = csv.reader(_lines(text), delimiter=delimiter)
        try:
            for number, cells in enumerate(reader, start=1):
                if any(cell.strip() for cell in cells):
                    yield number, cells
        except csv.Error as error:
            refuse_file(f"Not a readable CSV file: {error}.")

    return Grid(format="csv", encoding=encoding, delimiter=delimiter, source_rows=rows)


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their endings, one at a time: csv.reader joins a quoted cell's lines
    itself, and io.StringIO would hold a copy of the whole text at four bytes a character."""
    ending = "\n" if "\n" in text or "\r" not in text else "\r"  # Excel for Mac writes CR only
    start = 0
    while start < len(text):
        end = text.find(ending, start)
        end = len(text) if end == -1 else end + 1
        yield text[start:end]
        start = end


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _text_only(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError:
            refuse_file("The file says it is UTF-16 but is not.")
    if b"\x00" in data:
        refuse_file(NOT_TEXT)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return _text_only(data.decode(encoding)), encoding.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


def _text_only(text: str) -> str:
    if CONTROL.search(text):
        refuse_file(NOT_TEXT)
    return text


def _delimiter(text: str) -> str:
    # Quoted cells go first, newlines and all, so a header with a multi-line question still
    # counts as one line; then comment lines are passed over to reach the real header.
    head = QUOTED.sub("", text[:HEADER_SEARCH_CHARS])
    lines = (line for line in head.split("\n") if line.strip() and not is_comment_line(line))
    header_line = next(lines, "")
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])  # ties go to the comma
    return best if counts[best] else ","


# Workbooks --------------------------------------------------------------------------------------


def _workbook(data: bytes) -> Grid:
    _check_archive(data)
    workbook = _open_workbook(data)
    sheets = len(workbook.worksheets)
    workbook.close()
    if not sheets:
        refuse_file(
            "The workbook has no sheet to import; save the table on a sheet, or export CSV."
        )

    def rows() -> Rows:
        book = _open_workbook(data)
        try:
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # some tools write a wrong size; read every row there is
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [cell_text(value) for value in values]
                if any(cell.strip() for cell in cells):
                    yield number, cells
        except (KeyError, ValueError, zipfile.BadZipFile, EOFError, SyntaxError):
            _broken_workbook()  # a sheet damaged past its first rows (SyntaxError: bad XML)
        finally:
            book.close()

    return Grid(format="xlsx", source_rows=rows)


def _check_archive(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        _broken_workbook()
    if unpacked > MAX_UNPACKED_BYTES:
        refuse_file("The workbook unpacks to more than we read; export the table as CSV.")


def _open_workbook(data: bytes):
    from openpyxl import load_workbook  # imported here: only workbooks pay for it

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises KeyError, zip, XML and value errors for broken files
        _broken_workbook()


def _broken_workbook() -> NoReturn:
    refuse_file(
        "This file starts like an Excel workbook (.xlsx) but cannot be opened: it is broken, cut "
        "short or another kind of zip, and it is not a text file either. Save it again as .xlsx, "
        "or export CSV."
    )


def cell_text(value) -> str:
    """A workbook cell as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


# JSON -------------------------------------------------------------------------------------------


def _json_document(data: bytes):
    """The parsed JSON when the file is JSON, else None (it is then read as a text table)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not JSON_START.match(text):
        return None  # a table whose first column is "[Q1] How likely..." is no JSON
    if _nesting(text) > MAX_JSON_DEPTH:
        refuse_file(
            f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels; no export we know does."
        )
    try:
        return json.loads(text)
    except ValueError as error:
        refuse_file(f"The file starts like JSON but is not valid JSON: {error}.")


def _nesting(text: str) -> int:
    """How deep brackets nest outside strings, counted without recursion (json.loads would
    recurse once per level and overflow the stack on a hostile file)."""
    depth = deepest = 0
    for bracket in JSON_BRACKET.finditer(JSON_STRING.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def table_grid(header: list[str], rows: list[list[str]], *, format: str) -> Grid:
    """A grid from rows already in memory (a tool's JSON flattened to a table), numbered as if
    the header were row 1."""
    records = [header, *rows]

    def numbered() -> Rows:
        return iter(list(enumerate(records, start=1)))

    return Grid(format=format, encoding="utf-8", source_rows=numbered)
