"""Comments in two browsers: Bob comments on a card and mentions Alice; Alice sees the badge and
the thread live, resolves it, and finds it in her mentions, whose link opens the thread."""

import pytest
from playwright.sync_api import expect

from workshops import services
from workshops.models import Card

from .conftest import orm

pytestmark = pytest.mark.browser


def add_card(user, journey_map, text):
    stage = journey_map.stages.get(title="Research").pk
    lane = journey_map.lanes.get(title="Pain points").pk
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stage, lane_id=lane, text=text
    )
    return Card.objects.get(pk=event.payload["card"]["id"])


def open_panel(page, text):
    page.locator(".card", has_text=text).locator(".evidence-mark").click()
    expect(page.locator("#comments-status")).not_to_have_text("Loading comments…")


def test_a_comment_with_a_mention_is_seen_live_and_in_the_mentions(
    board_page, journey_map, cast, server
):
    orm(add_card, cast["bob"], journey_map, "Size guide hard to find")
    bob, alice = board_page("bob", journey_map), board_page("alice", journey_map)
    badge = alice.locator(".card", has_text="Size guide hard to find").locator(".comment-badge")
    expect(badge).to_be_hidden()

    open_panel(bob, "Size guide hard to find")
    bob.get_by_label("Add a comment").fill("@alice 8% search right before buying?")
    bob.get_by_role("button", name="Comment", exact=True).click()
    expect(bob.locator("#comments-list .comment")).to_contain_text("8% search right before")

    # Alice's board shows the badge at once, and the thread when she opens it.
    expect(badge).to_have_text("❝ 1")
    badge.click()
    thread = alice.locator("#comments-list .comment")
    expect(thread).to_contain_text("@alice 8% search right before buying?")
    expect(thread.locator(".mention")).to_have_text("@alice")
    # Not her comment: she resolves it, but may not edit or delete it.
    expect(thread.get_by_role("button", name="Edit", exact=False)).to_have_count(0)
    thread.get_by_role(
        "button", name="Resolve the comment “@alice 8% search right before…”"
    ).click()
    expect(thread).to_contain_text("Resolved by Alice")
    expect(badge).to_be_hidden()
    expect(bob.locator("#comments-list .comment")).to_contain_text("Resolved by Alice")

    # A mention of nobody is refused where it was typed, the text kept.
    bob.get_by_label("Add a comment").fill("Ask @nobody")
    bob.get_by_role("button", name="Comment", exact=True).click()
    expect(bob.locator("#comment-form .form-error")).to_contain_text("@nobody is not a member")
    expect(bob.get_by_label("Add a comment")).to_have_value("Ask @nobody")

    alice.goto(f"{server.url}/mentions/")
    mention = alice.locator(".mention", has_text="8% search right before buying?")
    expect(mention).to_contain_text("Bob")
    mention.get_by_role("link", name="Online shopping").click()
    expect(alice.locator("#conn-status")).to_have_text("Live")
    expect(alice.locator("#comments-list .comment")).to_contain_text("8% search right before")
