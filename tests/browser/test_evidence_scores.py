"""Scores on the live board in Chromium: survey answers posted to the REST API make the stage
header's NPS chip appear and change on every open board without a reload; the stage's evidence
panel starts with its Scores block and folds the answers under their question; a card that
moves takes its answers' scores along; present mode shows scores, not answers.

Live changes go through the API from a page (the server, in its own process, broadcasts them);
what is there before the pages open is stored through the services, with orm()."""

import re

import pytest
from playwright.sync_api import expect

from evidence import services as evidence_services
from workshops import services

from .conftest import orm

pytestmark = pytest.mark.browser

NPS_Q = "How likely are you to recommend us to a friend?"
CSAT_Q = "How satisfied are you with checkout?"


def answer(user, journey_map, stage_title, score, scale="nps", card_id=None, **values):
    stage = journey_map.stages.get(title=stage_title)
    return evidence_services.evidence_attach(
        actor=user,
        map=journey_map,
        kind="survey",
        stage_id=None if card_id else stage.pk,
        card_id=card_id,
        question=NPS_Q if scale == "nps" else CSAT_Q,
        score=score,
        score_scale=scale,
        **values,
    )


API = """async ([method, url, body]) => {
  const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
  const response = await fetch(url, {method, body: JSON.stringify(body),
    headers: {"X-CSRFToken": token, "Content-Type": "application/json"}});
  return response.status;
}"""


def post_answer(page, journey_map, stage_id, score, **values):
    """An NPS answer, posted by the page's user as the evidence panel would."""
    body = {"kind": "survey", "stage": stage_id, "question": NPS_Q, "score": score, **values}
    url = f"/api/maps/{journey_map.pk}/evidence/"
    assert page.evaluate(API, ["POST", url, body]) == 201


def stage_id(journey_map, title):
    return orm(lambda: journey_map.stages.get(title=title).pk)


def add_card(user, journey_map, stage_title, text):
    stage = journey_map.stages.get(title=stage_title)
    lane = journey_map.lanes.get(kind="actions")
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
    )
    return event.payload["card"]["id"]


def move_card(page, journey_map, card_id, stage_title):
    lane_id = orm(lambda: journey_map.lanes.get(kind="actions").pk)
    body = {"stage": stage_id(journey_map, stage_title), "lane": lane_id, "position": 0}
    url = f"/api/maps/{journey_map.pk}/cards/{card_id}/move/"
    assert page.evaluate(API, ["POST", url, body]) == 200


def head(page, stage):
    return page.locator(".stage-head", has_text=stage)


def nps_chip(page, stage):
    return head(page, stage).get_by_role("img", name=re.compile("^Net Promoter Score"))


def panel(page, stage):
    return page.get_by_role("complementary", name=f"Evidence for stage “{stage}”")


def test_answers_stored_elsewhere_make_the_nps_chip_appear_and_change_on_both_pages(
    board_page, journey_map, cast
):
    bob = board_page("bob", journey_map)
    alice = board_page("alice", journey_map)
    for page in (bob, alice):
        expect(head(page, "Decision").locator(".score-chip")).to_have_count(0)

    decision = stage_id(journey_map, "Decision")
    post_answer(bob, journey_map, decision, 10)
    post_answer(bob, journey_map, decision, 9)

    for page in (bob, alice):
        expect(nps_chip(page, "Decision")).to_have_text("NPS +100 (n 2)")
        expect(nps_chip(page, "Decision")).to_have_attribute(
            "aria-label", re.compile(r"plus 100, from 2 answers: 2 promoters, 0 passives")
        )

    post_answer(bob, journey_map, decision, 2)
    post_answer(bob, journey_map, decision, 3)

    for page in (bob, alice):
        expect(nps_chip(page, "Decision")).to_have_text("NPS 0 (n 4)")
        expect(head(page, "Research").locator(".score-chip")).to_have_count(0)


def test_the_stage_panel_starts_with_its_scores_and_folds_the_answers(
    board_page, journey_map, cast
):
    for score, segment in ((10, "Mobile"), (9, "Mobile"), (4, "Desktop")):
        orm(answer, cast["bob"], journey_map, "Purchase", score, segment=segment)
    orm(answer, cast["bob"], journey_map, "Purchase", 5, scale="csat", answer="Quick and easy")
    alice = board_page("alice", journey_map)
    bob = board_page("bob", journey_map)
    csat_chip = head(alice, "Purchase").get_by_role(
        "img", name=re.compile("^Customer satisfaction")
    )
    expect(csat_chip).to_have_text("CSAT 5")
    head(alice, "Purchase").locator(".evidence-coverage").click()

    side = panel(alice, "Purchase")
    scores = side.get_by_role("region", name="Scores")
    expect(scores.locator('.score-line[data-scale="nps"]')).to_contain_text("NPS +33.3")
    expect(scores.locator('.score-line[data-scale="nps"]')).to_contain_text(
        "2 promoters · 0 passives · 1 detractor · n 3"
    )
    expect(scores.locator('.score-line[data-scale="csat"]')).to_contain_text("100% top-2")
    table = scores.get_by_role("table", name="By segment")
    expect(table.get_by_role("row", name=re.compile("^Mobile"))).to_contain_text("+100 (n 2)")
    expect(table.get_by_role("row", name=re.compile("^No segment"))).to_contain_text("5 (n 1)")

    folded = side.locator("details.survey-group", has_text="3 answers to “How likely")
    expect(folded).not_to_have_attribute("open", "")
    expect(side.locator("#evidence-list > li.evidence-item.kind-survey")).to_have_count(0)
    folded.locator("summary").click()
    expect(folded.locator("li.evidence-item")).to_have_count(3)

    # Bob answers on his page: Alice's open panel reads its scores again, the group stays open.
    post_answer(bob, journey_map, stage_id(journey_map, "Purchase"), 8, segment="Mobile")
    expect(scores.locator('.score-line[data-scale="nps"]')).to_contain_text("n 4")
    expect(side.locator("details.survey-group[open]")).to_contain_text("4 answers to")
    expect(nps_chip(alice, "Purchase")).to_have_text("NPS +25 (n 4)")


def test_a_card_that_moves_takes_its_answers_scores_along(board_page, journey_map, cast):
    card_id = orm(add_card, cast["bob"], journey_map, "Research", "Compares sizes")
    orm(answer, cast["bob"], journey_map, "Research", 10, card_id=card_id)
    carol = board_page("carol", journey_map)
    bob = board_page("bob", journey_map)
    expect(nps_chip(carol, "Research")).to_have_text("NPS +100 (n 1)")

    move_card(bob, journey_map, card_id, "Onboarding")

    expect(nps_chip(carol, "Onboarding")).to_have_text("NPS +100 (n 1)")
    expect(head(carol, "Research").locator(".score-chip")).to_have_count(0)


def test_present_mode_shows_the_stage_s_scores_instead_of_each_answer(
    board_page, journey_map, cast
):
    for score in (10, 6):
        orm(answer, cast["bob"], journey_map, "Awareness", score, answer=f"Answer {score}")
    alice = board_page("alice", journey_map)
    alice.get_by_role("button", name="Present").click()

    overlay = alice.locator(".present-overlay")
    survey = overlay.locator(".evidence-group.kind-survey")
    expect(survey.locator("h4")).to_have_text("Scores")
    expect(survey.locator('.score-line[data-scale="nps"]')).to_contain_text("NPS 0")
    expect(survey.locator('.score-line[data-scale="nps"]')).to_contain_text("n 2")
    expect(overlay).not_to_contain_text("Answer 10")
