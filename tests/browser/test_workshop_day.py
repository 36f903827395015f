"""A workshop day in Chromium: a guest opens a map's invite link and lands on its board, the
facilitator shows the link as a QR code; the history panel leaves the session's own events out
until asked; the metric form says every missing field at once, next to each field; a version
or a map is deleted only once asked, a map archived and restored, the workshop renamed and a
persona edited from the pages; a wrong address shows the site's page; compare tells the
evidence added."""

import pytest
from playwright.sync_api import expect

from evidence.models import Evidence
from workshops import services
from workshops.services import facilitation, invites

from .conftest import orm
from .test_board import add_card
from .test_guest_join import logged_in_page

pytestmark = pytest.mark.browser


def test_a_guest_opens_a_map_invite_and_lands_on_its_board(browser, server, cast, journey_map):
    invite = orm(
        invites.invite_create,
        actor=cast["alice"],
        workshop=cast["workshop"],
        role="editor",
        expires="1d",
        map_id=journey_map.pk,
    )
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        guest = context.new_page()
        guest.goto(f"{server.url}/join/{invite.token}/")
        expect(guest.get_by_text("you go straight to the map “Online shopping”")).to_be_visible()
        guest.get_by_label("Your name").fill("Eli")
        guest.get_by_role("button", name="Join as a guest").click()
        expect(guest).to_have_url(f"{server.url}/maps/{journey_map.pk}/")
        expect(guest.locator("#conn-status")).to_have_text("Live")
        expect(guest.get_by_role("status").first).to_contain_text("Welcome to “Retail journeys”")
    finally:
        context.close()


def test_the_facilitator_shows_an_invite_as_a_qr_code(browser, server, cast, journey_map):
    context, alice = logged_in_page(browser, server, cast["alice"])
    try:
        alice.goto(f"{server.url}/workshops/{cast['workshop'].pk}/")
        panel = alice.get_by_role("region", name="Invite people")
        panel.get_by_label("Opens the map").select_option(label="Online shopping")
        panel.get_by_role("button", name="Create link").click()
        alice.get_by_role("link", name="Show as QR code (editor link)").first.click()
        code = alice.get_by_role("img", name="QR code of the link")
        expect(code).to_be_visible()
        box = code.bounding_box()
        assert box["width"] >= 500 and box["width"] == box["height"]  # 900 px high: 70% of it
        expect(alice.locator(".qr-link")).to_contain_text("/join/")
        alice.screenshot(path="test-results/invite-qr.png", full_page=True)
    finally:
        context.close()


def test_history_leaves_session_events_out_until_asked(board_page, journey_map, cast):
    alice = cast["alice"]
    orm(add_card, alice, journey_map, "Research", "Pain points", "Slow search")
    orm(facilitation.timer_start, actor=alice, map=journey_map, duration=300)
    orm(facilitation.board_lock, actor=alice, map=journey_map)
    orm(facilitation.board_unlock, actor=alice, map=journey_map)
    page = board_page("bob", journey_map)
    page.get_by_role("button", name="History").click()
    items = page.locator("#history-list .history-item .history-text")
    expect(items.first).to_have_text("Alice added “Slow search” to Research / Pain points")
    expect(items).to_have_count(2)  # the card and the map, none of the session's events

    # Live, from the facilitator's board: her locking it stays out, her new card comes in.
    facilitator = board_page("alice", journey_map)
    facilitator.get_by_role("button", name="Lock board").click()
    expect(page.locator("#lock-banner")).to_be_visible()
    facilitator.get_by_role("button", name="Add card to Awareness / Touchpoints").click()
    facilitator.get_by_role("textbox", name="New card in Awareness / Touchpoints").fill(
        "Sees an ad"
    )
    facilitator.keyboard.press("Enter")
    expect(items.first).to_have_text("Alice added “Sees an ad” to Awareness / Touchpoints")
    expect(items).to_have_count(3)

    page.get_by_label("Show").select_option(label="Changes and session events")
    expect(items).to_have_count(7)
    expect(items.nth(1)).to_have_text("Alice locked the board")
    expect(page.locator("#history-list")).to_contain_text("Alice unlocked the board")
    expect(page.locator("#history-list")).to_contain_text("Alice started the timer")
    page.locator("#history-panel").screenshot(path="test-results/history-filter.png")


def test_the_metric_form_says_every_missing_field_at_once(board_page, journey_map):
    bob = board_page("bob", journey_map)
    bob.locator(".stage-head", has_text="Awareness").locator(".evidence-coverage").click()
    side = bob.get_by_role("complementary", name="Evidence for stage “Awareness”")
    side.get_by_role("button", name="Add a metric").click()
    side.get_by_label("Unit").fill("%")
    side.get_by_role("button", name="Add", exact=True).click()

    name = side.get_by_label("What is measured (required)")
    value = side.get_by_label("Value (required)", exact=True)
    expect(side.locator("#ev-metric-name-error")).to_have_text(
        "Say what is measured, for example “Lead form conversion”."
    )
    expect(side.locator("#ev-metric-value-error")).to_have_text("Give the value, as a number.")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(value).to_have_attribute("aria-invalid", "true")
    expect(side.locator("form[data-kind=metric] .form-error")).to_have_text(
        "Not saved. 2 fields need a change: What is measured, Value."
    )
    expect(name).to_be_focused()
    side.screenshot(path="test-results/metric-form-errors.png")
    assert orm(lambda: Evidence.objects.filter(map=journey_map).count()) == 0


def test_a_version_delete_asks_first(browser, server, cast, journey_map):
    from documents import versions

    orm(versions.version_save, actor=cast["alice"], map=journey_map, name="Before the workshop")
    context, alice = logged_in_page(browser, server, cast["alice"])
    try:
        alice.goto(f"{server.url}/maps/{journey_map.pk}/versions/")
        delete = alice.get_by_role("link", name="Delete the version Before the workshop")
        delete.click()
        expect(alice.get_by_role("heading", level=1)).to_have_text(
            "Delete the version “Before the workshop”?"
        )
        alice.screenshot(path="test-results/version-delete-confirm.png", full_page=True)
        alice.get_by_role("link", name="Cancel, keep it").click()
        expect(delete).to_be_visible()  # nothing happened

        delete.click()
        alice.get_by_role("button", name="Delete the version").click()
        expect(alice.get_by_role("status").first).to_contain_text(
            "Deleted the version “Before the workshop”"
        )
        expect(delete).to_have_count(0)
    finally:
        context.close()


def test_the_facilitator_archives_restores_and_deletes_a_map(browser, server, cast):
    workshop = cast["workshop"]
    orm(
        services.map_create,
        actor=cast["alice"],
        workshop=workshop,
        title="Winter sale",
        template="blank",
    )
    context, alice = logged_in_page(browser, server, cast["alice"])
    try:
        alice.goto(f"{server.url}/workshops/{workshop.pk}/")
        alice.get_by_text("Versions and more for Winter sale").click()
        alice.get_by_role("button", name="Archive Winter sale").click()
        archived = alice.get_by_role("region", name="Archived maps")
        expect(archived.get_by_role("link", name="Winter sale", exact=True)).to_be_visible()
        expect(alice.get_by_text("Versions and more for Winter sale")).to_have_count(0)
        alice.screenshot(path="test-results/archived-maps.png", full_page=True)

        archived.get_by_role("button", name="Restore Winter sale").click()
        # Other tests' archived maps may stay listed there: this one is back among the maps.
        expect(alice.get_by_role("button", name="Restore Winter sale")).to_have_count(0)
        alice.get_by_text("Versions and more for Winter sale").click()
        alice.get_by_role("link", name="Delete Winter sale").click()
        expect(alice.get_by_role("heading", level=1)).to_have_text("Delete the map “Winter sale”?")
        alice.get_by_role("button", name="Delete the map for good").click()
        expect(alice.get_by_role("status").first).to_contain_text("“Winter sale” is deleted")
        expect(alice.get_by_text("Versions and more for Winter sale")).to_have_count(0)
    finally:
        context.close()


def test_the_facilitator_renames_the_workshop_and_edits_a_persona(browser, server, cast):
    workshop = cast["workshop"]
    orm(services.persona_create, actor=cast["alice"], workshop=workshop, name="Noah")
    context, alice = logged_in_page(browser, server, cast["alice"])
    try:
        alice.goto(f"{server.url}/workshops/{workshop.pk}/")
        alice.get_by_text("Rename or describe the workshop").click()
        edit = alice.locator("#edit-workshop")
        edit.get_by_label("Name").fill("")
        edit.get_by_role("button", name="Save").click()
        expect(alice.locator("#edit-workshop")).to_have_attribute("open", "")  # refused, open
        expect(alice.locator("#edit-workshop")).to_contain_text("This field is required.")
        alice.locator("#edit-workshop").get_by_label("Name").fill("Retail journeys")
        alice.locator("#edit-workshop").get_by_label("Description").fill("Autumn checkout")
        alice.locator("#edit-workshop").get_by_role("button", name="Save").click()
        expect(alice.get_by_role("status").first).to_contain_text("Workshop saved")
        expect(alice.locator(".lede").first).to_have_text("Autumn checkout")

        persona = alice.locator(".persona", has=alice.get_by_role("heading", name="Noah"))
        persona.get_by_text("Edit").click()
        persona.get_by_label("Segment").fill("Students")
        persona.get_by_role("button", name="Save the persona").click()
        expect(alice.get_by_role("status").first).to_contain_text("Persona “Noah” saved")
        noah = alice.locator(".persona", has=alice.get_by_role("heading", name="Noah"))
        expect(noah.locator(".muted").first).to_have_text("Students")
        noah.get_by_text("Edit").click()
        noah.get_by_role("link", name="Delete… the persona Noah").click()
        alice.get_by_role("button", name="Delete the persona").click()
        expect(alice.get_by_role("heading", name="Noah")).to_have_count(0)
    finally:
        context.close()


def test_a_mistyped_address_shows_the_sites_page_and_no_page_misses_its_icon(browser, server, cast):
    # The server runs with DEBUG=1, as `make run` does: the room still sees the site's page.
    context, alice = logged_in_page(browser, server, cast["alice"])
    try:
        errors = []
        alice.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        response = alice.goto(f"{server.url}/workshops/999999/")
        assert response.status == 404
        expect(alice.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(alice.get_by_role("link", name="Go to your workshops")).to_be_visible()
        alice.screenshot(path="test-results/not-found.png")
        errors.remove(next(e for e in errors if "404" in e))  # the page's own status, no other
        alice.goto(f"{server.url}/")
        alice.wait_for_load_state("networkidle")
        assert errors == []
        icon = alice.request.get(f"{server.url}/favicon.ico")
        assert icon.ok and icon.headers["content-type"] in (
            "image/x-icon",
            "image/vnd.microsoft.icon",
        )
    finally:
        context.close()


def test_compare_tells_the_evidence_added_since_a_version(browser, server, cast, journey_map):
    from documents import versions
    from evidence import services as evidence

    alice = cast["alice"]
    research = orm(lambda: journey_map.stages.get(title="Research").pk)
    version = orm(versions.version_save, actor=alice, map=journey_map, name="Workshop day")
    orm(
        evidence.evidence_attach,
        actor=alice,
        map=journey_map,
        stage_id=research,
        kind="quote",
        text="I keep the cart as my wishlist.",
        who="Returning buyer",
    )
    context, page = logged_in_page(browser, server, alice)
    try:
        page.goto(f"{server.url}/maps/{journey_map.pk}/compare/?with=version-{version.pk}")
        section = page.get_by_role("region", name="Evidence per stage")
        expect(section.get_by_role("heading", name="Research")).to_be_visible()
        expect(section).to_contain_text("Quotes: 1 added, 0 removed, 0 changed")
        expect(section).to_contain_text("Added “I keep the cart as my wishlist.” (Returning buyer)")
        section.screenshot(path="test-results/compare-evidence.png")
    finally:
        context.close()
