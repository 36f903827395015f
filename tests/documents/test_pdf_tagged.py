"""The PDF is tagged (PDF/UA, documents/pdf/engine.py): a screen reader finds its structure, its
language and the words of its pictures, its links work, and text copied out of it reads in the
page's order. Rendered for real and read back with poppler, as an assistive tool would."""

import re
import subprocess
import zlib

import pytest

from documents import pdf
from evidence import services as evidence

from .test_pdf import story_map  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

RECORDING = "https://www.youtube.com/watch?v=abc123"


@pytest.fixture
def tagged(tmp_path, bob, story_map, stages):  # noqa: F811
    research = stages[1].pk
    evidence.evidence_attach(
        actor=bob, map=story_map, stage_id=research, kind="metric",
        name="Site search before purchase", value=8, unit="%", baseline=5, target=10,
    )  # fmt: skip
    evidence.evidence_attach(
        actor=bob, map=story_map, stage_id=research, kind="recording", url=RECORDING,
        start_seconds="1:23", note="Hesitates at the size chart",
    )  # fmt: skip
    path = tmp_path / "map.pdf"
    path.write_bytes(pdf.render_pdf(story_map))
    return path


def poppler(*command) -> str:
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def objects_of(path) -> bytes:
    """The PDF's bytes with its compressed streams (object streams too) inflated."""
    data = path.read_bytes()
    inflated = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            pass  # a picture's data, not objects
    return b"\n".join(inflated)


def utf16_start(text: str) -> bytes:
    """The start of a PDF text string as pydyf writes one with characters beyond Latin-1 (hex
    UTF-16), beginning with `text`."""
    return b"<feff" + text.encode("utf-16-be").hex().encode()


def test_pdfinfo_says_the_pdf_is_tagged(tagged):
    info = poppler("pdfinfo", tagged)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Title:\s+Online shopping · customer journey map$", info, re.M)


def test_the_pdf_states_its_language_and_shows_its_title(tagged):
    objects = objects_of(tagged)
    assert b"/Lang (en)" in objects
    assert re.search(rb"/DisplayDocTitle\s+true", objects)


def test_the_emotion_curve_has_alternative_text(tagged):
    structure = poppler("pdfinfo", "-struct", tagged)
    assert "Figure" in structure
    alternative = utf16_start("Emotion curve: the mean feeling of each stage")
    assert b"/Alt " + alternative in objects_of(tagged)


def test_headings_lists_and_tables_are_tagged(tagged):
    structure = poppler("pdfinfo", "-struct-text", tagged)
    for tag in ("H1", "H2", "Table", "TH", "L", "LI", "Link"):
        assert re.search(rf"^\s*{tag}\b", structure, re.M), tag
    assert '"Executive summary"' in structure


def test_recording_links_open_at_their_moment_and_the_contents_link_to_their_pages(tagged):
    urls = poppler("pdfinfo", "-url", tagged)
    assert f"{RECORDING}&t=83" in urls
    contents = poppler("pdftotext", "-raw", "-f", "1", "-l", "1", tagged, "-")
    # The contents read entry by entry, each with its page, not the page numbers first.
    assert re.search(r"^Executive summary 2\nThe journey 3\nEvidence by stage \d+$", contents, re.M)
    assert b"/Dest" in objects_of(tagged)  # the entries are links inside the document


def test_key_figures_read_with_their_labels(tagged):
    cover = poppler("pdftotext", "-raw", "-f", "1", "-l", "1", tagged, "-")
    assert re.search(r"^7\nSTAGES\n9\nCARDS\n3\nPAIN POINTS\n", cover, re.M)
    summary = poppler("pdftotext", "-raw", "-f", "2", "-l", "2", tagged, "-")
    assert "Site search before purchase Research 5% 8% +60%" in summary
