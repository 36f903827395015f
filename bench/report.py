"""Each benchmark owns one marked block of docs/benchmarks.md and rewrites only that."""

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(block: str, start: str, end: str) -> None:
    """Replace the block from `start` to `end` (both in `block`), or append it."""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text)
