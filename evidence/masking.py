"""Personal data in free text, masked before it is stored: e-mail addresses, phone numbers and IP
addresses inside answers, quotes, notes and every other text field of a piece become `[e-mail]`,
`[phone]` and `[IP]`. The rest of the text stays as it was, word for word.

A journey map is shared with a whole workshop, and its evidence goes into PDFs, JSON files and
webhooks; the map needs what people said, not how to reach them. A facilitator may turn masking
off for a map (`JourneyMap.controls["mask_personal_data"]`, services.evidence_masking_set).

Phone numbers are the hard part: evidence is full of numbers that are not phones (scores, dates,
prices, counts, years, percentages, ids). A run of digits is taken for a phone only with a
phone's shape: an international prefix (+49, 0049) and at least 9 digits; the North American
(555) 123-4567 and 555-123-4567; or a national number with its trunk 0 (020 7946 0958,
06 12 34 56 78, 0151 2345678) of 10 to 13 digits that does not start like a date.
"""

import functools
import ipaddress
import re
from collections.abc import Callable

EMAIL_TOKEN, PHONE_TOKEN, IP_TOKEN = "[e-mail]", "[phone]", "[IP]"
TOKENS = {EMAIL_TOKEN: "e-mail addresses", PHONE_TOKEN: "phone numbers", IP_TOKEN: "IP addresses"}
CONTROL = "mask_personal_data"  # the key in JourneyMap.controls; absent means on

# Nothing to look at without a digit, an @ or a spelt-out "at": most text is passed at once.
WORTH_A_LOOK = re.compile(r"[\d@]|[\[(]\s*at\s*[\])]", re.IGNORECASE)

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
# "lena [at] example [dot] com", "lena(at)example.com": written so that scrapers miss it.
SPELT_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s*[\[(]\s*at\s*[\])]\s*[\w-]+"
    r"(?:\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*[\w-]+)+",
    re.IGNORECASE,
)

OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"  # no leading zeros: 03.10.2026 is a date
IPV4 = re.compile(rf"(?<![\w.])(?:{OCTET}\.){{3}}{OCTET}(?![\w]|\.\d)")
# Candidates only (hex digits and colons, at least two colons); ipaddress decides.
IPV6 = re.compile(
    r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"
    r"(?::?\d{1,3}(?:\.\d{1,3}){3})?(?![\w:]|\.\d)"
)

SEP = r"[ \u00a0.\-/]"  # between a phone's digit groups: space, no-break space, dot, dash, slash
END = r"(?![\w%]|[.,:]\d)"  # not followed by more of a word, a percent or a decimal part
INTERNATIONAL = re.compile(
    r"(?<![\w+])(?:\+[1-9]\d{0,2}|00[1-9]\d{0,2}(?=[ \u00a0.\-(]))"  # +49, or 0049 and a space
    rf"(?:{SEP}?\(0\))?"  # +44 (0)20 ...
    rf"(?:{SEP}?(?:\(\d{{1,4}}\)|\d{{1,8}})){{1,7}}" + END
)
NORTH_AMERICAN = re.compile(
    rf"(?<![\w+(])(?:1{SEP})?(?:\(\d{{3}}\){SEP}?|\d{{3}}{SEP})\d{{3}}{SEP}\d{{4}}" + END
)
NATIONAL = re.compile(
    r"(?<![\w.,:/+\-])(?:\(0[1-9]\d{0,4}\)|0[1-9]\d{0,4})"  # the trunk 0 and an area code
    rf"(?:{SEP}?\d{{2,8}}){{1,5}}" + END
)
STARTS_LIKE_A_DATE = re.compile(r"^\d{1,2}[ .\-/]\d{1,2}[ .\-/]\d{4}(?!\d)")  # 03.10.2026 0914
INTERNATIONAL_DIGITS = range(9, 16)  # E.164 allows 15; fewer than 9 reads as a count ("+12.5")
NATIONAL_DIGITS = range(10, 14)  # a ZIP+4 (02134-1234) has 9


NOT_A_DIGIT = re.compile(r"\D")


def _digits(text: str) -> int:
    return len(NOT_A_DIGIT.sub("", text))


def _international(found: str) -> bool:
    return _digits(found) in INTERNATIONAL_DIGITS


def _national(found: str) -> bool:
    return _digits(found) in NATIONAL_DIGITS and not STARTS_LIKE_A_DATE.match(found)


def _ipv6(found: str) -> bool:
    # "::" and "::1" are no one's address; a time (10:30:00) is no address at all.
    if len(re.findall(r"[0-9A-Fa-f]+", found)) < 2:
        return False
    try:
        ipaddress.IPv6Address(found)
    except ValueError:
        return False
    return True


def _always(found: str) -> bool:
    return True


# What a text must hold for a rule to find anything in it, tested before the rule's pattern:
# an import's texts are mostly names and paths with a few digits ("/products/123/"), which
# these rule out at once (a 100,000-row GA4 file: 26 s with every pattern run, 9 s without).
def _has_at(text: str) -> bool:
    return "@" in text


SPELT_AT = re.compile(r"[\[(]\s*at\s*[\])]", re.IGNORECASE)


def _spelt_at(text: str) -> bool:
    return SPELT_AT.search(text) is not None


def _ipv4_shaped(text: str) -> bool:
    return text.count(".") >= 3


def _ipv6_shaped(text: str) -> bool:
    return text.count(":") >= 2


PHONE_DIGITS_AT_LEAST = min(INTERNATIONAL_DIGITS.start, NATIONAL_DIGITS.start)


def _phone_long(text: str) -> bool:
    return _digits(text) >= PHONE_DIGITS_AT_LEAST


# In this order: an address before the numbers inside it, IPv6 (which may end in an IPv4)
# before IPv4, and IP addresses before phones (192.168.100.200 has a phone's length).
# (pattern, token, worth a look, accept a match)
RULES: tuple[tuple[re.Pattern, str, Callable[[str], bool], Callable[[str], bool]], ...] = (
    (EMAIL, EMAIL_TOKEN, _has_at, _always),
    (SPELT_EMAIL, EMAIL_TOKEN, _spelt_at, _always),
    (IPV6, IP_TOKEN, _ipv6_shaped, _ipv6),
    (IPV4, IP_TOKEN, _ipv4_shaped, _always),
    (INTERNATIONAL, PHONE_TOKEN, _phone_long, _international),
    (NORTH_AMERICAN, PHONE_TOKEN, _phone_long, _always),
    (NATIONAL, PHONE_TOKEN, _phone_long, _national),
)
WORTH_A_LOOK_CHECKS = tuple(dict.fromkeys(rule[2] for rule in RULES))
SHORT = 200  # texts up to this long are remembered: an import repeats its fixed values


def mask(text: str) -> str:
    """The text with each e-mail address, phone number and IP address replaced by its token."""
    if not text:
        return text
    return _mask_short(text) if len(text) <= SHORT else _mask(text)


@functools.lru_cache(maxsize=4096)
def _mask_short(text: str) -> str:
    return _mask(text)


def _mask(text: str) -> str:
    if not WORTH_A_LOOK.search(text):
        return text
    # Asked once, of the text as it came: a replacement only takes characters away, so what
    # was not worth a look before one is not after it either.
    worth = {check: check(text) for check in WORTH_A_LOOK_CHECKS}
    for pattern, token, worth_a_look, accept in RULES:
        if worth[worth_a_look]:
            text = pattern.sub(_replacer(token, accept), text)
    return text


def _replacer(token: str, accept: Callable[[str], bool]) -> Callable[[re.Match], str]:
    return lambda found: token if accept(found[0]) else found[0]


def holds_only(cell: str) -> str | None:
    """What a cell is when it is nothing but one e-mail address, phone number or IP address
    ("e-mail addresses", ...), else None: how a column of them is told by its values."""
    return TOKENS.get(mask(cell.strip()))


def is_on(journey_map) -> bool:
    """Whether the map masks personal data in the text of its evidence (on unless turned off)."""
    return journey_map.controls.get(CONTROL, True) is not False
