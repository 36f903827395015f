"""Session-recording and video links: the provider a link belongs to, its start time, and the
link that opens at that time where the provider supports one."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .models import Provider

# A host is the provider's when it is the domain or one of its subdomains: "evil-youtube.com" and
# "youtube.com.example.net" are not YouTube.
PROVIDER_DOMAINS = {
    Provider.HOTJAR: ("hotjar.com", "hotjar.io"),
    Provider.CUX: ("cux.io",),
    Provider.FULLSTORY: ("fullstory.com",),
    Provider.CLARITY: ("clarity.microsoft.com",),
    Provider.SMARTLOOK: ("smartlook.com", "smartlook.cloud"),
    Provider.MOUSEFLOW: ("mouseflow.com",),
    Provider.LOOM: ("loom.com",),
    Provider.YOUTUBE: ("youtube.com", "youtu.be", "youtube-nocookie.com"),
    Provider.VIMEO: ("vimeo.com",),
}
START_MAX = 100 * 3600  # a hundred hours: anything longer is a typing slip
CLOCK = re.compile(r"^(?:(\d+):)?(\d+):(\d{1,2})$")  # 1:23 or 1:02:03
UNITS = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")  # 83, 83s, 1m23s, 1h2m3s


def provider_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    for provider, domains in PROVIDER_DOMAINS.items():
        if any(host == domain or host.endswith("." + domain) for domain in domains):
            return provider
    return Provider.OTHER


def parse_start(value) -> int:
    """Seconds from 83, "83", "83s", "1:23", "1:02:03" or "1m23s"; ValueError when it is none."""
    if isinstance(value, bool):
        raise ValueError("A start time is seconds (83) or minutes:seconds (1:23).")
    if isinstance(value, int):
        seconds = value
    else:
        seconds = _parse_start_text(str(value).strip().lower())
    if not 0 <= seconds <= START_MAX:
        raise ValueError(f"A start time is from 0 to {START_MAX} seconds.")
    return seconds


def _parse_start_text(text: str) -> int:
    if match := CLOCK.match(text):
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        if seconds >= 60 or (match.group(1) and minutes >= 60):
            raise ValueError(f"{text!r} is not a time: seconds and minutes go up to 59.")
        return hours * 3600 + minutes * 60 + seconds
    if text and (match := UNITS.match(text)):
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    raise ValueError(f"{text!r} is not a start time: use seconds (83) or minutes:seconds (1:23).")


def start_link(url: str, provider: str, seconds: int | None) -> str:
    """The link that opens the recording at its start time, where the provider has a way."""
    if not seconds:
        return url
    parts = urlsplit(url)
    if provider in (Provider.YOUTUBE, Provider.LOOM):
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
        return urlunsplit(parts._replace(query=urlencode(query + [("t", str(seconds))])))
    if provider == Provider.VIMEO:
        return urlunsplit(parts._replace(fragment=f"t={seconds}s"))
    return url
