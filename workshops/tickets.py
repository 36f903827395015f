"""Ticket links recognised by their tracker: which tool a link points into, and the issue's key
as that tool writes it ("SHOP-142", "acme/shop#17"). Pure: no database, no network; a link no
pattern knows is a plain link, named by its host."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

URL_MAX = 500


@dataclass(frozen=True)
class Ticket:
    url: str
    tracker: str  # "jira", "linear", "github", "gitlab", "azure_devops", "asana", "trello", "link"
    name: str  # the tracker's name, for a person
    key: str  # the issue's key, or the host of a plain link

    def as_dict(self) -> dict:
        return {"url": self.url, "tracker": self.tracker, "name": self.name, "key": self.key}


JIRA_KEY = r"[A-Z][A-Z0-9_]+-\d+"

# (tracker, name, host test, path pattern, key from the match). First match wins; the order
# puts the specific hosts before the patterns any host may carry (Jira's /browse/, GitLab's /-/).
PATTERNS = [
    (
        "github",
        "GitHub",
        lambda h: h == "github.com",
        r"^/([\w.-]+)/([\w.-]+)/(?:issues|pull)/(\d+)",
        lambda m: f"{m[1]}/{m[2]}#{m[3]}",
    ),
    (
        "linear",
        "Linear",
        lambda h: h == "linear.app",
        r"^/[\w-]+/issue/([A-Za-z0-9]+-\d+)",
        lambda m: m[1].upper(),
    ),
    (
        "azure_devops",
        "Azure DevOps",
        lambda h: h == "dev.azure.com" or h.endswith(".visualstudio.com"),
        r"/_workitems/edit/(\d+)",
        lambda m: f"#{m[1]}",
    ),
    (
        "asana",
        "Asana",
        lambda h: h == "app.asana.com",
        r"^/(?:0/\d+/(\d+)|1/\d+/(?:project/\d+/)?task/(\d+))",
        lambda m: m[1] or m[2],
    ),
    ("trello", "Trello", lambda h: h == "trello.com", r"^/c/([A-Za-z0-9]+)", lambda m: m[1]),
    (
        "gitlab",
        "GitLab",
        lambda h: True,
        r"^/(.+?)/-/(issues|merge_requests)/(\d+)",
        lambda m: f"{m[1]}{'#' if m[2] == 'issues' else '!'}{m[3]}",
    ),
    ("jira", "Jira", lambda h: True, rf"/browse/({JIRA_KEY})(?:$|[/?#])", lambda m: m[1]),
]


def check_url(value) -> str | None:
    """The link, trimmed, or None when it is not an http(s) link with a host (the caller
    refuses it, naming its field)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > URL_MAX or any(c.isspace() for c in value):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # "http://[" and the like: not a link
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return value


def recognise(url: str) -> Ticket:
    """The tracker and key of a checked link (check_url)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    for tracker, name, host_test, pattern, key in PATTERNS:
        found = re.search(pattern, parts.path) if host_test(host) else None
        if found:
            return Ticket(url, tracker, name, key(found))
    jira = _jira_board_issue(host, parts.query)
    if jira:
        return Ticket(url, "jira", "Jira", jira)
    return Ticket(url, "link", "Link", host)


def _jira_board_issue(host: str, query: str) -> str | None:
    """Jira Cloud's boards open an issue as ?selectedIssue=KEY."""
    if not host.endswith(".atlassian.net"):
        return None
    selected = parse_qs(query).get("selectedIssue", [""])[0]
    return selected if re.fullmatch(JIRA_KEY, selected) else None
