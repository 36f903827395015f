"""The import page in Chromium: Bob brings a Typeform export into a stage without reading any
docs (what the file is, the proposed questions, a check, the import and its progress), while
Alice watches the stage's evidence arrive on her board; a bad file is refused beside the drop
zone; a plain table's failing rows are listed by number."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from evidence import importing
from evidence.models import Evidence

from .conftest import orm, session_key

pytestmark = pytest.mark.browser

SAMPLES = Path(__file__).resolve().parents[1] / "evidence" / "samples"
TYPEFORM = SAMPLES / "typeform_responses.csv"
NPS_QUESTION = "How likely are you to recommend us to a friend?"
REASON = "What is the main reason for your score?"


@pytest.fixture
def import_page(browser, server, cast):
    """open(username, map) -> a page on the map's import page, logged in, with the Content
    Security Policy refusals and script errors it reports collected in page.refusals."""
    contexts = []

    def open_page(username, journey_map):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": orm(session_key, cast[username]),
                    "url": server.url,
                }
            ]
        )
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
        page.goto(f"{server.url}/maps/{journey_map.pk}/evidence/import/")
        expect(page.get_by_role("heading", name="Import evidence")).to_be_visible()
        return page

    yield open_page
    for context in contexts:
        context.close()


def coverage(page, stage):
    return page.locator(".stage-head", has_text=stage).locator(".evidence-coverage")


def pieces_expected(data: bytes) -> int:
    """What the proposal imports from the file, by the pipeline itself."""
    mapping = importing.preview(data)["mapping"]
    outcomes = importing.check(data, mapping, stages=[(1, "Decision")], stage_id=1)
    return sum(isinstance(outcome, importing.Piece) for outcome in outcomes)


def held_until(page, routes: list):
    """Wait (by asking the page, not the clock) until a held request has come."""
    for _ in range(200):
        if routes:
            return routes
        page.wait_for_timeout(50)
    raise AssertionError("The request never came.")


def test_editor_imports_a_typeform_export_and_the_board_sees_it_land(
    board_page, import_page, journey_map
):
    data = TYPEFORM.read_bytes()
    expected = pieces_expected(data)
    assert expected > 0
    alice = board_page("alice", journey_map)
    expect(coverage(alice, "Decision")).to_have_attribute("data-layers", "0")
    bob = import_page("bob", journey_map)

    bob.locator("#import-file").set_input_files(TYPEFORM)

    expect(bob.locator("[data-fact=tool]")).to_have_text("Typeform")
    expect(bob.locator("[data-fact=evidence]")).to_have_text("Survey answers")
    expect(bob.locator("#found-summary")).to_contain_text("6 respondents, 3 questions")
    expect(bob.locator(".left-out")).to_contain_text("email")
    expect(bob.locator(".sample-table tbody tr")).to_have_count(6)
    expect(bob.get_by_label(f"Import “{NPS_QUESTION}”")).to_be_checked()
    expect(bob.get_by_label(f"Scale of “{NPS_QUESTION}”")).to_have_value("nps")
    expect(bob.get_by_label(f"Reason column for “{NPS_QUESTION}”")).to_have_value(REASON)
    expect(bob.get_by_label(f"Import “{REASON}”")).not_to_be_checked()
    # Untouched, the proposal goes back as it came.
    shown = json.loads(bob.locator("#mapping-json").text_content())
    assert shown == importing.preview(data)["mapping"]

    bob.get_by_label("Stage for every row", exact=True).select_option(label="Decision")
    bob.get_by_role("button", name="Check").click()

    expect(bob.locator("[data-report=valid]")).to_have_text(
        f"{expected} survey answers will go in, from 6 rows in the file."
    )
    expect(bob.locator("[data-report=failed]")).to_have_text("No row fails.")
    expect(bob.locator("#check-title")).to_be_focused()
    assert orm(lambda: Evidence.objects.filter(map=journey_map).count()) == 0

    held = []

    def hold(route):  # the import's start waits for the test
        held.append(route)

    bob.route("**/evidence/import/", hold)
    bob.get_by_role("button", name="Import", exact=True).click()
    expect(bob.locator("#import-progress-bar")).to_be_visible()
    expect(bob.locator("#import-progress-text")).to_have_text(
        "Waiting for the background worker to start…"
    )
    expect(bob.get_by_role("button", name="Check")).to_be_disabled()
    held_until(bob, held)[0].continue_()
    bob.unroute("**/evidence/import/", hold)

    expect(bob.locator("#result-title")).to_have_text(
        f"Imported {expected} survey answers", timeout=30_000
    )
    expect(bob.locator("#result-title")).to_be_focused()
    expect(bob.locator("#import-progress")).to_be_hidden()
    back = bob.locator("#result-body").get_by_role("link", name="Back to the board")
    expect(back).to_have_attribute("href", f"/maps/{journey_map.pk}/")
    stored = orm(lambda: Evidence.objects.filter(map=journey_map, stage__title="Decision").count())
    assert stored == expected

    expect(coverage(alice, "Decision")).to_have_attribute("data-layers", "1")
    expect(coverage(alice, "Decision")).to_have_attribute(
        "aria-label", re.compile(f"qualitative {expected},")
    )
    head = alice.locator(".stage-head", has_text="Decision")
    if head.locator(".stage-scores").count():  # the stage headers' score chips
        # 9, 3, 10, 7, 8: two promoters, one detractor of five
        expect(head.locator(".stage-scores")).to_contain_text("NPS +20")
    assert bob.refusals == []


def drop(page, name: str, text: str):
    """Drop a file on the drop zone, as a file dragged from the desktop lands."""
    transfer = page.evaluate_handle(
        """([name, text]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], name, { type: "text/csv" }));
            return transfer;
        }""",
        [name, text],
    )
    page.locator("#drop-zone").dispatch_event("drop", {"dataTransfer": transfer})


def test_a_file_that_is_not_a_table_is_refused_beside_the_drop_zone(import_page, journey_map):
    bob = import_page("bob", journey_map)
    drop(bob, TYPEFORM.name, TYPEFORM.read_text())
    expect(bob.locator("[data-fact=tool]")).to_have_text("Typeform")

    bob.locator("#import-file").focus()  # the file input opens from the keyboard too
    with bob.expect_file_chooser() as chooser:
        bob.keyboard.press("Space")
    chooser.value.set_files(
        files=[{"name": "heatmap.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n\0"}]
    )

    error = bob.locator("#import-file-error")
    expect(error).to_contain_text("“heatmap.png” cannot be imported")
    expect(error).to_contain_text("not a text file")
    expect(bob.locator("#import-file-status")).to_have_text(
        "Still showing “typeform_responses.csv”."
    )
    expect(bob.locator("[data-fact=tool]")).to_have_text("Typeform")  # nothing else changed
    assert bob.refusals == []


def test_a_plain_tables_failing_rows_are_listed_and_the_rest_imported(import_page, journey_map):
    bob = import_page("bob", journey_map)
    table = (
        "Stage,Metric,Value,Unit\n"
        "Research,Site search use,8,%\n"
        "Decision,Buy Policy clicks,lots,%\n"
        "Nowhere,Lead form conversion,1.2,%\n"
        "Purchase,Return visits before buying,3,visits\n"
    )
    bob.locator("#import-file").set_input_files(
        files=[{"name": "metrics.csv", "mimeType": "text/csv", "buffer": table.encode()}]
    )
    expect(bob.locator("[data-fact=tool]")).to_have_text("A table of your own")
    expect(bob.get_by_label("The stage named in a column of each row")).to_be_checked()
    expect(bob.get_by_label("Column naming each row’s stage")).to_have_value("Stage")
    expect(bob.get_by_label("Value becomes")).to_have_value("value")

    bob.get_by_label("Unit becomes").select_option(label="Leave out")
    shown = json.loads(bob.locator("#mapping-json").text_content())
    assert shown["columns"] == {"Metric": "name", "Value": "value"}
    bob.get_by_role("button", name="Check").click()

    expect(bob.locator("[data-report=valid]")).to_have_text(
        "2 metrics will go in, from 4 rows in the file."
    )
    failed = bob.get_by_role("list", name="Rows that fail")
    expect(failed.locator(":scope > li")).to_have_count(2)
    expect(failed.locator(":scope > li").nth(0)).to_contain_text("Row 3")
    expect(failed.locator(":scope > li").nth(0)).to_contain_text("Value:")
    expect(failed.locator(":scope > li").nth(1)).to_contain_text("No stage named 'Nowhere'")

    bob.get_by_role("button", name="Import", exact=True).click()

    expect(bob.locator("#result-title")).to_have_text("Imported 2 metrics", timeout=30_000)
    expect(bob.locator("#result-body")).to_contain_text("2 rows fail")
    units = orm(
        lambda: sorted(Evidence.objects.filter(map=journey_map).values_list("unit", flat=True))
    )
    assert units == ["", ""]
    assert bob.refusals == []


def test_an_import_the_worker_has_not_taken_says_so_and_is_still_followed(import_page, journey_map):
    bob = import_page("bob", journey_map)
    bob.locator("#import-file").set_input_files(TYPEFORM)
    bob.get_by_label("Stage for every row", exact=True).select_option(label="Research")
    bob.get_by_role("button", name="Check").click()
    expect(bob.get_by_role("button", name="Import", exact=True)).to_be_enabled()

    def still_queued(route):  # as if no worker ran: the import stays queued
        answer = route.fetch()
        body = {**answer.json(), "status": "queued", "rows_checked": 0, "report": None}
        route.fulfill(response=answer, json=body)

    bob.route("**/evidence/imports/*/", still_queued)
    bob.get_by_role("button", name="Import", exact=True).click()

    warning = bob.locator("#import-progress-warning")
    expect(warning).to_contain_text("background worker does not seem to run", timeout=30_000)
    expect(warning).to_contain_text("manage.py db_worker")
    bob.unroute("**/evidence/imports/*/", still_queued)  # the worker "starts"

    expect(bob.locator("#result-title")).to_have_text(re.compile("^Imported "), timeout=30_000)
    expect(warning).to_be_hidden()
