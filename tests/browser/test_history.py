"""Undo and the history panel in Chromium, against a real Daphne."""

import re

import pytest
from playwright.sync_api import expect

from workshops import services
from workshops.models import Card

from .conftest import orm
from .test_board import add_card, cell, texts

pytestmark = pytest.mark.browser


def card_text(card_id):
    return Card.objects.get(pk=card_id).text


def test_ctrl_z_undoes_your_edit_on_every_open_board(board_page, journey_map):
    bob = board_page("bob", journey_map)
    alice = board_page("alice", journey_map)
    bob.get_by_role("button", name="Add card to Awareness / Customer actions").click()
    bob.get_by_role("textbox", name="New card in Awareness / Customer actions").fill("Sees an ad")
    bob.keyboard.press("Enter")
    card = cell(bob, "Awareness", "Customer actions").locator(".card:not(.pending-create)")
    expect(card).to_have_count(1)
    card.focus()
    bob.keyboard.press("Enter")
    bob.get_by_role("textbox", name="Edit card text").fill("Sees an ad on Instagram")
    bob.keyboard.press("Enter")
    expect(texts(alice, "Awareness", "Customer actions")).to_have_text("Sees an ad on Instagram")

    bob.keyboard.press("Control+z")

    expect(texts(bob, "Awareness", "Customer actions")).to_have_text("Sees an ad")
    expect(texts(alice, "Awareness", "Customer actions")).to_have_text("Sees an ad")
    expect(bob.locator("#history-status")).to_contain_text("Bob undid: edited “Sees an ad”")
    assert orm(card_text, int(card.get_attribute("data-card"))) == "Sees an ad"

    bob.keyboard.press("Control+Shift+z")
    expect(texts(alice, "Awareness", "Customer actions")).to_have_text("Sees an ad on Instagram")


def test_refused_undo_says_who_changed_it(board_page, journey_map, cast):
    card = orm(add_card, cast["alice"], journey_map, "Research", "Customer actions", "Compares")
    orm(
        services.card_update,
        actor=cast["bob"],
        map=journey_map,
        card_id=card.pk,
        text="Compares prices",
    )
    alice = board_page("alice", journey_map)

    alice.get_by_role("button", name="Undo your last change").click()

    expect(alice.locator("#history-status")).to_contain_text(
        "Bob changed the card “Compares prices” since"
    )
    expect(texts(alice, "Research", "Customer actions")).to_have_text("Compares prices")


def test_history_panel_lists_changes_and_filters_by_person(board_page, journey_map, cast):
    orm(add_card, cast["alice"], journey_map, "Research", "Pain points", "Slow search")
    card = orm(add_card, cast["bob"], journey_map, "Awareness", "Customer actions", "Compares")
    page = board_page("carol", journey_map)
    expect(page.get_by_role("button", name="Undo your last change")).to_have_count(0)  # a viewer

    page.get_by_role("button", name="History").click()
    items = page.locator("#history-list .history-item .history-text")
    expect(items.first).to_have_text("Bob added “Compares” to Awareness / Customer actions")
    expect(items.nth(1)).to_have_text("Alice added “Slow search” to Research / Pain points")

    # A change made meanwhile on another board shows at the top at once.
    bob = board_page("bob", journey_map)
    bob.locator(f'.card[data-card="{card.pk}"]').focus()
    bob.keyboard.press("Alt+ArrowRight")
    expect(items.first).to_have_text("Bob moved “Compares” to Research / Customer actions")

    page.get_by_label("Changes by").select_option(label="Alice")
    expect(items).to_have_count(2)  # her card, and the map she created
    expect(items.first).to_have_text("Alice added “Slow search” to Research / Pain points")
    when = page.locator("#history-list time").first
    expect(when).to_have_text("just now")
    expect(when).to_have_attribute("title", re.compile(r"\b20\d\d\b"))  # the exact time
