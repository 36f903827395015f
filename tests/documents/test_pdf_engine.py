"""What the PDF's renderer leaves out to be fast (documents/pdf/engine.py) changes nothing a
reader sees, and holds: WeasyPrint still asks for its user-agent stylesheet where PrintHTML
gives the lean one, and the garbage collector is off only while a PDF is made."""

import gc
import subprocess

import pytest
import weasyprint

from documents import pdf
from documents.pdf import engine

pytestmark = pytest.mark.django_db


def test_weasyprint_still_takes_its_user_agent_stylesheet_from_the_hook(monkeypatch):
    asked = []
    lean = engine.PrintHTML._ua_stylesheets
    monkeypatch.setattr(
        engine.PrintHTML, "_ua_stylesheets", lambda self, forms=False: asked.append(1) or lean(self)
    )

    engine.PrintHTML(string="<p>Hello</p>").render()

    assert asked and hasattr(weasyprint.HTML, "_ua_stylesheets")


def test_the_lean_stylesheet_keeps_list_markers_headings_and_links():
    html = '<h1 id="a">Title</h1><ol><li>First</li><li>Second</li></ol><a href="#a">Back</a>'
    document = engine.PrintHTML(string=html).render()
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=document.write_pdf(), capture_output=True, check=True
    ).stdout.decode()

    assert "First" in text and "1." in text and "2." in text  # the markers are drawn
    assert [label for label, *_ in document.make_bookmark_tree()] == ["Title"]
    assert any(kind == "internal" for kind, *_ in document.pages[0].links)


def test_collection_is_paused_while_the_pdf_is_made_and_back_after(journey_map, monkeypatch):
    during = []
    fetch = pdf.MapFetcher.fetch
    monkeypatch.setattr(
        pdf.MapFetcher,
        "fetch",
        lambda self, url, headers=None: during.append(gc.isenabled()) or fetch(self, url),
    )

    pdf.render_pdf(journey_map)

    assert during == [False] and gc.isenabled()


def test_a_collector_that_was_off_stays_off(journey_map):
    gc.disable()
    try:
        pdf.render_pdf(journey_map)
        assert not gc.isenabled()
    finally:
        gc.enable()
