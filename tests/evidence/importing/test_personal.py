"""Columns with personal data in each tool's export (evidence/importing/personal.py): told by
their names or by their values, left out of the proposed mapping with what each holds, while
segment-like columns stay; mapped on purpose, the check says what is kept of them; and the
first rows of the preview are masked as the stored text would be."""

import pytest

from evidence import importing

from .helpers import pieces, run, sample

# What each tool's sample export holds that the map does not need.
LEFT_OUT = {
    "qualtrics_responses.csv": {
        "IPAddress": "IP addresses",
        "ResponseId": "identifiers",
        "RecipientLastName": "names",
        "RecipientFirstName": "names",
        "RecipientEmail": "e-mail addresses",
        "ExternalReference": "identifiers",
        "LocationLatitude": "locations",
        "LocationLongitude": "locations",
    },
    "surveymonkey_responses.csv": {
        "Respondent ID": "identifiers",
        "Collector ID": "identifiers",
        "IP Address": "IP addresses",
        "Email Address": "e-mail addresses",
        "First Name": "names",
        "Last Name": "names",
    },
    "typeform_responses.csv": {
        "#": "identifiers",
        "email": "e-mail addresses",
        "Network ID": "identifiers",
    },
    "google_forms.csv": {"Email Address": "e-mail addresses"},
    "hotjar_feedback.csv": {"User": "names", "Email": "e-mail addresses"},
    "hotjar_survey.csv": {"User": "names", "Hotjar User ID": "identifiers"},
    "ga4_pages.csv": {},
    "clarity_export.json": {},
}


def personal_of(preview: dict) -> dict:
    return {entry["column"]: entry["holds"] for entry in preview["personal"]}


@pytest.mark.parametrize("name", LEFT_OUT)
def test_each_tools_personal_columns_are_recognised_and_left_out(name):
    found = importing.preview(sample(name))

    assert personal_of(found) == LEFT_OUT[name]
    assert found["left_out"] == list(LEFT_OUT[name])
    if LEFT_OUT[name]:
        count = len(LEFT_OUT[name])
        assert (
            f"{count} column{'s' if count > 1 else ''} with personal data left out"
            in (found["summary"])
        )


def test_segment_like_columns_stay_available():
    found = importing.preview(sample("hotjar_feedback.csv"))

    assert not {"Country", "Device", "Browser"} & set(found["left_out"])


def test_a_column_of_addresses_is_told_by_its_values_whatever_its_name():
    data = (
        b"Feedback,Contact,Reached from\n"
        b"The size guide helped,jane@example.com,10.0.0.1\n"
        b"Delivery was slow,+44 20 7946 0958,10.0.0.2\n"
        b"Great,bob@example.org,10.0.0.3\n"
    )

    found = importing.preview(data)

    assert personal_of(found) == {"Contact": "e-mail addresses", "Reached from": "IP addresses"}
    assert found["mapping"]["columns"] == {"Feedback": "answer"}


def test_a_column_mapped_on_purpose_says_what_is_kept_of_it():
    found = importing.preview(sample("hotjar_feedback.csv"))
    said = {entry["column"]: entry["if_mapped"] for entry in found["personal"]}

    assert said["Email"] == "the column Email is mapped: e-mail addresses will be masked ([e-mail])"
    assert said["User"] == "the column User is mapped: names will be stored as they are"


def test_the_check_of_a_mapping_that_reads_a_personal_column_says_what_is_kept():
    data = sample("hotjar_feedback.csv")
    mapping = importing.preview(data)["mapping"]
    mapping["columns"]["Email"] = "note"

    outcomes = importing.check(data, mapping, stages=[(1, "Awareness")], stage_id=1)

    assert outcomes.personal() == [
        "the column Email is mapped: e-mail addresses will be masked ([e-mail])"
    ]
    notes = [piece.values.get("note") for piece in outcomes if isinstance(piece, importing.Piece)]
    assert "[e-mail]" in notes and not any("@" in (note or "") for note in notes)


def test_with_masking_off_the_check_says_the_addresses_are_stored():
    data = sample("hotjar_feedback.csv")
    mapping = importing.preview(data, mask=False)["mapping"]
    mapping["columns"]["Email"] = "note"

    outcomes = importing.check(data, mapping, stages=[(1, "A")], stage_id=1, mask=False)

    assert outcomes.personal() == [
        "the column Email is mapped: e-mail addresses will be stored (masking is off on this map)"
    ]


def test_the_first_rows_are_masked_as_they_would_be_stored():
    data = b"Answer,Country\nCall me on +49 151 23456789,Germany\nFrom 10.1.2.3,Austria\n"

    masked = importing.preview(data)["sample"]
    plain = importing.preview(data, mask=False)["sample"]

    assert masked == [["Call me on [phone]", "Germany"], ["From [IP]", "Austria"]]
    assert plain == [["Call me on +49 151 23456789", "Germany"], ["From 10.1.2.3", "Austria"]]


def test_answers_are_masked_in_the_pieces_of_a_wide_survey():
    header = sample("google_forms.csv").decode().splitlines()[0]  # a Google Forms export
    data = f'{header}\n10/1/2026 13:45:05,,8,"Great, write to lena@example.com",4\n'.encode()

    answers = [piece.values.get("answer") for piece in pieces(run(data))]

    assert "Great, write to [e-mail]" in answers


def test_a_file_of_nothing_but_personal_data_proposes_nothing_and_says_why():
    data = b"Email,Name,IP Address\njane@example.com,Jane Doe,10.0.0.1\n"

    found = importing.preview(data)

    assert found["left_out"] == ["Email", "Name", "IP Address"]
    assert found["mapping"]["columns"] == {}
    assert "nothing but personal data, so nothing is proposed for import" in found["summary"]
