"""The few words of a result around what was found, with the found words marked.

Made here in Python for both databases (PostgreSQL's ts_headline would not escape the text it
quotes): every piece of the text is HTML-escaped, and the only markup is our own `<mark>`, so a
card that holds `<script>` shows those characters and runs nothing.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import Query

WIDTH = 160  # characters of text around the first match
BEFORE = 50  # of which before it


def snippet(query: Query, texts: list[str]) -> SafeString:
    """The text of the first of `texts` in which a term is found, cut around it and marked; or
    the start of the first text when the database found what no word shows (its parser reads
    some words whole, query.py)."""
    filled = [text for text in texts if text]
    for text in filled:
        marks = query.marks(text)
        if marks:
            return _marked(text, marks)
    return _marked(filled[0], []) if filled else mark_safe("")


def _marked(text: str, marks: list[tuple[int, int]]) -> SafeString:
    start, end = _window(text, marks[0][0] if marks else 0)
    parts, at = [], start
    for mark_start, mark_end in marks:
        if mark_start < at or mark_end > end:
            continue
        parts += [escape(text[at:mark_start]), f"<mark>{escape(text[mark_start:mark_end])}</mark>"]
        at = mark_end
    parts.append(escape(text[at:end]))
    cut_before, cut_after = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
    return mark_safe(cut_before + "".join(parts).strip() + cut_after)


def _window(text: str, first: int) -> tuple[int, int]:
    """Where to cut: from a little before the first match, at a space, for about WIDTH."""
    if len(text) <= WIDTH:
        return 0, len(text)
    start = max(0, first - BEFORE)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + WIDTH)
    if end < len(text):
        space = text.rfind(" ", max(first, start + WIDTH // 2), end)
        end = space if space != -1 else end
    return start, end
