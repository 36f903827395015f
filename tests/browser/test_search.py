"""The search box in the header finds a card, and its result opens the board on that card."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import orm
from .test_board import add_card

pytestmark = pytest.mark.browser


def test_the_header_box_finds_a_card_and_opens_the_board_on_it(board_page, journey_map, cast):
    wanted = orm(
        add_card, cast["bob"], journey_map, "Decision", "Pain points", "Quokka size guide hidden"
    )
    orm(add_card, cast["bob"], journey_map, "Research", "Pain points", "Quokka reviews are old")
    page = board_page("carol", journey_map)

    box = page.get_by_role("searchbox", name="Search your workshops")
    box.fill("quokka size")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=quokka\+size"))
    results = page.locator(".search-result")
    expect(results).to_have_count(1)
    expect(results.locator("mark")).to_have_text(["Quokka", "size"])
    expect(results).to_contain_text("Pain points · Decision")

    results.get_by_role("link").click()

    expect(page).to_have_url(re.compile(rf"/maps/{journey_map.pk}/#card-{wanted.pk}$"))
    card = page.locator(f'.card[data-card="{wanted.pk}"]')
    expect(card).to_be_focused()
    expect(card).to_have_class(re.compile(r"\blinked\b"))
    expect(card).to_be_in_viewport()
