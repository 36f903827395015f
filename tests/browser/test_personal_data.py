"""Personal data in Chromium: the import page says which columns it leaves out and shows the
first rows masked, and a facilitator turns masking off there or on the board; everyone finds
"Your data" in the header and downloads it."""

import json

import pytest
from django.conf import settings
from playwright.sync_api import expect

from evidence import masking
from workshops.models import JourneyMap

from .conftest import orm, session_key

pytestmark = pytest.mark.browser

EXPORT = (
    "Answer,Contact,Country\n"
    "Call me on +49 151 23456789,jane@example.com,Germany\n"
    "The size guide helped,bob@example.org,Austria\n"
)


@pytest.fixture
def page_as(browser, server, cast):
    """open(username, path) -> a page there, logged in, with script errors and Content
    Security Policy refusals collected in page.refusals."""
    contexts = []

    def open_page(username, path):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        cookie = {"name": settings.SESSION_COOKIE_NAME, "url": server.url}
        context.add_cookies([{**cookie, "value": orm(session_key, cast[username])}])
        page = context.new_page()
        page.refusals = []
        page.on(
            "console",
            lambda message: (
                page.refusals.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: page.refusals.append(f"page error: {error}"))
        page.goto(f"{server.url}{path}")
        return page

    yield open_page
    for context in contexts:
        context.close()


def masks(journey_map) -> bool:
    return orm(lambda: masking.is_on(JourneyMap.objects.get(pk=journey_map.pk)))


def pick(page, tmp_path):
    path = tmp_path / "feedback.csv"
    path.write_text(EXPORT)
    page.locator("#import-file").set_input_files(path)


def test_the_import_page_leaves_personal_columns_out_and_masks_the_first_rows(
    page_as, journey_map, tmp_path
):
    bob = page_as("bob", f"/maps/{journey_map.pk}/evidence/import/")

    pick(bob, tmp_path)

    expect(bob.locator(".left-out")).to_contain_text("Contact (e-mail addresses)")
    expect(bob.locator("#found-summary")).to_contain_text("1 column with personal data left out")
    expect(bob.locator(".sample-table")).to_contain_text("Call me on [phone]")
    expect(bob.locator(".sample-table")).not_to_contain_text("23456789")
    expect(bob.locator(".found-note.masking")).to_contain_text("A facilitator of the workshop")
    expect(bob.locator("#masking-switch")).to_have_count(0)  # an editor does not change it
    assert bob.refusals == []


def test_a_facilitator_turns_masking_off_on_the_import_page(page_as, journey_map, tmp_path):
    alice = page_as("alice", f"/maps/{journey_map.pk}/evidence/import/")
    pick(alice, tmp_path)
    expect(alice.locator(".sample-table")).to_contain_text("Call me on [phone]")

    alice.get_by_label("Mask personal data in the text of this map’s evidence").uncheck()

    expect(alice.locator(".sample-table")).to_contain_text("Call me on +49 151 23456789")
    expect(alice.locator(".found-note.masking")).to_have_attribute("data-masking", "off")
    assert not masks(journey_map)
    assert alice.refusals == []


def test_a_facilitator_turns_masking_off_on_the_board_and_the_history_says_who(
    page_as, journey_map
):
    alice = page_as("alice", f"/maps/{journey_map.pk}/")
    expect(alice.locator("#conn-status")).to_have_text("Live")
    switch = alice.get_by_label("Mask e-mails, phones and IPs in evidence text")
    expect(switch).to_be_checked()

    switch.uncheck()

    alice.locator("[data-history=toggle]").click()
    expect(alice.locator("#history-list")).to_contain_text(
        "Alice turned off the masking of personal data in evidence text"
    )
    assert not masks(journey_map)
    assert alice.refusals == []


def test_everyone_finds_their_data_from_the_header_and_downloads_it(page_as, journey_map):
    carol = page_as("carol", "/")

    carol.get_by_role("link", name="Your data").click()

    expect(carol.get_by_role("heading", name="Your data", level=1)).to_be_visible()
    expect(carol.locator("main")).to_contain_text("Workshops you take part in")
    with carol.expect_download() as download:
        carol.get_by_role("link", name="Download your data").click()
    data = json.loads(download.value.path().read_text())
    assert data["account"]["username"] == "carol"
    assert carol.refusals == []
