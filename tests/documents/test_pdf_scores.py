"""Survey answers in the executive PDF: each stage shows its scores per scale with n, and per
segment where answers name one, not a row per answer; at most three chosen quotes a stage, the
rest counted; the summary names the map's NPS. Rendered for real and read with pdftotext."""

import re
import subprocess

import pytest

from documents import pdf
from evidence import services as evidence
from workshops import services

pytestmark = pytest.mark.django_db

NPS_Q = "How likely are you to recommend us to a friend?"
CSAT_Q = "How satisfied are you with the checkout?"


def text_of(data: bytes, tmp_path) -> str:
    path = tmp_path / "scores.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    )
    return result.stdout


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def evidence_pages(text: str) -> str:
    return text[text.rindex("Evidence by stage") :]


def stage_part(text: str, title: str, next_title: str) -> str:
    pages = evidence_pages(text)
    return pages[pages.index(title) : pages.index(next_title, pages.index(title) + 1)]


def answer(bob, journey_map, stage, score, scale="nps", card=None, **values):
    evidence.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="survey",
        stage_id=None if card else stage.pk,
        card_id=card,
        question=NPS_Q if scale == "nps" else CSAT_Q,
        score=score,
        score_scale=scale,
        **values,
    )


def quote(bob, journey_map, text, stage=None, card=None):
    evidence.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="quote",
        stage_id=stage.pk if stage else None,
        card_id=card,
        text=text,
    )


def add_card(bob, journey_map, stage, lane, text, **extra):
    event = services.card_create(
        actor=bob, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text, **extra
    )
    return event.payload["card"]["id"]


@pytest.fixture
def surveyed(bob, journey_map, stages, lanes):
    """Decision (stages[2]): 40 NPS answers (24 promoters, 10 passives, 6 detractors), half from
    Mobile, and 5 CSAT answers; Research (stages[1]): 3 CES answers, no segment."""
    for n in range(40):
        score = 10 if n < 24 else 8 if n < 34 else 3
        answer(bob, journey_map, stages[2], score, segment="Mobile" if n % 2 else "Desktop")
    for score in (5, 4, 4, 3, 2):
        answer(bob, journey_map, stages[2], score, scale="csat")
    for score in (6, 5, 7):
        answer(bob, journey_map, stages[1], score, scale="ces")
    return journey_map


def test_each_stage_shows_its_nps_with_n_not_a_row_per_answer(surveyed, tmp_path):
    text = text_of(pdf.render_pdf(surveyed), tmp_path)
    decision = stage_part(text, "Decision", "Purchase")

    assert re.search(r"NPS \+45 24 promoters · 10 passives · 6 detractors 40", decision)
    assert re.search(r"CSAT 3\.6 / 5 60% answered 4 or 5 5", decision)
    assert NPS_Q not in decision  # the question is in the scores, not 45 rows of it
    research = stage_part(text, "Research", "Decision")
    assert re.search(r"CES 6 / 7 — 3", research)
    assert "NPS" not in research


def test_a_stage_with_segments_breaks_its_scores_down(surveyed, tmp_path):
    decision = stage_part(text_of(pdf.render_pdf(surveyed), tmp_path), "Decision", "Purchase")

    assert "By segment" in decision
    # 20 each: Desktop has the even answers (12 promoters, 5 passives, 3 detractors)
    assert re.search(r"Desktop \+45 \(n 20\) — — 20", decision)
    assert re.search(r"No segment — 3\.6 \(n 5\) — 5", decision)


def test_a_stage_without_segments_has_no_breakdown(surveyed, tmp_path):
    research = stage_part(text_of(pdf.render_pdf(surveyed), tmp_path), "Research", "Decision")

    assert "By segment" not in research


def test_the_summary_names_the_map_s_scores(surveyed, tmp_path):
    summary = text_of(pdf.render_pdf(surveyed), tmp_path).split("\f")[1]

    assert squeezed("NPS +45 (n 40) · CSAT 3.6 / 5 (n 5) · CES 6 / 7 (n 3)") in squeezed(summary)


def test_a_map_without_scores_says_nothing_of_them(journey_map, stages, bob, tmp_path):
    quote(bob, journey_map, "I keep the cart as my wishlist.", stage=stages[0])

    text = text_of(pdf.render_pdf(journey_map), tmp_path)

    assert "Across the map" not in text and "NPS" not in text


def test_at_most_three_quotes_a_stage_pain_points_first_then_the_longest(
    bob, journey_map, stages, lanes, tmp_path
):
    pain = add_card(bob, journey_map, stages[3], lanes["pain_points"], "Delivery cost comes late")
    quote(bob, journey_map, "Short one.", stage=stages[3])
    quote(
        bob, journey_map, "A much longer quote about the checkout and its steps.", stage=stages[3]
    )
    quote(bob, journey_map, "Medium length quote here.", stage=stages[3])
    quote(bob, journey_map, "Tiny.", stage=stages[3])
    quote(bob, journey_map, "Fees!", card=pain)

    purchase = stage_part(text_of(pdf.render_pdf(journey_map), tmp_path), "Purchase", "Onboarding")

    shown = re.findall(r"^“([^”]+)”", purchase, re.MULTILINE)  # not "On the card “…”"
    assert shown == [
        "Fees!",  # on a pain-point card
        "A much longer quote about the checkout and its steps.",
        "Medium length quote here.",
    ]
    assert "And 2 more quotes on the board." in purchase


def test_written_answers_are_chosen_like_quotes(bob, journey_map, stages, tmp_path):
    for n, words in enumerate(["Fine", "The size guide is hidden", "Ok", "Too slow", "Meh"]):
        answer(bob, journey_map, stages[0], n, answer=words, segment="Mobile")

    awareness = stage_part(text_of(pdf.render_pdf(journey_map), tmp_path), "Awareness", "Research")

    assert "“The size guide is hidden”" in awareness
    assert "1 / 10 · Mobile · to “How likely are you to recommend us to a friend?”" in awareness
    assert "“Ok”" not in awareness and "“Meh”" not in awareness
    assert "And 2 more written answers on the board." in awareness


def test_answers_on_cards_of_lanes_left_out_are_not_counted(
    bob, journey_map, stages, lanes, tmp_path
):
    hidden = add_card(bob, journey_map, stages[4], lanes["backstage"], "Support queue")
    answer(bob, journey_map, stages[4], 10)
    answer(bob, journey_map, stages[4], 0, card=hidden)
    kept = frozenset(lane.pk for kind, lane in lanes.items() if kind != "backstage")

    options = pdf.ExportOptions(lane_ids=kept)
    onboarding = stage_part(
        text_of(pdf.render_pdf(journey_map, options), tmp_path), "Onboarding", "Retention"
    )

    assert re.search(r"NPS \+100 1 promoter · 0 passives · 0 detractors 1", onboarding)


def test_gathering_scores_takes_the_same_queries_whatever_the_stages(alice, bob, surveyed, stages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            pdf.gather(surveyed)
        return len(captured)

    before = queries()
    for n in range(4):
        event = services.stage_create(actor=alice, map=surveyed, title=f"Extra {n}")
        extra = surveyed.stages.get(pk=event.payload["stage"]["id"])
        answer(bob, surveyed, extra, n, segment="Mobile")

    assert queries() == before
