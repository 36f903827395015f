"""Each tool's export told by its own signature, with the rows it adds above its table skipped."""

import json

import pytest
from django.core.exceptions import ValidationError

from evidence.importing import reading, sources

from .helpers import sample


def recognise(data: bytes) -> sources.Recognised:
    return sources.recognise(reading.read(data))


@pytest.mark.parametrize(
    "name, source, kind, shape",
    [
        ("typeform_responses.csv", "typeform", "survey", "wide"),
        ("surveymonkey_responses.csv", "surveymonkey", "survey", "wide"),
        ("qualtrics_responses.csv", "qualtrics", "survey", "wide"),
        ("hotjar_survey.csv", "hotjar-survey", "survey", "wide"),
        ("hotjar_feedback.csv", "hotjar-feedback", "quote", "long"),
        ("google_forms.csv", "google-forms", "survey", "wide"),
        ("ga4_pages.csv", "ga4", "metric", "wide"),
        ("ga4_comparison.csv", "ga4", "metric", "wide"),
        ("clarity_export.json", "clarity", "metric", "long"),
        ("recordings.csv", "csv", "recording", "long"),
    ],
)
def test_every_sample_is_recognised_by_its_signature(name, source, kind, shape):
    found = recognise(sample(name))

    assert (found.source, found.kind, found.shape) == (source, kind, shape)


def test_surveymonkey_second_header_row_is_skipped_and_names_the_option_columns():
    found = recognise(sample("surveymonkey_responses.csv"))

    assert found.header_row == 1 and found.first_data_row == 3
    assert [skip["row"] for skip in found.skipped] == [2]
    assert "What did you buy? - Shirts" in found.header
    assert "What did you buy? - Dresses" in found.header
    assert found.options["What did you buy? - Shirts"] == "What did you buy?"
    assert [number for number, _ in found.data_rows()] == [3, 4, 5, 6]


def test_surveymonkey_cp1252_text_is_read_right():
    grid = reading.read(sample("surveymonkey_responses.csv"))
    cells = dict(sources.recognise(grid).data_rows())[3]

    assert grid.encoding == "cp1252"
    assert "didn’t have to return" in cells[10]


def test_qualtrics_question_texts_and_import_ids_rows_are_skipped():
    found = recognise(sample("qualtrics_responses.csv"))

    assert found.header[:2] == ["StartDate", "EndDate"]  # the BOM is not in the first name
    assert [skip["row"] for skip in found.skipped] == [2, 3]
    assert found.first_data_row == 4
    assert found.text_of("Q1") == "How likely are you to recommend us to a friend?"


def test_ga4_comment_lines_are_skipped_and_give_the_period():
    found = recognise(sample("ga4_pages.csv"))

    assert found.header_row == 11
    assert [skip["row"] for skip in found.skipped] == list(range(1, 10))
    assert found.period == "2026-10-01 to 2026-10-31"
    assert found.header[0] == "Page path and screen class"


def test_ga4_table_ends_where_a_further_comment_block_starts():
    text = sample("ga4_pages.csv").decode() + "\n# ----\n# Nth day\nNth day,Views\n0000,1520\n"

    rows = [cells[0] for _, cells in recognise(text.encode()).data_rows()]

    assert rows == ["/", "/search/", "/checkout/", "/product/linen-shirt/"]


def test_hotjar_feedback_is_told_from_a_hotjar_survey_by_its_emotion_column():
    header = "Number,User,Date Submitted,Country,Source URL,Device,Browser,OS"

    assert (
        recognise(f"{header},Emotion (1-5),Message\n1,V,x,DE,u,Mobile,C,A,4,Hi\n".encode()).source
        == "hotjar-feedback"
    )
    assert (
        recognise(f"{header},Why?\n1,V,x,DE,u,Mobile,C,A,Hi\n".encode()).source == "hotjar-survey"
    )


def test_plain_table_with_a_label_column_and_numbers_is_wide_metrics():
    found = recognise(b"Page,Sessions,Bounce rate\n/checkout/,2950,33.9%\n/,26102,41.2%\n")

    assert (found.source, found.kind, found.shape) == ("csv", "metric", "wide")


def test_plain_long_table_is_read_as_today():
    found = recognise(b"Question,Answer,NPS,Segment,Stage\nHow likely?,Great,9,New,Decision\n")

    assert (found.source, found.kind, found.shape) == ("csv", "survey", "long")
    assert found.header == ["Question", "Answer", "NPS", "Segment", "Stage"]


@pytest.mark.parametrize(
    "data",
    [b"How likely?,9\nWhy?,7\n", b"Question,,Answer\nQ,x,A\n", b"Question,Question\nQ,A\n"],
)
def test_plain_table_must_name_its_columns(data):
    with pytest.raises(ValidationError, match="first row must name the columns"):
        recognise(data)


def test_json_no_tool_writes_is_refused():
    with pytest.raises(ValidationError, match="not an export we can read"):
        recognise(json.dumps({"rows": [{"page": "/", "views": 3}]}).encode())


def test_a_file_of_only_comment_lines_has_no_table():
    with pytest.raises(ValidationError, match="no table"):
        recognise(b"# Start date: 20261001\n# End date: 20261031\n")
