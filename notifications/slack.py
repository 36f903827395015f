"""A message in Slack's own format for an incoming webhook: `text` (the notification's words,
and what clients without blocks show) and `blocks` (a header, sections in mrkdwn, a context line
with the link back). Slack reads &, < and > as markup, so every text of ours is escaped; a header
holds 150 characters, a section 3,000.
"""

from .models import TEST_EVENT, Event

HEADER_MAX = 150
SECTION_MAX = 3000
SLACK_TOP_CARDS = 3
SLACK_METRICS = 8


def is_slack_url(url: str) -> bool:
    return url.strip().lower().startswith("https://hooks.slack.com/services/")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link(url: str, label: str) -> str:
    return f"<{escape(url)}|{escape(label)}>"


def slack_message(message: dict) -> dict:
    """The Slack body of a webhook message (payloads.py)."""
    headline, details = SAYINGS[message["type"]](message)
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(headline, HEADER_MAX)}}
    ]
    if details:
        section = {"type": "mrkdwn", "text": _cut("\n".join(details), SECTION_MAX)}
        blocks.append({"type": "section", "text": section})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _where(message)}]})
    # The top-level text is mrkdwn too (the notification, and clients without blocks).
    return {"text": escape(headline), "blocks": blocks}


def _where(message: dict) -> str:
    workshop, journey_map = message["workshop"], message["map"]
    if journey_map is None:
        return link(workshop["url"], workshop["name"])
    return (
        f"{link(journey_map['url'], 'Open the board')} · {escape(journey_map['title'])}, "
        f"in {link(workshop['url'], workshop['name'])}"
    )


def _quoted(text: str) -> str:
    return f"“{text}”"


def _vote_closed(message: dict) -> tuple[str, list[str]]:
    data, title = message["data"], message["map"]["title"]
    headline = f"Dot vote closed on {_quoted(title)}"
    top = data["top"][:SLACK_TOP_CARDS]
    if not top:
        return headline, ["No card got a dot."]
    lines = [f"*Top {len(top)}* of {data['cards_with_dots']} cards with dots:"]
    for rank, card in enumerate(top, start=1):
        dots = f"{card['dots']} dot{'s' if card['dots'] != 1 else ''}"
        place = escape(f"{card['stage']} · {card['lane']}")
        lines.append(f"{rank}. *{escape(_cut(card['text'], 300))}*: {dots} ({place})")
    return headline, lines


def _version_saved(message: dict) -> tuple[str, list[str]]:
    data, title = message["data"], message["map"]["title"]
    version = data["version"]
    headline = f"Version {_quoted(version['name'])} of {_quoted(title)} saved"
    if message["actor"]:
        headline += f" by {message['actor']}"
    previous, changes = data["previous"], data["metric_changes"]
    saved = link(version["url"], "See the version")
    if previous is None:
        return headline, [f"The map's first saved version. {saved}"]
    if not changes:
        return headline, [f"No metric changed since {escape(_quoted(previous['name']))}. {saved}"]
    lines = [f"*Metric changes* since {escape(_quoted(previous['name']))}:"]
    for row in changes[:SLACK_METRICS]:
        lines.append(f"• {escape(row['stage'])}, {escape(row['name'])}: {escape(row['text'])}")
    if len(changes) > SLACK_METRICS:
        lines.append(f"…and {len(changes) - SLACK_METRICS} more. {saved}")
    else:
        lines.append(saved)
    return headline, lines


def _evidence_imported(message: dict) -> tuple[str, list[str]]:
    data, title = message["data"], message["map"]["title"]
    pieces = f"{data['count']} piece{'s' if data['count'] != 1 else ''} of evidence"
    headline = f"{message['actor'] or 'Someone'} imported {pieces} into {_quoted(title)}"
    lines = [f"• {escape(stage['title'])}: {stage['pieces']}" for stage in data["stages"]]
    return headline, lines


def _review_due(message: dict) -> tuple[str, list[str]]:
    data, title = message["data"], message["map"]["title"]
    headline = f"{_quoted(title)} is due for its quarterly review"
    since = data["reviewed_at"]
    lines = [f"Last reviewed {since[:10]}." if since else "Never reviewed yet."]
    stale = data["stale_evidence"]
    if stale["pieces"]:
        stages = ", ".join(f"{escape(s['title'])} ({s['pieces']})" for s in stale["stages"])
        lines.append(f"*{stale['pieces']} pieces of evidence have gone stale*: {stages}.")
    return headline, lines


def _test(message: dict) -> tuple[str, list[str]]:
    events = ", ".join(message["data"]["events"]) or "no events yet"
    headline = f"Test message from Journey maps for {message['workshop']['name']}"
    return headline, [f"This channel hears of: {escape(events)}."]


SAYINGS = {
    Event.VOTE_CLOSED: _vote_closed,
    Event.VERSION_SAVED: _version_saved,
    Event.EVIDENCE_IMPORTED: _evidence_imported,
    Event.MAP_REVIEW_DUE: _review_due,
    TEST_EVENT: _test,
}
