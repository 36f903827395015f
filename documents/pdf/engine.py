"""WeasyPrint as the PDF uses it: tagged for accessibility, with the costs the profile found taken
out (docs/benchmarks.md, "PDF export"): every render paid for work its document never needs.

- Tagging: the PDF is PDF/UA-1 (`PDF_VARIANT`): a structure tree in the page's reading order
  (headings, paragraphs, tables with their header cells, lists), the document's language from
  `<html lang>`, its title shown instead of the file name, alternative text for every picture
  (an `<img>`'s alt, an inline SVG's `<title>`), and links that work. A screen reader reads it,
  and text copied out of it keeps its order. It costs a few percent of an export.

- The user-agent stylesheet: WeasyPrint's own gives every element six pseudo-element styles
  (`::marker`, footnote and note calls and markers), because those rules have no element in
  their selector. A document of 1,500 elements then computes 10,500 styles instead of 1,500,
  a fifth of an export. The PDF has no footnotes or notes and its only markers are on list
  items: `PrintHTML` uses the same stylesheet with those rules dropped, `::marker` kept for
  `li`. (WeasyPrint reads the stylesheet through `HTML._ua_stylesheets`; if a release renamed
  it, the PDF would only be slower again, and tests/documents/test_pdf_engine.py says so.)
- Garbage collection: a render makes millions of short-lived objects, and Python's collector
  ran over and over during it, its full passes walking every object of the process. It is
  paused while WeasyPrint works and the render's young objects collected once at the end:
  15% of an export, for about 30 MB more at its peak. The pause is the process's: in the
  one-process setup (the worker a thread of the server) the server's other threads run those
  few seconds without it too, and their young objects are collected with the render's.
"""

import functools
import gc
import re
import threading
from contextlib import contextmanager
from importlib.resources import files

from weasyprint import CSS, HTML

PDF_VARIANT = "pdf/ua-1"

# Rules of the user-agent stylesheet for features the PDF does not use, which match every element.
_UNUSED_PSEUDO = re.compile(r"^::(footnote|note)-[\w-]+\s*\{.*\}\s*$", re.MULTILINE)
_EVERY_MARKER = re.compile(r"^::marker\b", re.MULTILINE)


@functools.cache
def print_ua_stylesheet() -> CSS:
    text = (files("weasyprint.css") / "html5_ua.css").read_text(encoding="utf-8")
    text = _EVERY_MARKER.sub("li::marker", _UNUSED_PSEUDO.sub("", text))
    return CSS(string=text)


class PrintHTML(HTML):
    """An HTML document laid out with the print user-agent stylesheet (see the module's doc)."""

    def _ua_stylesheets(self, forms=False):
        return [print_ua_stylesheet()]


_pause_lock = threading.Lock()
_pauses = 0  # renders under way in this process (the server's threads may run several)
_resume = False  # whether the collector was on when the first of them began


@contextmanager
def collection_paused():
    """The cyclic garbage collector off for the duration, across threads: the last render to
    finish turns it back on (if it was on) and collects the young objects the renders left."""
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
                gc.collect(0)  # everything made while paused is still in the youngest generation
