"""Reading a file into rows of text cells: the container told by content, encodings, separators,
row numbers as a spreadsheet shows them, and the files that are refused with a reason."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError

from evidence.importing import reading

from .helpers import workbook


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        grid = reading.read(data)
        list(grid.rows())
    return caught.value.message_dict["file"][0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_text_tables_are_read_in_every_encoding_excel_writes(encoding):
    text = "Frage;Antwort\r\nWie passt die Größe?;Zu klein, ärgerlich – zurückgeschickt\r\n"
    grid = reading.read(text.encode(encoding))

    assert list(grid.rows()) == [
        (1, ["Frage", "Antwort"]),
        (2, ["Wie passt die Größe?", "Zu klein, ärgerlich – zurückgeschickt"]),
    ]
    assert grid.format == "csv" and grid.delimiter == ";"
    assert grid.encoding == {"utf-8-sig": "utf-8"}.get(encoding, encoding)


def test_separator_comes_from_the_header_not_the_comment_lines():
    text = "# Account: Linen; Co; Retail; Ltd\n# Start date: 20261001\n\nPage,Views\n/,12\n"
    grid = reading.read(text.encode())

    assert grid.delimiter == ","
    assert list(grid.rows())[-1] == (5, ["/", "12"])


def test_tab_separated_header_with_a_quoted_newline_keeps_its_separator():
    text = 'Question\t"Answer\n(free text)"\nWhy?\t"Too small;\nreturned it"\n'
    rows = list(reading.read(text.encode()).rows())

    assert rows == [
        (1, ["Question", "Answer\n(free text)"]),
        (2, ["Why?", "Too small;\nreturned it"]),
    ]


def test_rows_keep_the_numbers_a_spreadsheet_shows_across_blank_lines_and_quoted_newlines():
    text = 'Question,Answer\nQ1,"two\nlines"\n\nQ2,after a blank row\n'
    rows = list(reading.read(text.encode()).rows())

    assert [number for number, _ in rows] == [1, 2, 4]


def test_typeform_hash_header_is_not_taken_for_a_comment():
    assert not reading.is_comment_line("#,How likely are you to recommend us?")
    assert reading.is_comment_line("# Start date: 20261001")
    assert reading.is_comment_row(["# Account: Linen & Co Retail"])
    assert not reading.is_comment_row(["#", "How likely are you to recommend us?"])


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"Question,Answer\x07\nQ,A\n", "not a text file"),
        (b"\xff\xfeQ\x00\x00\xd8", "says it is UTF-16"),
    ],
)
def test_files_that_are_not_text_tables_are_refused(data, message):
    assert message in refusal(data)


def test_a_file_over_the_limit_is_refused_before_reading():
    assert "over 20 MB" in refusal(b"a" * (reading.MAX_BYTES + 1))


def test_workbook_cells_read_as_a_csv_export_of_them_would():
    import datetime

    data = workbook(
        [
            ["Submit Date (UTC)", "Score", "Reason"],
            [datetime.datetime(2026, 10, 3, 9, 14, 1), 9.0, "Fits well"],
            [],
            [datetime.date(2026, 10, 4), 7.5, None],
        ]
    )
    grid = reading.read(data)

    assert grid.format == "xlsx"
    assert list(grid.rows()) == [
        (1, ["Submit Date (UTC)", "Score", "Reason"]),
        (2, ["2026-10-03 09:14:01", "9", "Fits well"]),
        (4, ["2026-10-04 00:00:00", "7.5"]),
    ]


def test_broken_workbook_is_refused_with_a_reason():
    message = refusal(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64)

    assert "Excel workbook" in message and "cannot be opened" in message
    assert "not a text file" in message  # the words the CSV import has always answered with


def test_workbook_cut_short_is_refused():
    assert "cannot be opened" in refusal(workbook([["Question"], ["Q"]])[:300])


def test_workbook_without_a_sheet_is_refused():
    source = zipfile.ZipFile(io.BytesIO(workbook([["Question"]])))
    emptied = io.BytesIO()
    with zipfile.ZipFile(emptied, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                content = re.sub(rb"<sheets>.*?</sheets>", b"<sheets/>", content)
            archive.writestr(info.filename, content)

    assert "no sheet" in refusal(emptied.getvalue())


def test_password_protected_workbook_is_told_apart_from_a_broken_one():
    # Excel encrypts a protected .xlsx into an OLE2 container, the same as an old .xls.
    ole2 = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504

    assert "protected by a password" in refusal(ole2)


def test_json_is_parsed_when_the_file_starts_like_json():
    grid = reading.read(b'\xef\xbb\xbf [{"metricName": "Traffic", "information": []}]')

    assert grid.format == "json"
    assert grid.document == [{"metricName": "Traffic", "information": []}]


def test_deeply_nested_json_is_refused_without_recursing():
    deep = b"[" * 100_000 + b"]" * 100_000  # json.loads would overflow the stack

    assert "nested deeper than 20" in refusal(deep)


def test_brackets_inside_json_strings_do_not_count_as_nesting():
    text = '[{"metricName": "' + "[" * 50 + '", "information": []}]'

    assert reading.read(text.encode()).document[0]["metricName"] == "[" * 50


def test_invalid_json_is_refused():
    assert "not valid JSON" in refusal(b'[{"metricName": "Traffic",')


def test_a_table_whose_first_column_starts_with_a_bracket_is_not_taken_for_json():
    grid = reading.read(b"[Q1] How likely are you to recommend us?,[Q2] Why?\n9,Fits\n")

    assert grid.format == "csv"
    assert list(grid.rows())[1] == (2, ["9", "Fits"])
