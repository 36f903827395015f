"""What the preview says of each export, and the mapping it proposes."""

import json

from evidence import importing

from .helpers import sample


def preview(name: str) -> dict:
    return importing.preview(sample(name))


def question(result: dict, column: str) -> dict:
    return next(entry for entry in result["questions"] if entry["column"] == column)


NPS_Q = "How likely are you to recommend us to a friend?"
REASON_Q = "What is the main reason for your score?"
CSAT_Q = "How satisfied are you with delivery?"
CES_Q = "How easy was it to find your size?"


def test_typeform_preview_counts_respondents_and_leaves_personal_data_out():
    result = preview("typeform_responses.csv")

    assert result["summary"] == (
        "Typeform responses: 6 respondents, 3 questions; 3 columns with personal data left out"
    )
    assert result["left_out"] == ["#", "email", "Network ID"]
    assert result["rows"] == 6 and len(result["sample"]) == 6
    assert result["format"] == "csv" and result["encoding"] == "utf-8"


def test_typeform_proposes_scales_from_question_and_answers_and_pairs_the_reason():
    mapping = preview("typeform_responses.csv")["mapping"]

    assert mapping["questions"] == [
        {"column": NPS_Q, "scale": "nps", "reason": REASON_Q},
        {"column": CSAT_Q, "scale": "csat", "reason": None},
        {"column": CES_Q, "scale": "ces", "reason": None},
    ]
    assert mapping["columns"] == {"Submit Date (UTC)": "collected_on", "device": "segment"}
    assert mapping["fixed"] == {"source": "Typeform"}


def test_preview_says_why_each_question_was_or_was_not_proposed():
    result = preview("typeform_responses.csv")

    assert question(result, NPS_Q)["why"].startswith(
        "answers 3-10 to a question about recommending"
    )
    assert question(result, REASON_Q)["proposed"] is False
    assert question(result, REASON_Q)["why"] == f"the reason given for {NPS_Q!r}"


def test_numbers_without_a_scale_word_are_not_proposed_as_scores():
    data = (
        b"#,How many times did you visit before buying?,Submit Date (UTC),Network ID\n"
        b"a1,3,2026-10-03 09:14:01,x\nb2,5,2026-10-04 10:00:00,y\n"
    )
    result = importing.preview(data)

    entry = question(result, "How many times did you visit before buying?")
    assert entry["scale"] is None and entry["proposed"] is False
    assert "choose nps, csat or ces" in entry["why"]


def test_surveymonkey_ambiguous_dates_are_proposed_month_first():
    result = preview("surveymonkey_responses.csv")

    assert result["date_order"] == {
        "column": "End Date",
        "order": "mdy",
        "ambiguous": True,
        "why": (
            "every date could be day or month first; SurveyMonkey usually writes the month first"
        ),
    }
    assert result["mapping"]["date_order"] == "mdy"
    assert "dates read with the month first" in result["summary"]


def test_surveymonkey_device_question_is_proposed_as_the_segment_and_options_are_not_questions():
    result = preview("surveymonkey_responses.csv")

    assert result["mapping"]["columns"]["Which device did you shop on?"] == "segment"
    assert question(result, "What did you buy? - Shirts")["proposed"] is False
    assert question(result, NPS_Q)["scale"] == "nps"  # one stray 11 does not hide the scale
    assert "1 outside 0-10" in question(result, NPS_Q)["why"]


def test_google_forms_column_settles_month_first_without_ambiguity():
    result = preview("google_forms.csv")

    assert result["date_order"]["order"] == "mdy" and not result["date_order"]["ambiguous"]
    assert result["left_out"] == ["Email Address"]


def test_qualtrics_questions_carry_the_texts_of_the_second_header_row():
    mapping = preview("qualtrics_responses.csv")["mapping"]

    assert mapping["questions"][0] == {
        "column": "Q1",
        "scale": "nps",
        "reason": "Q2",
        "question": NPS_Q,
    }
    assert mapping["columns"] == {"RecordedDate": "collected_on", "Segment": "segment"}


def test_ga4_proposes_a_metric_per_number_column_with_units_and_period():
    mapping = preview("ga4_pages.csv")["mapping"]

    assert mapping["label"] == "Page path and screen class"
    assert {"column": "Bounce rate", "unit": "%", "multiply": 100} in mapping["values"]
    assert {"column": "Average engagement time per session", "unit": "s", "multiply": 1} in (
        mapping["values"]
    )
    assert mapping["sample_size"] == "Sessions"
    assert mapping["fixed"] == {
        "period": "2026-10-01 to 2026-10-31",
        "source": "Google Analytics 4",
    }
    assert mapping["comparison"] is None


def test_ga4_comparison_takes_the_earlier_range_as_baseline():
    mapping = preview("ga4_comparison.csv")["mapping"]

    assert mapping["comparison"] == {
        "column": "Date range",
        "current": "Oct 1, 2026 - Oct 31, 2026",
        "baseline": "Sep 1, 2026 - Sep 30, 2026",
    }
    assert "Date range" not in [value["column"] for value in mapping["values"]]


def test_hotjar_feedback_proposes_quotes_from_the_messages():
    result = preview("hotjar_feedback.csv")

    assert result["mapping"] == {
        "shape": "long",
        "kind": "quote",
        "columns": {"Message": "text", "Date Submitted": "collected_on", "Device": "who"},
        "date_order": None,
        "fixed": {"source": "Hotjar feedback"},
        "empty": "skip",
    }
    assert result["left_out"] == ["User", "Email"]


def test_clarity_preview_lists_what_is_not_a_metric():
    result = preview("clarity_export.json")

    assert result["format"] == "json" and result["source"] == "clarity"
    assert result["skipped"] == [
        {"row": None, "reason": "Clarity's PopularPages: a list, not a metric"}
    ]
    assert result["mapping"]["columns"] == {
        "Metric": "name",
        "Value": "value",
        "Unit": "unit",
        "Sample size": "sample_size",
        "Source": "source",
    }


def test_plain_csv_with_recording_links_proposes_recordings():
    result = preview("recordings.csv")

    assert result["kind"] == "recording" and result["stage_column"] == "Stage"
    assert result["mapping"]["columns"] == {
        "Recording": "url",
        "Start": "start_seconds",
        "Note": "note",
    }


def test_plain_csv_preview_proposes_todays_columns_for_the_kind_asked():
    data = b"Question,Answer,NPS,Segment,Stage\nHow likely?,Great,9,New,Decision\n"
    result = importing.preview(data, kind="survey")

    assert result["mapping"]["columns"] == {
        "Question": "question",
        "Answer": "answer",
        "NPS": "score",
        "Segment": "segment",
    }
    assert result["fields"][:3] == ["question", "answer", "score"]
    assert result["required"] == ["question"]


def test_every_preview_is_json_serialisable():
    for name in (
        "typeform_responses.csv",
        "surveymonkey_responses.csv",
        "qualtrics_responses.csv",
        "ga4_comparison.csv",
        "clarity_export.json",
        "hotjar_feedback.csv",
    ):
        assert json.loads(json.dumps(preview(name)))["source"]
