"""The board's workshop layout on a 1920x1080 projector: the map's tools fold away, the session
bar stays in sight, zoom and fit are each person's own, projector and present mode use the
screen, time's up clears itself, a closed vote leaves no stray words, a double click edits, the
grid is one tab stop with arrow keys inside, and axe-core finds nothing serious on the board."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from workshops import services
from workshops.models import Card
from workshops.services import facilitation, voting

from .conftest import orm, session_key
from .test_accessibility import AXE, violations

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}


@pytest.fixture
def projector_board(browser, server, cast):
    """open(username, map) -> a live board at 1920x1080; each person their own browser."""
    contexts = []

    def open_board(username, journey_map):
        context = browser.new_context(viewport=PROJECTOR)
        contexts.append(context)
        value = orm(session_key, cast[username])
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": server.url}]
        )
        page = context.new_page()
        page.goto(f"{server.url}/maps/{journey_map.pk}/")
        expect(page.locator("#conn-status")).to_have_text("Live")
        return page

    yield open_board
    for context in contexts:
        context.close()


def reload(page):
    page.reload()
    expect(page.locator("#conn-status")).to_have_text("Live")


def add_card(user, journey_map, stage, lane, text, **fields):
    stage_id = journey_map.stages.get(title=stage).pk
    lane_id = journey_map.lanes.get(title=lane).pk
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stage_id, lane_id=lane_id, text=text
    )
    card = Card.objects.get(pk=event.payload["card"]["id"])
    if fields:
        services.card_update(actor=user, map=journey_map, card_id=card.pk, **fields)
    return card


def type_card(page, cell, text):
    """Add a card from a board, as a person does: changes made here in the test's own process
    would not reach the server's live sockets."""
    page.get_by_role("button", name=f"Add card to {cell}").click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def grid_top(page) -> float:
    return page.locator("#board").bounding_box()["y"]


def fully_shown(page, selector) -> int:
    """How many of `selector` lie wholly inside the board's scroll area."""
    return page.evaluate(
        """(selector) => {
          const box = document.querySelector('.board-scroll').getBoundingClientRect();
          return [...document.querySelectorAll(selector)].filter((node) => {
            const r = node.getBoundingClientRect();
            return r.left >= box.left - 1 && r.right <= box.right + 1
              && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
          }).length;
        }""",
        selector,
    )


# --- the frame --------------------------------------------------------------------------------


def test_tools_fold_away_and_stay_folded_for_that_person(projector_board, journey_map):
    page = projector_board("alice", journey_map)
    toggle = page.get_by_role("button", name="Tools")
    expect(page.get_by_role("region", name="Map tools")).to_be_visible()
    open_top = grid_top(page)

    toggle.click()
    expect(page.get_by_role("region", name="Map tools")).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert grid_top(page) < open_top - 80
    assert grid_top(page) < 200  # site header, map header and session bar only

    reload(page)
    expect(page.get_by_role("region", name="Map tools")).to_be_hidden()
    page.get_by_role("button", name="Tools").click()
    expect(page.get_by_role("button", name="Start timer")).to_be_visible()


def test_the_page_does_not_scroll_and_the_session_bar_stays_in_sight(projector_board, journey_map):
    page = projector_board("alice", journey_map)
    page.get_by_role("button", name="Lock board").click()
    page.get_by_label("Timer", exact=True).fill("10:00")
    page.get_by_role("button", name="Start timer").click()
    bar = page.get_by_role("region", name="Session")
    expect(bar.locator("#lock-banner")).to_be_visible()
    expect(bar.locator("[data-timer]")).to_have_attribute("data-state", "running")

    # Only the grid scrolls; wherever it is scrolled to, the bar is where it was.
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight + 1")
    before = bar.bounding_box()
    page.locator(".board-scroll").evaluate("s => s.scrollTo(s.scrollWidth, s.scrollHeight)")
    page.mouse.wheel(0, 3000)
    after = bar.bounding_box()
    assert after["y"] == pytest.approx(before["y"], abs=1)
    assert 0 <= after["y"] and after["y"] + after["height"] <= PROJECTOR["height"]


# --- zoom, fit, projector -----------------------------------------------------------------


def test_zoom_and_fit_are_kept_per_person(projector_board, journey_map):
    alice = projector_board("alice", journey_map)
    level = alice.locator("#zoom-level")
    expect(level).to_have_text("Zoom 100%")
    card_width = alice.locator(".stage-head").first.bounding_box()["width"]

    alice.get_by_role("button", name="Zoom out").click()
    expect(level).to_have_text("Zoom 90%")
    assert alice.locator(".stage-head").first.bounding_box()["width"] == pytest.approx(
        card_width * 0.9, rel=0.02
    )
    reload(alice)
    expect(alice.locator("#zoom-level")).to_have_text("Zoom 90%")

    # Fit: every stage and every lane of the map in the window at once, and it stays so.
    alice.get_by_role("button", name="Fit to screen").click()
    expect(alice.get_by_role("button", name="Fit to screen")).to_have_attribute(
        "aria-pressed", "true"
    )
    stages, lanes = alice.locator(".stage-head").count(), alice.locator(".lane-row").count()
    assert (fully_shown(alice, ".stage-head"), fully_shown(alice, ".lane-row")) == (stages, lanes)
    reload(alice)
    expect(alice.get_by_role("button", name="Fit to screen")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert fully_shown(alice, ".lane-row") == lanes

    # Someone else's board is their own: Bob still sees the map at 100%.
    bob = projector_board("bob", journey_map)
    expect(bob.locator("#zoom-level")).to_have_text("Zoom 100%")


def test_projector_mode_makes_the_type_larger(projector_board, journey_map, cast):
    orm(add_card, cast["bob"], journey_map, "Awareness", "Touchpoints", "Sees a reel")
    page = projector_board("bob", journey_map)
    # Read in one go: a redraw may replace the text's element between finding and reading it.
    size = """() => parseFloat(getComputedStyle([...document.querySelectorAll('.card-text')]
      .find((n) => n.textContent === 'Sees a reel')).fontSize)"""
    normal = page.evaluate(size)

    page.get_by_role("button", name="Projector mode").click()
    expect(page.get_by_role("button", name="Projector mode")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.evaluate(size) >= normal * 1.2
    reload(page)
    assert page.evaluate(size) >= normal * 1.2


def test_present_mode_uses_the_whole_screen_in_large_type(projector_board, journey_map, cast):
    orm(add_card, cast["bob"], journey_map, "Awareness", "Pain points", "No size guide")
    page = projector_board("alice", journey_map)
    page.get_by_role("button", name="Present").click()
    overlay = page.get_by_role("dialog")
    expect(overlay.get_by_role("heading", name="Awareness")).to_be_visible()
    body = overlay.locator(".present-body").bounding_box()
    assert body["width"] >= PROJECTOR["width"] * 0.97
    card = overlay.locator(".present-card", has_text="No size guide")
    assert card.evaluate("n => parseFloat(getComputedStyle(n).fontSize)") >= 24


# --- the session --------------------------------------------------------------------------


def test_times_up_shows_for_a_moment_then_clears_for_everyone(projector_board, journey_map):
    alice = projector_board("alice", journey_map)
    carol = projector_board("carol", journey_map)
    alice.get_by_label("Timer", exact=True).fill("0:02")
    alice.get_by_role("button", name="Start timer").click()
    for page in (alice, carol):
        expect(page.locator("#session-bar [data-timer]")).to_have_attribute(
            "data-state", "done", timeout=6_000
        )
    wait = (facilitation.TIME_UP_SHOWN_SECONDS + 6) * 1000
    for page in (alice, carol):
        expect(page.locator("#session-bar [data-timer]")).to_be_hidden(timeout=wait)
        expect(page.locator("#board-app")).not_to_have_class(re.compile(r"\btimer-done\b"))
    # A board opened now has no timer either: the server left it out.
    fresh = projector_board("bob", journey_map)
    expect(fresh.locator("#session-bar [data-timer]")).to_be_hidden()
    assert "timer" not in fresh.evaluate(
        "JSON.parse(document.getElementById('board-data').textContent).controls"
    )


def _closed_vote(cast, journey_map):
    alice, bob = cast["alice"], cast["bob"]
    ranked = add_card(bob, journey_map, "Purchase", "Pain points", "Shipping fees", severity=3)
    add_card(bob, journey_map, "Research", "Pain points", "Size guide is vague")
    add_card(bob, journey_map, "Research", "Opportunities", "Wishlist reminders")
    add_card(bob, journey_map, "Awareness", "Emotions", "Curious")  # no feeling given
    vote = voting.vote_open(actor=alice, map=journey_map, dots_per_person=2)
    voting.vote_place(
        actor=bob, map=journey_map, round_id=vote.payload["vote"]["round"], card_id=ranked.pk
    )
    voting.vote_close(actor=alice, map=journey_map, round_id=vote.payload["vote"]["round"])


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_the_closed_vote_board_has_no_stray_text(projector_board, journey_map, cast, who):
    orm(_closed_vote, cast, journey_map)
    page = projector_board(who, journey_map)
    expect(page.locator(".card", has_text="Shipping fees").locator(".dot-rank")).to_have_text(
        "#1 · 1 dot"
    )
    unranked = page.locator(".card", has_text="Size guide is vague")
    expect(unranked.locator(".dot-rank")).to_have_count(0)
    assert "null" not in page.locator("#board").inner_text()
    # Redrawn by a later change: still nothing stray, not once more per redraw.
    type_card(projector_board("bob", journey_map), "Decision / Opportunities", "Free returns")
    expect(page.locator(".card", has_text="Free returns")).to_be_visible()
    assert "null" not in page.locator("#board").inner_text()
    expect(page.get_by_role("region", name="Session").locator("#vote-results")).to_be_visible()


# --- editing and the keyboard ------------------------------------------------------------


def test_double_click_edits_a_card(projector_board, journey_map, cast):
    card = orm(add_card, cast["bob"], journey_map, "Awareness", "Thoughts", "Is it my style?")
    page = projector_board("bob", journey_map)
    page.locator(".card", has_text="Is it my style?").locator(".card-text").dblclick()
    field = page.get_by_role("textbox", name=re.compile("^Edit card text"))
    expect(field).to_be_focused()
    field.fill("Is it my style? Will it fit?")
    page.keyboard.press("Enter")
    expect(page.locator(".card-text", has_text="Will it fit?")).to_be_visible()
    assert orm(lambda: Card.objects.get(pk=card.pk).text) == "Is it my style? Will it fit?"


TAB_STOPS_IN_GRID = """() => [...document.querySelectorAll('#board *')]
  .filter((n) => n.tabIndex >= 0 && !n.disabled && n.getClientRects().length)
  .map((n) => n.className)"""


def focused(page) -> dict:
    return page.evaluate(
        """() => { const n = document.activeElement;
          return { cls: n.className, card: n.dataset.card || null, stage: n.dataset.stage || null,
                   inGrid: Boolean(n.closest('#board')), text: n.textContent.slice(0, 40) }; }"""
    )


def test_keyboard_only_through_the_roving_grid(projector_board, journey_map, cast):
    first = orm(add_card, cast["bob"], journey_map, "Awareness", "Touchpoints", "Sponsored post")
    orm(add_card, cast["bob"], journey_map, "Research", "Touchpoints", "Product pages")
    page = projector_board("bob", journey_map)

    # One item of the grid is in the tab order, with its own few buttons after it.
    stops = page.evaluate(TAB_STOPS_IN_GRID)
    assert stops[0].startswith("card") and len(stops) <= 6, stops

    presses = 0
    while not focused(page)["inGrid"] and presses < 60:
        page.keyboard.press("Tab")
        presses += 1
    assert focused(page)["card"] == str(first.pk)
    assert presses < 40  # the map's tools are open, and still the map is near

    page.keyboard.press("ArrowRight")
    assert focused(page)["text"].startswith("Product pages")
    page.keyboard.press("ArrowUp")  # past the first lane: the stage's header
    assert "stage-head" in focused(page)["cls"]
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowDown")
    assert focused(page)["card"] == str(first.pk)
    page.keyboard.press("ArrowLeft")  # past the first stage: the lane's header
    assert "lane-head" in focused(page)["cls"]
    page.keyboard.press("ArrowRight")
    assert focused(page)["card"] == str(first.pk)

    # Tab goes through this card's own buttons, then out of the grid; Escape comes back.
    page.keyboard.press("Tab")
    assert focused(page)["inGrid"] and not focused(page)["card"]
    page.keyboard.press("Escape")
    assert focused(page)["card"] == str(first.pk)
    for _ in range(8):
        page.keyboard.press("Tab")
        if not focused(page)["inGrid"]:
            break
    assert not focused(page)["inGrid"]
    # Back with Shift+Tab: the card where the focus was, not the grid's start.
    for _ in range(8):
        page.keyboard.press("Shift+Tab")
        if focused(page)["card"]:
            break
    assert focused(page)["card"] == str(first.pk)

    # Keyboard only: edit the card, then move it one cell right.
    page.keyboard.press("Enter")
    page.keyboard.press("End")
    page.keyboard.type(" with a try-on")
    page.keyboard.press("Enter")
    expect(page.locator(".card-text", has_text="Sponsored post with a try-on")).to_be_visible()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#announcer")).to_have_text(
        "Moved card to Awareness / Customer actions, position 1."
    )


def test_others_changes_are_announced_politely(projector_board, journey_map, cast):
    page = projector_board("alice", journey_map)
    announcer = page.locator("#announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    type_card(projector_board("bob", journey_map), "Decision / Thoughts", "I'll wait for payday")
    expect(announcer).to_have_text(
        "Bob added “I'll wait for payday” to Decision / Thoughts.", timeout=6_000
    )


# --- accessibility -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test-browser` installs it from npm")
    return AXE.read_text()


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_no_serious_accessibility_violation_on_the_board(
    projector_board, journey_map, cast, axe_source, who
):
    orm(_closed_vote, cast, journey_map)
    orm(facilitation.board_lock, actor=cast["alice"], map=journey_map)
    page = projector_board(who, journey_map)
    expect(page.locator(".card", has_text="Shipping fees")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    assert violations(page, axe_source) == [], who


def test_a_blank_map_says_how_to_start_until_it_has_a_stage_and_a_lane(projector_board, cast):
    blank = orm(
        services.map_create, actor=cast["alice"], workshop=cast["workshop"], title="Fresh start",
        template="blank",
    )  # fmt: skip
    viewer = projector_board("carol", blank)
    expect(viewer.locator("#board-start")).to_contain_text("Nothing is on this map yet")
    page = projector_board("bob", blank)
    start = page.locator("#board-start")
    expect(start.get_by_role("heading")).to_have_text("This map is blank")
    page.screenshot(path="test-results/blank-map.png")
    if page.locator("#board-tools").is_visible():  # folded or not, the button finds the field
        page.locator('[data-view="tools"]').click()
    start.get_by_role("button", name="Add the first stage").click()
    expect(page.locator("#new-stage-title")).to_be_focused()
    page.keyboard.type("Discover")
    page.keyboard.press("Enter")
    expect(start.get_by_role("heading")).to_have_text("Add a lane to start")
    expect(start.get_by_role("button", name="Add the first stage")).to_be_hidden()
    start.get_by_role("button", name="Add the first lane").click()
    page.keyboard.type("Thoughts")
    page.keyboard.press("Enter")
    expect(start).to_be_hidden()
    expect(viewer.locator("#board-start")).to_be_hidden()  # live, on every board
    expect(viewer.locator(".cell")).to_have_count(1)
