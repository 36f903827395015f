"""Dates as the tools write them, read to a `datetime.date` for `collected_on`.

The tools write: `10/03/2026 09:14:01 AM` (SurveyMonkey), `10/1/2026 13:45:05` (Google Forms),
`2026-10-03 09:14:01` (Typeform, Qualtrics), `2026-10-03T09:14:01Z` (APIs), `20261003` (GA4) and
`03.10.2026` (spreadsheets saved in German or Dutch). Only the time of day is dropped: the date is
the one the file shows, in the file's own time zone.

A date written with slashes and the year last could be day first or month first. One value cannot
tell, but a column can: a first part over 12 means the column is day first, a second part over 12
means month first. When no value decides it the column is ambiguous, and the mapping carries a
`date_order` the user can change; the preview proposes the tool's usual order (US tools write the
month first).
"""

import datetime
import re

from evidence.fields import Invalid

ORDERS = ("mdy", "dmy", "ymd")
YEAR_FIRST = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$")
COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,T].*)?$")
YEAR_LAST = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?:[ ,T].*)?$")
MONTH_NAME_FIRST = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})\b")  # Oct 3, 2026
DAY_FIRST_NAME = re.compile(r"^(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})\b")  # 3 Oct 2026
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def parse(raw: str, order: str | None = None) -> datetime.date:
    """The date in a cell; `order` ("mdy" or "dmy") settles slashed dates with the year last."""
    text = raw.strip()
    try:
        return _parse(text, order)
    except Invalid:
        raise
    except ValueError:
        raise Invalid(f"{text[:30]!r} is not a date.") from None


def _parse(text: str, order: str | None) -> datetime.date:
    if match := YEAR_FIRST.match(text) or COMPACT.match(text):
        year, month, day = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    if match := DOTTED.match(text):
        day, month, year = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    if match := YEAR_LAST.match(text):
        return _year_last(*match.groups(), order=order)
    if match := MONTH_NAME_FIRST.match(text):
        month, day, year = match.groups()
        return datetime.date(int(year), _month(month), int(day))
    if match := DAY_FIRST_NAME.match(text):
        day, month, year = match.groups()
        return datetime.date(int(year), _month(month), int(day))
    raise ValueError(text)


def _year_last(first: str, second: str, year: str, *, order: str | None) -> datetime.date:
    a, b, y = int(first), int(second), int(year)
    if len(year) == 2:
        y += 2000  # exports write two-digit years only for this century
    if order not in ("mdy", "dmy"):
        # Without an order only an unambiguous value reads: 25/10/2026 or 10/25/2026.
        if a > 12:
            order = "dmy"
        elif b > 12:
            order = "mdy"
        else:
            raise Invalid(f"{first}/{second}/{year} could be day or month first; set date_order.")
    month, day = (a, b) if order == "mdy" else (b, a)
    return datetime.date(y, month, day)


def _month(name: str) -> int:
    try:
        return MONTHS[name.lower()]
    except KeyError:
        raise ValueError(name) from None


def is_date(raw: str) -> bool:
    text = raw.strip()
    return any(
        pattern.match(text)
        for pattern in (YEAR_FIRST, COMPACT, DOTTED, YEAR_LAST, MONTH_NAME_FIRST, DAY_FIRST_NAME)
    )


class OrderVote:
    """Reads a column's dates one by one (no list kept) and says which order they are in."""

    def __init__(self):
        self.day_first = self.month_first = self.year_last = 0

    def add(self, raw: str):
        match = YEAR_LAST.match(raw.strip())
        if not match:
            return
        self.year_last += 1
        first, second = int(match.group(1)), int(match.group(2))
        self.day_first += first > 12
        self.month_first += second > 12

    @property
    def order(self) -> str | None:
        """ "dmy" or "mdy" when the column decides it, else None."""
        if self.day_first and not self.month_first:
            return "dmy"
        if self.month_first and not self.day_first:
            return "mdy"
        return None

    @property
    def ambiguous(self) -> bool:
        """Slashed dates with the year last that no value (or contradicting values) settle."""
        return bool(self.year_last) and self.order is None


def order_of(values) -> tuple[str | None, bool]:
    vote = OrderVote()
    for value in values:
        vote.add(value)
    return vote.order, vote.ambiguous
