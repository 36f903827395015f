"""A board far larger than Daphne's 1 MiB frame in Chromium: it opens for every role, stays
live, and follows changes too large for a frame (the board then comes over HTTP)."""

import pytest
from playwright.sync_api import expect

from documents import mapfile
from workshops import services

from .conftest import orm

pytestmark = pytest.mark.browser

CARDS, TEXT = 5000, 300
# The first stage's cards, with long texts: its deletion names them all, an event too large
# for a frame (512 KiB).
CROWDED, LONG_TEXT = 300, 1900
# Redrawing 5,000 cards in three pages at once takes seconds at rest, and several times that on
# a loaded machine (failed here at a load of 10 with the suite's 10 s): conditions, given longer.
REDRAWN = 60_000


def big_map(cast):
    """5,000 cards (a board of 3.7 MB), imported as one change as a map file would be."""
    stages = [{"key": f"st-{n}", "title": f"Stage {n}", "description": ""} for n in range(7)]
    lanes = [{"key": f"ln-{n}", "title": f"Lane {n}", "kind": "text"} for n in range(8)]
    cards = [
        {
            "key": f"cd-{n}",
            "stage": "st-0" if n < CROWDED else f"st-{n % 6 + 1}",
            "lane": f"ln-{n % 8}",
            "text": f"Card {n} ".ljust(LONG_TEXT if n < CROWDED else TEXT, "x"),
        }
        for n in range(CARDS)
    ]
    document = {
        "format": mapfile.FORMAT,
        "version": mapfile.VERSION,
        "map": {"title": "Big board", "description": "", "state": "current", "persona": None},
        "stages": stages,
        "lanes": lanes,
        "cards": cards,
        "evidence": [],
    }
    return mapfile.map_import(actor=cast["alice"], workshop=cast["workshop"], data=document)


def first_stage(journey_map):
    return journey_map.stages.order_by("position").first()


@pytest.fixture
def big(cast):
    return orm(big_map, cast)


def test_a_board_over_a_mebibyte_opens_for_every_role_and_stays_live(board_page, big):
    pages = {name: board_page(name, big) for name in ("alice", "bob", "carol")}
    for page in pages.values():
        expect(page.locator(".card")).to_have_count(CARDS, timeout=REDRAWN)

    stage = orm(first_stage, big)
    card = orm(lambda: stage.cards.order_by("position").first())
    bob = pages["bob"]
    bob.locator(f'.card[data-card="{card.pk}"]').focus()
    bob.keyboard.press("Enter")
    bob.get_by_role("textbox", name="Edit card text").fill("Edited live")
    bob.keyboard.press("Enter")
    for page in pages.values():
        expect(page.locator(f'.card[data-card="{card.pk}"] .card-text')).to_have_text(
            "Edited live", timeout=REDRAWN
        )

    # Its deletion is too large for a frame: the boards fetch the board after it.
    alice = pages["alice"]
    alice.once("dialog", lambda dialog: dialog.accept())
    alice.locator(f'button[data-action="stage-delete"][data-id="{stage.pk}"]').click()
    for page in pages.values():
        expect(page.locator(".card")).to_have_count(CARDS - CROWDED, timeout=REDRAWN)
        expect(page.locator("#conn-status")).to_have_text("Live")


def test_a_big_board_that_changed_while_away_comes_over_http(board_page, big, cast, server):
    page = board_page("carol", big)
    expect(page.locator(".card")).to_have_count(CARDS, timeout=REDRAWN)
    server.stop()
    expect(page.locator("#conn-status")).to_have_text("Reconnecting…")
    stage = orm(first_stage, big)
    orm(services.stage_delete, actor=cast["alice"], map=big, stage_id=stage.pk)
    server.start()
    expect(page.locator("#conn-status")).to_have_text("Live", timeout=REDRAWN)
    expect(page.locator(".card")).to_have_count(CARDS - CROWDED, timeout=REDRAWN)
