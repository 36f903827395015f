"""The facilitator's session controls in Chromium: lock, timer, follow and present mode, as the
facilitator drives them and the others see them."""

import os
import re

import pytest
from playwright.sync_api import expect

from evidence import services as evidence_services
from workshops import services
from workshops.models import Card

from .conftest import orm

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("CONTROLS_SCREENSHOTS")  # a folder, to look at what the tests see


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png")


def cell(page, stage, lane):
    return page.locator(f'.cell[data-name="{stage} / {lane}"]')


def stage_ids(journey_map):
    return [stage.pk for stage in journey_map.stages.all()]


def test_facilitator_locks_and_the_editor_cannot_add_a_card(board_page, journey_map):
    alice = board_page("alice", journey_map)
    bob = board_page("bob", journey_map)
    add = bob.get_by_role("button", name="Add card to Awareness / Customer actions")
    expect(add).to_be_visible()

    alice.get_by_role("button", name="Lock board").click()
    expect(bob.locator("#lock-banner")).to_have_text("Board locked by the facilitator")
    expect(add).to_have_count(0)
    expect(bob.get_by_role("button", name="Add stage")).to_be_disabled()
    shot(bob, "locked-editor")
    cell(bob, "Awareness", "Customer actions").dblclick()
    expect(bob.locator(".card.draft")).to_have_count(0)
    # The facilitator still edits.
    expect(
        alice.get_by_role("button", name="Add card to Awareness / Customer actions")
    ).to_be_visible()

    alice.get_by_role("button", name="Unlock board").click()
    expect(bob.locator("#lock-banner")).to_be_hidden()
    expect(add).to_be_visible()
    assert orm(Card.objects.filter(map=journey_map).count) == 0


def test_timer_started_by_the_facilitator_counts_down_on_every_page_to_zero(
    board_page, journey_map
):
    alice = board_page("alice", journey_map)
    carol = board_page("carol", journey_map)
    expect(carol.locator("#session-bar [data-timer]")).to_be_hidden()
    expect(carol.get_by_role("button", name="Start timer")).to_have_count(0)

    alice.get_by_label("Timer", exact=True).fill("0:02")
    alice.get_by_role("button", name="Start timer").click()
    timer = carol.locator("#session-bar [data-timer]")
    expect(timer).to_have_attribute("data-state", "running")
    expect(timer.locator(".timer-time")).to_have_text("0:02")
    shot(carol, "timer-running")
    expect(timer).to_have_attribute("data-state", "done", timeout=5_000)
    expect(timer).to_contain_text("Time's up")
    expect(carol.locator("#board-app")).to_have_class(re.compile(r"\btimer-done\b"))
    expect(alice.locator("#session-bar [data-timer]")).to_have_attribute("data-state", "done")
    shot(carol, "timer-done")


def test_participant_follows_the_facilitator_and_can_step_out(board_page, journey_map):
    alice = board_page("alice", journey_map)
    bob = board_page("bob", journey_map)
    alice.get_by_role("button", name="Ask everyone to follow me").click()
    expect(bob.get_by_role("button", name="Stop following")).to_be_visible()

    last = stage_ids(journey_map)[-1]
    alice.locator(f'.stage-head[data-stage="{last}"]').scroll_into_view_if_needed()
    alice.locator(".board-scroll").evaluate("s => s.scrollTo({left: s.scrollWidth})")
    scrolled = "s => s.scrollLeft"
    bob.wait_for_function(
        "() => document.querySelector('.board-scroll').scrollLeft > 300", timeout=5_000
    )
    assert bob.locator(".board-scroll").evaluate(scrolled) > 300

    bob.get_by_role("button", name="Stop following").click()
    bob.wait_for_timeout(800)  # the last smooth scroll ends
    bob.locator(".board-scroll").evaluate("s => s.scrollTo({left: 0, behavior: 'instant'})")
    alice.locator(".board-scroll").evaluate("s => s.scrollTo({left: 400})")
    alice.wait_for_timeout(800)
    assert bob.locator(".board-scroll").evaluate(scrolled) == 0
    expect(bob.get_by_role("button", name="Follow the facilitator")).to_be_visible()


def _demo_stage_two(journey_map):
    alice = journey_map.workshop.memberships.get(role="facilitator").user
    stage = journey_map.stages.all()[1]
    lanes = {lane.kind: lane for lane in journey_map.lanes.all()}
    services.card_create(
        actor=alice,
        map=journey_map,
        stage_id=stage.pk,
        lane_id=lanes["pain_points"].pk,
        text="Shipping costs appear late",
        severity=3,
    )
    services.card_create(
        actor=alice,
        map=journey_map,
        stage_id=stage.pk,
        lane_id=lanes["emotions"].pk,
        text="Annoyed",
        emotion_score=-1,
    )
    evidence_services.evidence_attach(
        actor=alice,
        map=journey_map,
        stage_id=stage.pk,
        kind="metric",
        name="Buy Policy clicks",
        value=4.5,
        unit="%",
        baseline=3,
    )
    evidence_services.evidence_attach(
        actor=alice,
        map=journey_map,
        stage_id=stage.pk,
        kind="quote",
        text="I only saw the delivery fee at the end.",
        who="Returning buyer",
    )
    evidence_services.evidence_attach(
        actor=alice,
        map=journey_map,
        stage_id=stage.pk,
        kind="recording",
        url="https://www.youtube.com/watch?v=abc",
        start_seconds=83,
    )
    return stage


def test_present_mode_follows_the_facilitator_to_stage_two(board_page, journey_map):
    stage = orm(_demo_stage_two, journey_map)
    alice = board_page("alice", journey_map)
    bob = board_page("bob", journey_map)

    alice.get_by_role("button", name="Present").click()
    overlay = bob.locator(".present-overlay")
    expect(overlay.locator("#present-title")).to_have_text("Awareness")
    alice.keyboard.press("ArrowRight")
    expect(overlay.locator("#present-title")).to_have_text(stage.title)
    expect(overlay.locator(".present-step")).to_have_text("Stage 2 of 7")
    expect(overlay).to_contain_text("Severity 3/3 (high)")
    expect(overlay.locator(".present-emotion")).to_contain_text("Feeling: -1 (negative)")
    expect(overlay.locator(".kind-metric")).to_contain_text("Buy Policy clicks: 4.5%")
    expect(overlay.locator(".kind-metric")).to_contain_text("+50%")
    expect(overlay.locator(".kind-quote")).to_contain_text("I only saw the delivery fee")
    link = overlay.get_by_role("link", name="Watch the recording (youtube) from 1:23 ↗")
    expect(link).to_have_attribute("target", "_blank")
    shot(bob, "present-participant")

    bob.keyboard.press("Escape")  # steps out, locally
    expect(overlay).to_have_count(0)
    expect(alice.locator(".present-overlay")).to_be_visible()
    bob.get_by_role("button", name="Rejoin the presentation").click()
    expect(overlay.locator("#present-title")).to_have_text(stage.title)

    alice.get_by_role("button", name="End presentation").click()
    expect(overlay).to_have_count(0)
    expect(alice.locator(".present-overlay")).to_have_count(0)


def test_editor_sees_no_facilitator_controls(board_page, journey_map):
    bob = board_page("bob", journey_map)
    for name in ("Lock board", "Present", "Start timer", "Ask everyone to follow me"):
        expect(bob.get_by_role("button", name=name)).to_have_count(0)
