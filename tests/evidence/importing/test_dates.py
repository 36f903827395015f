"""Dates in the tools' own formats, and the day/month order a whole column settles."""

import datetime

import pytest

from evidence.fields import Invalid
from evidence.importing import dates

OCT_3 = datetime.date(2026, 10, 3)


@pytest.mark.parametrize(
    "raw, order",
    [
        ("10/03/2026 09:14:01 AM", "mdy"),  # SurveyMonkey
        ("10/3/2026 13:45:05", "mdy"),  # Google Forms in the US
        ("3/10/2026 13:45:05", "dmy"),  # Google Forms in Europe
        ("2026-10-03 09:14:01", None),  # Typeform, Qualtrics, Hotjar
        ("2026-10-03T09:14:01Z", None),  # APIs
        ("20261003", None),  # GA4
        ("03.10.2026", None),  # a German spreadsheet
        ("03.10.2026 09:14", None),
        ("Oct 3, 2026", None),  # a GA4 date range
        ("3 October 2026", None),
        ("10/03/26", "mdy"),
    ],
)
def test_each_tools_date_style_reads_to_the_same_day(raw, order):
    assert dates.parse(raw, order) == OCT_3


def test_a_day_over_12_settles_a_single_value_without_an_order():
    assert dates.parse("25/10/2026") == datetime.date(2026, 10, 25)
    assert dates.parse("10/25/2026 06:02:15 PM") == datetime.date(2026, 10, 25)


def test_an_ambiguous_value_without_an_order_asks_for_one():
    with pytest.raises(Invalid, match="day or month first; set date_order"):
        dates.parse("10/03/2026")


def test_text_that_is_no_date_is_refused():
    with pytest.raises(Invalid, match="is not a date"):
        dates.parse("last Tuesday")
    with pytest.raises(Invalid, match="is not a date"):
        dates.parse("13/13/2026", "mdy")


@pytest.mark.parametrize(
    "column, order, ambiguous",
    [
        (["10/1/2026 13:45:05", "10/13/2026 17:30:00"], "mdy", False),  # a second part over 12
        (["13/10/2026", "01/10/2026"], "dmy", False),  # a first part over 12
        (["10/03/2026 09:14:01 AM", "10/04/2026 06:05:33 PM"], None, True),
        (["13/10/2026", "10/13/2026"], None, True),  # contradicting: no order can read both
        (["2026-10-03", "20261004"], None, False),  # nothing to settle
    ],
)
def test_the_whole_column_settles_the_order(column, order, ambiguous):
    assert dates.order_of(column) == (order, ambiguous)
