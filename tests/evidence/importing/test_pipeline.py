"""What each export's rows become through check(): pieces checked as a single piece is, or
failures named by row; and the mappings refused before any row is read."""

import csv
import datetime
import io
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError

from evidence import importing

from .helpers import STAGES, failures, pieces, run, sample, workbook

NPS_Q = "How likely are you to recommend us to a friend?"
CSAT_Q = "How satisfied are you with delivery?"
CES_Q = "How easy was it to find your size?"


def by_question(outcomes: list) -> dict:
    found = {}
    for piece in pieces(outcomes):
        found.setdefault(piece.values["question"], []).append(piece)
    return found


def mapping_error(data: bytes, mapping: dict, **options) -> str:
    with pytest.raises(ValidationError) as caught:
        importing.check(data, mapping, stages=STAGES, stage_id=11, **options)
    return caught.value.message_dict["mapping"][0]


@pytest.mark.parametrize(
    "name, count",
    [
        ("typeform_responses.csv", 14),  # 5 NPS, 5 CSAT, 4 CES answers; a partial response none
        ("surveymonkey_responses.csv", 11),  # 12 answers, one NPS of 11 fails
        ("qualtrics_responses.csv", 8),
        ("hotjar_survey.csv", 7),
        ("hotjar_feedback.csv", 3),  # one response left the message out
        ("google_forms.csv", 6),
        ("ga4_pages.csv", 20),  # 4 pages x 5 number columns
        ("ga4_comparison.csv", 9),  # 3 channels x 3 columns, the baseline range inside them
        ("clarity_export.json", 6),
        ("recordings.csv", 3),
    ],
)
def test_each_sample_gives_its_pieces_with_the_proposed_mapping(name, count):
    assert len(pieces(run(sample(name)))) == count


def test_typeform_scores_scales_reasons_segments_and_dates():
    found = by_question(run(sample("typeform_responses.csv")))

    nps = found[NPS_Q]
    assert [piece.values["score"] for piece in nps] == [9, 3, 10, 7, 8]
    assert {piece.values["score_scale"] for piece in nps} == {"nps"}
    assert nps[0].values["answer"] == "Loved the linen shirts, and the size guide was spot on"
    assert nps[3].values["answer"] == "Delivery took a week,\nbut the parcel came well packed"
    assert "answer" not in nps[2].values  # a score without a reason
    assert [piece.values["segment"] for piece in nps] == ["Mobile", "Desktop", "Mobile"] + [
        "Mobile",
        "Desktop",
    ]
    assert nps[0].values["collected_on"] == datetime.date(2026, 10, 3)
    assert [piece.row for piece in nps] == [2, 3, 4, 5, 7]  # the quoted newline is one row
    assert [piece.values["score"] for piece in found[CSAT_Q]] == [5, 2, 4, 3, 5]
    assert [piece.values["score_scale"] for piece in found[CES_Q]] == ["ces"] * 4
    assert nps[0].values["source"] == "Typeform" and nps[0].kind == "survey"
    assert nps[0].stage_id == 11


def test_score_out_of_scale_is_a_failure_naming_its_row():
    outcomes = run(sample("surveymonkey_responses.csv"))

    assert failures(outcomes) == [
        importing.Failure(6, {"score": [f"{NPS_Q}: A NPS score is from 0 to 10."]})
    ]
    assert len([piece for piece in pieces(outcomes) if piece.row == 6]) == 2  # its other answers


def test_surveymonkey_labels_become_csat_scores_and_dates_read_month_first():
    found = by_question(run(sample("surveymonkey_responses.csv")))

    assert [piece.values["score"] for piece in found[CSAT_Q]] == [5, 2, 4, 5]
    assert found[CSAT_Q][1].values["segment"] == "Desktop"
    assert found[NPS_Q][0].values["collected_on"] == datetime.date(2026, 10, 3)


def test_changing_date_order_reads_the_other_way():
    data = sample("surveymonkey_responses.csv")
    mapping = {**importing.preview(data)["mapping"], "date_order": "dmy"}

    first = pieces(run(data, mapping))[0]

    assert first.values["collected_on"] == datetime.date(2026, 3, 10)


def xlsx_cell(text: str):
    """A cell as Excel holds it: numbers and dates typed, not text."""
    if text.isdigit():
        return int(text)
    try:
        return datetime.datetime.strptime(text, "%m/%d/%Y %I:%M:%S %p")
    except ValueError:
        return text or None


def test_surveymonkey_xlsx_gives_the_same_pieces_as_its_csv():
    text = sample("surveymonkey_responses.csv").decode("cp1252")
    data = workbook([[xlsx_cell(cell) for cell in row] for row in csv.reader(io.StringIO(text))])

    from_xlsx, from_csv = run(data), run(sample("surveymonkey_responses.csv"))

    assert importing.preview(data)["format"] == "xlsx"
    assert from_xlsx == from_csv


def test_hotjar_survey_xlsx_export_reads_like_its_csv():
    rows = list(csv.reader(io.StringIO(sample("hotjar_survey.csv").decode())))
    data = workbook(rows)

    assert [p.values for p in pieces(run(data))] == [
        p.values for p in pieces(run(sample("hotjar_survey.csv")))
    ]


def test_qualtrics_answers_use_the_question_texts():
    found = by_question(run(sample("qualtrics_responses.csv")))

    assert [piece.values["score"] for piece in found[NPS_Q]] == [9, 4, 7]
    assert found[NPS_Q][1].values["answer"] == "Sizes run small, two returns"
    assert found[NPS_Q][1].values["segment"] == "New customer"
    assert [piece.row for piece in found[NPS_Q]] == [4, 5, 6]


def test_google_forms_timestamps_read_month_first():
    found = by_question(run(sample("google_forms.csv")))

    assert [piece.values["collected_on"] for piece in found[NPS_Q]] == [
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 2),
        datetime.date(2026, 10, 13),
    ]


def test_hotjar_feedback_messages_become_quotes():
    quotes = pieces(run(sample("hotjar_feedback.csv")))

    assert [quote.row for quote in quotes] == [2, 4, 5]
    assert quotes[0].kind == "quote"
    assert quotes[0].values == {
        "text": "The filters forget my size every time I go back",
        "collected_on": datetime.date(2026, 10, 9),
        "who": "Mobile",
        "source": "Hotjar feedback",
    }


def test_ga4_pages_become_metrics_named_by_column_and_row():
    metrics = {piece.values["name"]: piece.values for piece in pieces(run(sample("ga4_pages.csv")))}

    assert metrics["Sessions, /checkout/"]["value"] == 2950
    assert metrics["Bounce rate, /checkout/"]["value"] == 33.87  # 0.3387 as a percentage
    assert metrics["Bounce rate, /checkout/"]["unit"] == "%"
    assert metrics["Bounce rate, /checkout/"]["sample_size"] == 2950
    assert "sample_size" not in metrics["Sessions, /checkout/"]
    assert metrics["Views, /search/"]["period"] == "2026-10-01 to 2026-10-31"
    assert metrics["Views, /search/"]["source"] == "Google Analytics 4"


def test_ga4_comparison_gives_baseline_and_value():
    outcomes = run(sample("ga4_comparison.csv"))
    metrics = {piece.values["name"]: piece for piece in pieces(outcomes)}

    paid = metrics["Key events, Paid Search"]
    assert (paid.values["baseline"], paid.values["value"]) == (205, 410)
    assert metrics["Engagement rate, Email"].values["baseline"] == 69.5
    assert metrics["Engagement rate, Email"].values["value"] == 70.21
    assert paid.row == 13  # the current range's row
    assert not failures(outcomes)


def test_ga4_comparison_row_only_in_the_baseline_is_reported():
    data = sample("ga4_comparison.csv") + b'Referral,"Sep 1, 2026 - Sep 30, 2026",310,0.5,12\n'

    assert failures(run(data)) == [
        importing.Failure(
            18,
            {
                "comparison": [
                    "'Referral' is only in 'Sep 1, 2026 - Sep 30, 2026', "
                    "not in 'Oct 1, 2026 - Oct 31, 2026'."
                ]
            },
        )
    ]


def test_clarity_metrics_are_percentages_of_sessions_with_the_sample_size():
    metrics = {p.values["name"]: p.values for p in pieces(run(sample("clarity_export.json")))}

    assert metrics["Dead clicks"] == {
        "name": "Dead clicks",
        "value": 6.41,
        "unit": "%",
        "sample_size": 4210,
        "source": "Microsoft Clarity",
    }
    assert metrics["Rage clicks"]["value"] == 2.85  # documented spelling, values as strings
    assert metrics["Quick backs"]["sample_size"] == 4210
    assert (
        metrics["Scroll depth"]["value"] == 57.46 and metrics["Scroll depth"]["sample_size"] == 4210
    )


def test_clarity_pages_by_dimension_drop_their_query_strings():
    data = (
        b'[{"metricName": "DeadClickCount", "information": [{"sessionsCount": "120",'
        b' "sessionsWithMetricPercentage": 9.5, "URL": "https://shop.example/checkout/?gclid=AB1",'
        b' "Device": "Mobile"}]}]'
    )

    (metric,) = pieces(run(data))

    assert metric.values["name"] == "Dead clicks, https://shop.example/checkout/, Mobile"
    assert metric.values["sample_size"] == 120


def test_recordings_get_their_provider_and_start_and_stage_by_title():
    outcomes = run(sample("recordings.csv"), stage_column="Stage")

    assert [(p.stage_id, p.values["provider"], p.values["start_seconds"]) for p in outcomes] == [
        (12, "hotjar", 83),
        (13, "clarity", 45),
        (14, "loom", 125),
    ]


def test_a_stage_missing_from_the_map_fails_the_row():
    data = b"Recording,Stage\nhttps://www.loom.com/share/abc,Advocacy\n"

    assert run(data, stage_column="Stage") == [
        importing.Failure(2, {"stage": ["No stage named 'Advocacy' on this map."]})
    ]


def test_todays_flat_mapping_with_a_kind_gives_todays_clean_values():
    data = (
        b"Question,Answer,NPS,Segment,Stage\r\n"
        b"How likely are you to recommend us?,Easy to find my size,9,Returning,Decision\r\n"
        b'How likely are you to recommend us?,"Slow delivery,\nand no tracking",3,New,purchase\r\n'
        b",no question,5,New,Decision\r\n"
    )
    mapping = {"Question": "question", "Answer": "answer", "NPS": "score", "Segment": "segment"}

    outcomes = list(
        importing.check(data, mapping, kind="survey", stages=STAGES, stage_column="Stage")
    )

    assert outcomes[:2] == [
        importing.Piece(
            2,
            13,
            "survey",
            {
                "question": "How likely are you to recommend us?",
                "answer": "Easy to find my size",
                "score": 9,
                "segment": "Returning",
                "score_scale": "nps",
            },
        ),
        importing.Piece(
            3,
            14,
            "survey",
            {
                "question": "How likely are you to recommend us?",
                "answer": "Slow delivery,\nand no tracking",
                "score": 3,
                "segment": "New",
                "score_scale": "nps",
            },
        ),
    ]
    assert outcomes[2] == importing.Failure(4, {"question": ["This field is required."]})


def test_check_reads_rows_as_it_goes():
    header = "Metric,Value,Unit,Sample size\n"

    def lines() -> Iterator[str]:
        yield header
        for i in range(100_000):
            yield f"Add to cart rate {i % 50},{i % 100}.5,%,{1000 + i}\n"

    data = "".join(lines()).encode()
    outcomes = importing.check(
        data,
        {
            "shape": "long",
            "kind": "metric",
            "columns": {
                "Metric": "name",
                "Value": "value",
                "Unit": "unit",
                "Sample size": "sample_size",
            },
        },
        stages=STAGES,
        stage_id=11,
    )

    assert isinstance(outcomes, Iterator)
    first = next(outcomes)
    assert first == importing.Piece(
        2,
        11,
        "metric",
        {"name": "Add to cart rate 0", "value": 0.5, "unit": "%", "sample_size": 1000},
    )
    assert 1 + sum(1 for _ in outcomes) == 100_000


@pytest.mark.parametrize(
    "mapping, message",
    [
        ({"shape": "long", "kind": "quote", "columns": {"Nope": "text"}}, "no column 'Nope'"),
        (
            {
                "shape": "long",
                "kind": "quote",
                "columns": {"Message": "text", "Emotion (1-5)": "score"},
            },
            "'score' is not a field of quote",
        ),
        ({"shape": "long", "kind": "quote", "columns": {"Device": "who"}}, "Map a column to text"),
        (
            {
                "shape": "long",
                "kind": "quote",
                "columns": {"Message": "text"},
                "fixed": {"url": "x"},
            },
            "fixed: 'url' is not a field",
        ),
        (
            {"shape": "long", "kind": "quote", "columns": {"Message": "text"}, "date_order": "md"},
            "date_order",
        ),
    ],
)
def test_long_mapping_mistakes_are_refused_before_any_row(mapping, message):
    assert message in mapping_error(sample("hotjar_feedback.csv"), mapping)


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"questions": [{"column": NPS_Q, "scale": "stars"}]},
            f"Column {NPS_Q!r}: unknown scale 'stars'",
        ),
        ({"questions": [{"column": "Q9", "scale": "nps"}]}, "no column 'Q9' (a question column)"),
        ({"questions": []}, "Choose the question columns"),
        ({"columns": {"device": "score"}}, "Column 'device': 'score' is not a field of each row"),
        (
            {"questions": [{"column": NPS_Q, "scale": "nps", "reason": "Why?"}]},
            f"no column 'Why?' (the reason for {NPS_Q!r})",
        ),
    ],
)
def test_wide_survey_mapping_mistakes_name_the_column(change, message):
    data = sample("typeform_responses.csv")
    mapping = {**importing.preview(data)["mapping"], **change}

    assert message in mapping_error(data, mapping)


def test_a_mapping_for_another_kind_than_asked_is_refused():
    data = sample("typeform_responses.csv")
    with pytest.raises(ValidationError) as caught:
        importing.check(
            data, importing.preview(data)["mapping"], kind="metric", stages=STAGES, stage_id=11
        )

    assert "kind" in caught.value.message_dict


def test_wide_metric_mapping_mistakes_name_the_column():
    data = sample("ga4_pages.csv")
    mapping = importing.preview(data)["mapping"]

    assert "no column 'Revenue' (a number column)" in mapping_error(
        data, {**mapping, "values": [{"column": "Revenue"}]}
    )
    assert "multiply is a number" in mapping_error(
        data, {**mapping, "values": [{"column": "Views", "multiply": "lots"}]}
    )


@pytest.mark.parametrize(
    "target, key",
    [
        ({}, "stage"),
        ({"stage_id": 99}, "stage"),
        ({"stage_column": "Journey stage"}, "stage_column"),
    ],
)
def test_stage_choice_is_checked_before_any_row(target, key):
    data = sample("recordings.csv")
    with pytest.raises(ValidationError) as caught:
        importing.check(data, importing.preview(data)["mapping"], stages=STAGES, **target)

    assert key in caught.value.message_dict


def test_a_column_of_the_wrong_kind_fails_its_rows_with_a_reason():
    data = b"Metric,Value\nAdd to cart rate,8%\nSite search before purchase,eight\n"
    outcomes = run(
        data, {"shape": "long", "kind": "metric", "columns": {"Metric": "name", "Value": "value"}}
    )

    assert pieces(outcomes)[0].values == {"name": "Add to cart rate", "value": 8.0}
    assert failures(outcomes) == [importing.Failure(3, {"value": ["'eight' is not a number."]})]


def test_ambiguous_dates_without_an_order_fail_by_row_asking_for_one():
    data = b"Question,Answer,Date\nWhy?,Sizes,10/03/2026\n"
    mapping = {"Question": "question", "Answer": "answer", "Date": "collected_on"}

    (failure,) = list(importing.check(data, mapping, kind="survey", stages=STAGES, stage_id=11))

    assert failure.row == 2
    assert failure.errors == {
        "collected_on": ["10/03/2026 could be day or month first; set date_order."]
    }


def test_a_misspelt_mapping_key_is_refused_rather_than_ignored():
    data = sample("hotjar_feedback.csv")
    mapping = {"shape": "long", "kind": "quote", "colums": {"Message": "text"}}

    assert mapping_error(data, mapping).startswith("Unknown key 'colums' in the mapping")
