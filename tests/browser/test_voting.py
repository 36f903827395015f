"""A dot vote in three browsers: the facilitator runs it, two participants vote, and nobody sees
anyone else's dots until the close shows everyone the same ranking."""

import pytest
from playwright.sync_api import expect

from workshops import services
from workshops.models import Card

from .conftest import orm

pytestmark = pytest.mark.browser


def add_card(user, journey_map, stage, lane, text):
    stage_id = journey_map.stages.get(title=stage).pk
    lane_id = journey_map.lanes.get(title=lane).pk
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stage_id, lane_id=lane_id, text=text
    )
    return Card.objects.get(pk=event.payload["card"]["id"])


def card(page, text):
    return page.locator(".card", has_text=text)


def dot_button(page, text):
    return card(page, text).get_by_role("button", name=f"Place a dot on “{text}”")


def place_dot(page, text):
    dot_button(page, text).click()


def test_a_vote_with_a_facilitator_and_two_participants(board_page, journey_map, cast):
    shipping = orm(add_card, cast["bob"], journey_map, "Purchase", "Pain points", "Shipping fees")
    orm(add_card, cast["bob"], journey_map, "Research", "Opportunities", "Wishlist reminders")
    orm(add_card, cast["bob"], journey_map, "Research", "Customer actions", "Reads reviews")
    alice, bob, carol = (board_page(name, journey_map) for name in ("alice", "bob", "carol"))

    alice.get_by_label("Dots each").fill("2")
    alice.get_by_role("button", name="Open a vote").click()
    for page in (bob, carol):
        expect(page.locator("#voting-banner")).to_contain_text("2 of 2 dots left")
        # Only pain points and opportunities take dots.
        expect(card(page, "Reads reviews").locator(".card-dots")).to_have_count(0)

    # Bob by keyboard: focus the button, press Enter, twice.
    button = dot_button(bob, "Shipping fees")
    for _ in range(2):
        button.focus()
        bob.keyboard.press("Enter")
        expect(card(bob, "Shipping fees").locator(".dot-mine")).to_contain_text("You:")
    expect(card(bob, "Shipping fees").locator(".dot-mine")).to_have_text("You: 2 dots")
    expect(bob.locator("#voting-banner")).to_contain_text("0 of 2 dots left")
    place_dot(carol, "Shipping fees")
    place_dot(carol, "Wishlist reminders")
    expect(carol.locator("#voting-banner")).to_contain_text("0 of 2 dots left")

    # Neither sees the other's dots, and the facilitator sees none.
    expect(card(carol, "Shipping fees").locator(".dot-mine")).to_have_text("You: 1 dot")
    expect(card(bob, "Wishlist reminders").locator(".dot-mine")).to_have_text("No dot from you")
    expect(card(alice, "Shipping fees").locator(".dot-mine")).to_have_text("No dot from you")
    # A third dot is refused, and says why (the button says it is disabled, yet still answers).
    full = dot_button(bob, "Wishlist reminders")
    expect(full).to_have_attribute("aria-disabled", "true")
    full.focus()
    bob.keyboard.press("Enter")
    expect(bob.locator(".toast.error")).to_contain_text("placed all 2 of your dots")

    alice.get_by_role("button", name="Close the vote and show the ranking").click()
    for page in (alice, bob, carol):
        ranking = page.locator("#vote-ranking li")
        expect(ranking).to_have_count(2)
        expect(ranking.nth(0)).to_contain_text("3 dots")
        expect(ranking.nth(0)).to_contain_text("Shipping fees")
        expect(ranking.nth(1)).to_contain_text("1 dot")
        expect(ranking.nth(1)).to_contain_text("Wishlist reminders")
        expect(card(page, "Shipping fees").locator(".dot-rank")).to_have_text("#1 · 3 dots")
        expect(page.locator("#voting-banner")).to_be_hidden()
    assert orm(lambda: shipping.votes.count()) == 3


def test_private_brainstorming_in_two_browsers(board_page, journey_map, cast):
    alice, bob = board_page("alice", journey_map), board_page("bob", journey_map)
    alice.get_by_role("button", name="Start private brainstorming").click()
    expect(bob.locator("#voting-banner")).to_contain_text("seen only by you")
    bob.get_by_role("button", name="Add card to Awareness / Thoughts").click()
    bob.keyboard.type("Too many tabs open")
    bob.keyboard.press("Enter")
    mark = card(bob, "Too many tabs open").locator(".private-mark")
    expect(mark).to_have_text("Only you see this")
    # Alice's board took the revision, without the card.
    expect(alice.locator("#revision")).to_have_text(bob.locator("#revision").inner_text())
    expect(card(alice, "Too many tabs open")).to_have_count(0)

    alice.get_by_role("button", name="Reveal all cards").click()
    expect(card(alice, "Too many tabs open")).to_be_visible()
    expect(card(bob, "Too many tabs open").locator(".private-mark")).to_have_count(0)
    expect(bob.locator("#voting-banner")).to_be_hidden()
