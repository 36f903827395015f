"""What each kind of evidence holds and the check on each field. The services and the CSV import
use these same rules, so an imported row is held to what the API holds a single piece to.

A check takes the raw value (from JSON, a form or a CSV cell) and returns the clean one, or
raises Invalid with a message for a person. Text fields are masked first (masking.py: e-mail
addresses, phone numbers and IP addresses), unless the map has masking off.
"""

import datetime
import math
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils import timezone

from . import masking, providers
from .models import Kind, ScoreScale

SCORE_RANGE = {
    ScoreScale.NPS: range(0, 11),
    ScoreScale.CSAT: range(1, 6),
    ScoreScale.CES: range(1, 8),
}
URL_MAX = 2000
# Metrics are counts, rates and money: a quadrillion is past any of them, and within it every
# change from a baseline stays a finite number (1e308 against 1e-308 overflowed to infinity,
# which no JSON can carry: the evidence list, the piece and compare answered 500).
NUMBER_MAX = 1e15
EUROPEAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class Invalid(ValueError):
    pass


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(max_length: int):
    def check(value) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise Invalid("Must be text.")
        value = value.strip()
        if len(value) > max_length:
            raise Invalid(f"At most {max_length} characters (got {len(value)}).")
        return value

    check.max_length = max_length  # for the API's schema, which states the limit
    check.masked = True  # free text, where personal data may hide
    return check


def parse_number(value) -> float:
    """A number from JSON or from a cell: 4.5, "4.5", "4,5", "1 234,5", "1,234.5", "4.5%"."""
    if isinstance(value, bool):
        raise Invalid("Must be a number.")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        number = _number_from_text(value)
    else:
        raise Invalid("Must be a number.")
    if not math.isfinite(number):
        raise Invalid("Must be a finite number.")
    if abs(number) > NUMBER_MAX:
        raise Invalid(f"Must be between -{NUMBER_MAX:,.0f} and {NUMBER_MAX:,.0f}.")
    return number


def change_percent(start, end) -> float | None:
    """The change from `start` to `end` in percent of start (3 -> 4.5 is 50.0), to one decimal;
    None without a start, from zero, or when it is too large to be a number (for values stored
    before NUMBER_MAX: a tiny baseline would make it infinite)."""
    if start in (None, 0) or end is None:
        return None
    try:
        change = round((end - start) / abs(start) * 100, 1)
    except (OverflowError, ZeroDivisionError):
        return None
    return change if math.isfinite(change) else None


def _number_from_text(raw: str) -> float:
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", raw).removesuffix("%")
    if "," in cleaned and "." in cleaned:
        # The later mark is the decimal one: 1,234.5 and 1.234,5.
        thousands = "," if cleaned.rfind(",") < cleaned.rfind(".") else "."
        cleaned = cleaned.replace(thousands, "").replace(",", ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")  # a decimal comma, as semicolon files write them
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", cleaned):
        raise Invalid(f"{raw.strip()[:50]!r} is not a number.")
    return float(cleaned)


def number(value) -> float | None:
    return None if _blank(value) else parse_number(value)


def whole(value) -> int | None:
    if _blank(value):
        return None
    number = parse_number(value)
    if not number.is_integer():
        raise Invalid("Must be a whole number.")
    return int(number)


def count(value) -> int | None:
    found = whole(value)
    if found is not None and not 0 <= found <= 2**31 - 1:
        raise Invalid("Must be zero or more.")
    return found


def score_scale(value) -> str:
    if _blank(value):
        return ""
    scale = str(value).strip().lower()
    if scale not in ScoreScale.values:
        raise Invalid(
            f"Unknown scale {str(value)[:30]!r}; choose nps (0-10), csat (1-5) or ces (1-7)."
        )
    return scale


def date(value) -> datetime.date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        value = _date_from_text(str(value).strip())
    if value > timezone.localdate():
        raise Invalid("Evidence cannot be collected in the future.")
    return value


def _date_from_text(raw: str) -> datetime.date:
    try:
        if match := EUROPEAN_DATE.match(raw):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        # A date, or the date of a timestamp as survey tools export them.
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        raise Invalid(f"{raw[:30]!r} is not a date; use YYYY-MM-DD.") from None


def recording_url(value) -> str:
    if _blank(value):
        raise Invalid("A recording needs its link.")
    if not isinstance(value, str):
        raise Invalid("Must be a link.")
    url = value.strip()
    if len(url) > URL_MAX:
        raise Invalid(f"At most {URL_MAX} characters.")
    # Browsers ignore tabs and newlines inside a scheme ("java\tscript:"): refuse them outright.
    if any(ord(char) <= 32 or ord(char) == 127 for char in url):
        raise Invalid("A link cannot contain spaces or control characters.")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise Invalid("Not a valid link.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise Invalid("Only http:// and https:// links can be attached.")
    if not host:
        raise Invalid("The link has no host.")
    return url


def start(value) -> int | None:
    if _blank(value):
        return None
    try:
        return providers.parse_start(value)
    except ValueError as error:
        raise Invalid(str(error)) from None


COMMON = {"collected_on": date, "note": text(5000)}

FIELDS = {
    Kind.METRIC: {
        "name": text(200),
        "value": number,
        "unit": text(30),
        "baseline": number,
        "target": number,
        "period": text(100),
        "source": text(200),
        "sample_size": count,
    },
    Kind.SURVEY: {
        "question": text(2000),
        "answer": text(5000),
        "score": whole,
        "score_scale": score_scale,
        "segment": text(200),
        "source": text(200),
    },
    Kind.QUOTE: {"text": text(5000), "who": text(200), "source": text(200)},
    Kind.RECORDING: {"url": recording_url, "start_seconds": start},
    Kind.IMAGE: {"caption": text(500)},
}
REQUIRED = {
    Kind.METRIC: ("name", "value"),
    Kind.SURVEY: ("question",),
    Kind.QUOTE: ("text",),
    Kind.RECORDING: ("url",),
    Kind.IMAGE: (),
}


# Each kind's checks, and its free-text fields (masked), worked out once: an import cleans
# every row's pieces with them.
CHECKS = {kind: {**COMMON, **fields} for kind, fields in FIELDS.items()}
MASKED = {
    kind: frozenset(field for field, check in checks.items() if getattr(check, "masked", False))
    for kind, checks in CHECKS.items()
}


def clean(kind: str, values: dict, *, current: dict | None = None, mask: bool = True) -> dict:
    """The clean values of a kind's fields, or a ValidationError naming every bad field.

    `current` holds the stored values when updating, for the checks between fields. `mask`
    masks the text fields, before their length is checked: what is stored is what was checked."""
    checks, masked = CHECKS[kind], MASKED[kind] if mask else ()
    cleaned, errors = {}, {}
    for field, value in values.items():
        if field not in checks:
            errors[field] = ["Not a field of this kind of evidence."]
            continue
        if field in masked and isinstance(value, str):
            value = masking.mask(value)
        try:
            cleaned[field] = checks[field](value)
        except Invalid as error:
            errors[field] = [str(error)]
    if not errors:
        errors = _whole_piece(kind, {**(current or {}), **cleaned}, cleaned)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _whole_piece(kind: str, merged: dict, cleaned: dict) -> dict:
    """Checks that need more than one field; may fill in a default (the NPS scale)."""
    errors = {
        field: ["This field is required."]
        for field in REQUIRED[kind]
        if merged.get(field) in (None, "")
    }
    if kind == Kind.SURVEY:
        if merged.get("answer", "") == "" and merged.get("score") is None:
            errors.setdefault("answer", ["A survey answer needs an answer, a score, or both."])
        if merged.get("score") is not None:
            scale = merged.get("score_scale") or ScoreScale.NPS
            if not merged.get("score_scale"):
                cleaned["score_scale"] = scale  # a score without a scale reads as NPS
            allowed = SCORE_RANGE[scale]
            if merged["score"] not in allowed:
                errors["score"] = [
                    f"A {scale.upper()} score is from {allowed[0]} to {allowed[-1]}."
                ]
    if kind == Kind.RECORDING and "url" in cleaned:
        cleaned["provider"] = providers.provider_of(cleaned["url"])
    return errors
