"""What a column of an export is, from its name and its values: personal data to leave out, a
tool's bookkeeping (dates, devices, tags), a segment, or a question; and, for a question, whether
its answers are scores on a known scale.

Personal data (e-mail and IP addresses, names, respondent and user ids, phone numbers, latitude
and longitude, a recipient's fields) is never proposed for import: a journey map is shared with
the whole workshop and does not need to know who answered. A column is told by its name, or by
its values when they are e-mail or IP addresses or phone numbers whatever its name
(personal.py says what is left out, and what is kept of a column mapped on purpose).
"""

import re

from evidence import fields, masking, providers
from evidence.models import Provider, ScoreScale

from . import dates

PERSONAL_NAMES = {
    "#", "token", "user", "name", "full name", "first name", "last name", "user id", "userid",
    "hotjar user id", "respondent id", "respondentid", "response id", "responseid",
    "collector id", "network id", "recipientlastname", "recipientfirstname", "recipientemail",
    "externalreference", "external data reference", "locationlatitude", "locationlongitude",
    "ipaddress", "ip", "ipv4", "ipv6", "lat", "lng", "lon", "address", "tel", "visitor",
}  # fmt: skip
PERSONAL_WORDS = re.compile(
    r"\b(e ?mail|ip address|phone|telephone|mobile number|first name|last name|full name|"
    r"surname|latitude|longitude|postcode|zip code|street address|recipient|"
    r"(your|customer|contact|respondent) name|(user|visitor|customer|contact|respondent) ?id)\b"
)
# What a personal column holds, in words, by its name (compared with normal()); the first
# that matches says it, and a column none of them matches holds identifiers.
PERSONAL_KINDS = (
    ("e-mail addresses", re.compile(r"e ?mail")),
    ("IP addresses", re.compile(r"^ip(v4|v6)?$|\bip ?address|^ipaddress$")),
    ("phone numbers", re.compile(r"phone|mobile number|^tel$")),
    ("locations", re.compile(r"latitude|longitude|^(lat|lng|lon)$")),
    ("postal addresses", re.compile(r"postcode|zip code|street address|^address$")),
    ("names", re.compile(r"name|surname|^user$|^visitor$")),
)
VALUES_LOOKED_AT = 200  # cells of a column read for personal data: enough to tell, and quick
META_NAMES = {
    "number", "date submitted", "source url", "browser", "os", "operating system", "window size",
    "timestamp", "score", "total score", "response type", "start date utc", "stage date utc",
    "submit date utc", "start date", "end date", "tags", "ending", "status", "progress",
    "duration in seconds", "finished", "recorded date", "recordeddate", "startdate", "enddate",
    "distributionchannel", "distribution channel", "userlanguage", "user language", "emotion",
    "emotion 1 5", "screenshot", "screenshot url", "recording", "recording url",
}  # fmt: skip
META_PREFIXES = ("tags for", "custom data", "custom variable")
QUALTRICS_META = re.compile(r"(_NPS_GROUP$|_DO(_|$)|^Q_|^FL_)")
# Most specific first: a column named for the segment wins over a device or a country.
SEGMENT_NAMES = (
    "segment", "customer segment", "persona", "plan", "membership", "customer type", "tier",
    "device", "device category", "device type", "country", "country region", "region",
)  # fmt: skip
SEGMENT_WORDS = re.compile(r"\b(device|country|plan|persona|segment|customer type)\b", re.I)
DATE_NAMES = (
    "submit date utc", "date submitted", "recordeddate", "recorded date", "end date", "enddate",
    "timestamp", "collected on", "collected", "date", "submitted", "submitted at",
    "start date utc", "start date", "startdate",
)  # fmt: skip

LABEL_MAX = 60  # the longest score label worth reading ("10 - Extremely likely")
LEADING_SCORE = re.compile(r"^(\d{1,2})(?:\s*[-–:.)]?\s+\D.*)?$")  # 9, "10 - Extremely likely"
TRAILING_SCORE = re.compile(r"^\D.*?\s(\d{1,2})$")  # "Extremely likely 10"
CSAT_LABELS = {
    "very dissatisfied": 1, "very unsatisfied": 1, "dissatisfied": 2, "unsatisfied": 2,
    "neutral": 3, "neither satisfied nor dissatisfied": 3, "satisfied": 4, "very satisfied": 5,
}  # fmt: skip
NPS_WORDS = re.compile(r"recommend", re.I)
CES_WORDS = re.compile(r"\b(effort|easy|easily|difficult|hard)\b", re.I)
CSAT_WORDS = re.compile(r"satisf", re.I)
SCALE_RANGES = {ScoreScale.NPS: (0, 10), ScoreScale.CES: (1, 7), ScoreScale.CSAT: (1, 5)}
SCALE_WORDS = {ScoreScale.NPS: NPS_WORDS, ScoreScale.CES: CES_WORDS, ScoreScale.CSAT: CSAT_WORDS}
SCALE_TOPICS = {
    ScoreScale.NPS: "recommending",
    ScoreScale.CES: "effort",
    ScoreScale.CSAT: "satisfaction",
}
NUMBER_LIKE = re.compile(r"^[-+]?[\d\s.,'\u00a0]*\d[\d\s.,'\u00a0]*%?$")


def normal(name: str) -> str:
    """A column name compared without case or punctuation: "Start Date (UTC)" is start date utc."""
    if name.strip() == "#":
        return "#"
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.lower()).split())


def is_personal(name: str) -> bool:
    plain = normal(name)
    return plain in PERSONAL_NAMES or bool(PERSONAL_WORDS.search(plain))


def personal_kind(name: str) -> str:
    """What a column named as personal data holds: "e-mail addresses", "names"..."""
    plain = normal(name)
    return next((kind for kind, words in PERSONAL_KINDS if words.search(plain)), "identifiers")


def is_meta(name: str) -> bool:
    plain = normal(name)
    return (
        plain in META_NAMES
        or plain.startswith(META_PREFIXES)
        or bool(QUALTRICS_META.search(name.strip()))
        or plain in SEGMENT_NAMES
        or plain in DATE_NAMES
    )


def first_named(header: list[str], names) -> str | None:
    """The column whose name comes first in `names` (names are compared with normal())."""
    by_name = {}
    for column in header:
        by_name.setdefault(normal(column), column)
    return next((by_name[name] for name in names if name in by_name), None)


def segment_column(header: list[str]) -> str | None:
    return first_named([c for c in header if not is_personal(c)], SEGMENT_NAMES)


def names_segment(question: str) -> bool:
    """A question asking for a segment ("Which device did you shop on?")."""
    return bool(SEGMENT_WORDS.search(question))


def date_column(header: list[str]) -> str | None:
    return first_named(header, DATE_NAMES)


def score_of(cell: str, scale: str | None = None) -> int | str:
    """The score a cell gives ("9", "10 - Extremely likely", "Very satisfied" on CSAT), or the
    cell unchanged for fields.clean to refuse as not a whole number."""
    text = cell.strip()
    if not text or len(text) > LABEL_MAX:
        return text  # a long text is an answer, not a score: no need to look closer
    if text[0].isdigit() and (match := LEADING_SCORE.match(text)):
        return int(match.group(1))
    if text[-1].isdigit() and (match := TRAILING_SCORE.match(text)):
        return int(match.group(1))
    label = " ".join(text.lower().split())
    if scale in (None, ScoreScale.CSAT) and label in CSAT_LABELS:
        return CSAT_LABELS[label]
    return text


class ColumnStats:
    """What a column holds, gathered cell by cell in one pass over the rows: no cells are kept."""

    __slots__ = (
        "filled", "whole", "low", "high", "counts", "numeric", "peak", "links", "known", "dated",
        "personal",
    )  # fmt: skip

    def __init__(self):
        self.filled = self.whole = self.numeric = self.links = self.known = self.dated = 0
        self.low = self.high = None
        self.counts = [0] * 11  # how many answers of each score from 0 to 10
        self.peak = 0.0
        self.personal: dict[str, int] = {}  # cells that are one e-mail address (...) alone

    def add(self, cell: str):
        text = cell.strip()
        if not text:
            return
        self.filled += 1
        if self.filled <= VALUES_LOOKED_AT and (holds := masking.holds_only(text)):
            self.personal[holds] = self.personal.get(holds, 0) + 1
        score = score_of(text)
        if isinstance(score, int):
            self.whole += 1
            self.low = score if self.low is None else min(self.low, score)
            self.high = score if self.high is None else max(self.high, score)
            if score <= 10:
                self.counts[score] += 1
        if NUMBER_LIKE.match(text):
            self._add_number(text)
        elif text.lower().startswith(("http://", "https://")):
            self.links += 1
            self.known += providers.provider_of(text) != Provider.OTHER
        elif len(text) <= LABEL_MAX and dates.is_date(text):
            self.dated += 1

    def _add_number(self, text: str):
        try:
            number = fields.parse_number(text)
        except fields.Invalid:
            return
        self.numeric += 1
        self.peak = max(self.peak, abs(number))

    def outside(self, low: int, high: int) -> int:
        """How many scores fall outside low..high (within 0..10 the counts say; above, all)."""
        return self.whole - sum(self.counts[low : high + 1])

    @property
    def all_numbers(self) -> bool:
        return bool(self.filled) and self.numeric == self.filled

    @property
    def all_scores(self) -> bool:
        return bool(self.filled) and self.whole == self.filled

    @property
    def mostly_links(self) -> bool:
        return bool(self.filled) and self.links * 2 >= self.filled

    @property
    def personal_values(self) -> str | None:
        """What the column holds when at least half of the cells looked at are e-mail
        addresses, phone numbers or IP addresses, each alone in its cell."""
        looked_at = min(self.filled, VALUES_LOOKED_AT)
        holds, found = max(self.personal.items(), key=lambda item: item[1], default=(None, 0))
        return holds if found and found * 2 >= looked_at else None


def propose_scale(question: str, stats: ColumnStats) -> tuple[str | None, str]:
    """(scale, why) for a question column: the scale its wording names, when its answers are
    scores in that range (a stray one, or one in ten, is let through to be reported by row)."""
    if not stats.filled:
        return None, "no answers in the file"
    if not stats.all_scores:
        return None, "text answers"
    for scale, (low, high) in SCALE_RANGES.items():
        outside = stats.outside(low, high)
        stray = outside <= max(1, stats.whole // 10) and outside * 2 < stats.whole
        if SCALE_WORDS[scale].search(question) and stray:
            why = f"answers {stats.low}-{stats.high} to a question about {SCALE_TOPICS[scale]}"
            if outside:
                why += f" ({outside} outside {low}-{high}, reported by row)"
            return scale, f"{why}: {ScoreScale(scale).label}"
    return None, (
        f"numbers {stats.low}-{stats.high}, but the question does not say recommend, satisfied "
        "or easy: choose nps, csat or ces, or import them as text"
    )


# Long tables: a column is taken for a field when its name (compared with normal()) says so.
GUESSES = {
    "name": ("name", "metric", "kpi", "metric name", "indicator"),
    "value": ("value", "current", "now", "result", "actual"),
    "unit": ("unit", "units"),
    "baseline": ("baseline", "before", "previous", "was"),
    "target": ("target", "goal"),
    "period": ("period", "date range", "timeframe", "time frame"),
    "sample_size": ("sample size", "sample", "n", "sessions", "users", "respondents"),
    "source": ("source", "tool", "data source"),
    "question": ("question", "survey question", "q"),
    "answer": ("answer", "response", "comment", "feedback", "verbatim", "open answer"),
    "score": ("score", "nps", "csat", "ces", "rating", "nps score", "csat score", "ces score"),
    "score_scale": ("scale", "score scale", "score type"),
    "segment": ("segment", "respondent", "respondent segment", "persona", "customer segment"),
    "collected_on": ("date", "collected", "collected on", "submitted", "submitted at", "timestamp"),
    "note": ("note", "notes"),
    "text": ("text", "quote", "message", "verbatim", "what they said"),
    "who": ("who", "role", "speaker", "persona", "customer type"),
    "url": ("url", "link", "recording", "recording url", "recording link", "session", "replay"),
    "start_seconds": ("start", "start time", "start at", "starts at", "offset", "start seconds"),
}
STAGE_NAMES = ("stage", "journey stage", "step", "phase")


def guess_columns(header: list[str], kind: str) -> dict[str, str]:
    """{column: field} for the columns whose name says which of the kind's fields they are."""
    allowed = {**fields.COMMON, **fields.FIELDS[kind]}
    mapping, taken = {}, set()
    for column in header:
        for field, names in GUESSES.items():
            if field in allowed and field not in taken and normal(column) in names:
                mapping[column] = field
                taken.add(field)
                break
    return mapping


def stage_column(header: list[str]) -> str | None:
    return first_named(header, STAGE_NAMES)
