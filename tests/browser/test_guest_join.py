"""A guest joins by link: the facilitator makes the link on the workshop page, someone without
an account opens it in another browser, joins by name and works on the board, seen by all; when
the facilitator revokes the link, the guest's board says so and stops."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from workshops.models import Guest

from .conftest import orm, session_key

pytestmark = pytest.mark.browser


def logged_in_page(browser, server, user):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": orm(session_key, user), "url": server.url}]
    )
    return context, context.new_page()


def test_guest_joins_by_link_and_shows_up_on_the_board(
    browser, server, cast, journey_map, board_page
):
    workshop = cast["workshop"]
    alice_context, alice = logged_in_page(browser, server, cast["alice"])
    alice.goto(f"{server.url}/workshops/{workshop.pk}/")
    invites = alice.get_by_role("region", name="Invite people")
    invites.get_by_label("Role").select_option("editor")
    invites.get_by_label("Expires after").select_option("1d")
    invites.get_by_role("button", name="Create link").click()
    link = alice.locator(".invite-url").first.input_value()
    assert f"{server.url}/join/" in link

    guest_context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        guest = guest_context.new_page()
        guest.goto(link)
        expect(guest.get_by_role("heading", name="Join “Retail journeys”")).to_be_visible()
        expect(guest.get_by_role("link", name="Log in to join")).to_be_visible()
        guest.get_by_label("Your name").fill("Dana")
        guest.get_by_role("button", name="Join as a guest").click()

        expect(guest.get_by_role("heading", name="Retail journeys", level=1)).to_be_visible()
        expect(guest.locator(".site-header .who")).to_have_text("Dana (guest)")
        # Earlier tests leave maps of the same title in this workshop: open this test's one.
        guest.locator(f"a[href='/maps/{journey_map.pk}/']").first.click()
        expect(guest.locator("#conn-status")).to_have_text("Live")
        expect(guest.locator(".stage-head").first).to_be_visible()

        alice_board = board_page("alice", journey_map)
        expect(alice_board.locator("#presence li[aria-label^='Dana']")).to_be_visible()
        expect(guest.locator("#presence li[aria-label^='Alice']")).to_be_visible()

        # The facilitator revokes the link: the guest's open board says so and stops.
        alice.goto(f"{server.url}/workshops/{workshop.pk}/")
        alice.get_by_role("button", name="Revoke the editor link").first.click()
        expect(alice.get_by_role("status")).to_contain_text("Invite link revoked")
        expect(guest.locator("#conn-status")).to_have_text("No access")
        expect(guest.get_by_role("alert")).to_contain_text("access to this board has ended")
        expect(alice_board.locator("#presence li[aria-label^='Dana']")).to_have_count(0)
    finally:
        guest_context.close()
        alice_context.close()
    assert orm(lambda: Guest.objects.filter(display_name="Dana").count()) == 1
