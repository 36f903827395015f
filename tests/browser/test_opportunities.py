"""Opportunities as work in two browsers: Bob gives an opportunity an owner, a status and a Jira
ticket and links it to a pain point two stages earlier; Alice's board shows the status, the
ticket's chip and the link at once, and focusing the opportunity marks the pain point."""

import re

import pytest
from playwright.sync_api import expect

from workshops import services
from workshops.models import Card, CardLink, Opportunity

from .conftest import orm

pytestmark = pytest.mark.browser


def add_card(user, journey_map, stage, lane, text):
    event = services.card_create(
        actor=user,
        map=journey_map,
        stage_id=journey_map.stages.get(title=stage).pk,
        lane_id=journey_map.lanes.get(title=lane).pk,
        text=text,
    )
    return Card.objects.get(pk=event.payload["card"]["id"])


def work_of(card_id):
    work = Opportunity.objects.select_related("owner").get(card_id=card_id)
    return work.owner.username, work.status, work.tickets


def test_an_opportunity_gets_an_owner_a_status_a_ticket_and_a_link(
    board_page, journey_map, cast, server
):
    bob_user = cast["bob"]
    orm(add_card, bob_user, journey_map, "Research", "Pain points", "No size guide")
    idea = orm(add_card, bob_user, journey_map, "Purchase", "Opportunities", "Add a size guide")
    bob, alice = board_page("bob", journey_map), board_page("alice", journey_map)

    bob.locator(".card", has_text="Add a size guide").locator(".evidence-mark").click()
    work = bob.locator("#work-block")
    expect(work.get_by_role("heading", name="Work")).to_be_visible()
    expect(
        work.get_by_label("Owner", exact=True).locator("option", has_text="Alice")
    ).to_be_attached()
    work.get_by_label("Owner", exact=True).select_option(label="Alice")
    expect(alice.locator(".card", has_text="Add a size guide")).to_contain_text("Alice")
    work.get_by_label("Status", exact=True).select_option(label="In progress")
    work.get_by_label("Ticket link", exact=True).fill("https://acme.atlassian.net/browse/SHOP-142")
    work.get_by_role("button", name="Add ticket").click()

    opportunity = alice.locator(".card", has_text="Add a size guide")
    expect(opportunity.locator(".work-status")).to_have_text("In progress")
    expect(opportunity.locator(".ticket-chip")).to_have_text("Jira SHOP-142")
    expect(opportunity.locator(".ticket-chip")).to_have_attribute(
        "href", "https://acme.atlassian.net/browse/SHOP-142"
    )

    # A ticket that is not an http(s) link is refused where it was typed.
    work.get_by_label("Ticket link", exact=True).fill("javascript:alert(1)")
    work.get_by_role("button", name="Add ticket").click()
    expect(work.locator("#work-error")).to_contain_text("not an http(s) link")

    work.get_by_label("Link a pain point", exact=True).select_option(
        label="“No size guide” (Research)"
    )
    work.get_by_role("button", name="Link", exact=True).click()
    expect(work.get_by_role("link", name="“No size guide” (Research)")).to_be_visible()

    # On Alice's board: the link's count, and focusing the opportunity marks the pain point.
    expect(opportunity.locator(".link-count")).to_have_text("⇄ answers 1")
    pain = alice.locator(".card", has_text="No size guide")
    expect(pain.locator(".link-count")).to_have_text("⇄ answered by 1")
    opportunity.focus()
    expect(pain).to_have_class(re.compile(r"\blink-target\b"))

    assert orm(work_of, idea.pk) == (
        "alice",
        "in_progress",
        ["https://acme.atlassian.net/browse/SHOP-142"],
    )
    assert orm(CardLink.objects.filter(opportunity_id=idea.pk).count) == 1
