"""A share link in Chromium: the facilitator makes it on the map's share page; opened by someone
logged out it shows the map read-only, with its walkthrough, and no private card; it stays up
to date, follows the facilitator's presentation when the link says so; revoked, the same link
shows nothing at all, and the page already open stops showing the map."""

import pytest
from django.conf import settings
from playwright.sync_api import Error, expect

from workshops import services
from workshops.services import facilitation, voting

from .conftest import orm, session_key

pytestmark = pytest.mark.browser

SECRET_TEXT = "PSST-a private idea"


def _board_with_a_secret(cast, journey_map):
    stage = journey_map.stages.first()
    lane = journey_map.lanes.get(kind="actions")
    card = {"map": journey_map, "stage_id": stage.pk, "lane_id": lane.pk}
    services.card_create(actor=cast["bob"], text="Compares sizes", **card)
    voting.private_start(actor=cast["alice"], map=journey_map)
    services.card_create(actor=cast["bob"], text=SECRET_TEXT, **card)


@pytest.fixture
def contexts(browser):
    """new(user or None) -> a browser context, logged in as that user or not at all."""
    made = []

    def new(server, user=None):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        made.append(context)
        if user is not None:
            cookie = {"name": settings.SESSION_COOKIE_NAME, "value": orm(session_key, user)}
            context.add_cookies([{**cookie, "url": server.url}])
        return context

    yield new
    for context in made:
        context.close()


def refusals_of(page) -> list[str]:
    """What Chromium refused under the Content Security Policy, and the page's errors."""
    found = []
    page.on("console", lambda m: found.append(m.text) if "Content Security" in m.text else None)
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    return found


# The page asks again every 10 seconds: wait for what it shows, a little longer than that.
LIVE = {"timeout": 30_000}


def make_link(page, server, journey_map, *, follow=False) -> str:
    page.goto(f"{server.url}/maps/{journey_map.pk}/share/")
    page.get_by_label("Who it is for").fill("Leadership offsite")
    if follow:
        page.get_by_label("Follow my presentation").check()
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_role("heading", name="Your new link")).to_be_visible()
    return page.locator("#share-url").input_value()


def test_a_share_link_shows_the_map_logged_out_and_nothing_once_revoked(
    server, cast, journey_map, contexts
):
    orm(_board_with_a_secret, cast, journey_map)
    facilitator = contexts(server, cast["alice"]).new_page()
    url = make_link(facilitator, server, journey_map)
    visitor = contexts(server)
    reader = visitor.new_page()
    refused = refusals_of(reader)

    opened = reader.goto(url)

    assert opened.status == 200
    expect(reader.locator(".card", has_text="Compares sizes")).to_be_visible()
    expect(reader.get_by_text(SECRET_TEXT)).to_have_count(0)
    expect(reader.locator("#board button[data-action]")).to_have_count(0)  # nothing to edit
    reader.get_by_role("button", name="Walk through the stages").click()
    expect(reader.get_by_role("dialog")).to_contain_text("Compares sizes")
    reader.keyboard.press("Escape")
    expect(reader.get_by_role("dialog")).to_have_count(0)
    assert visitor.cookies() == []
    assert refused == []

    facilitator.get_by_role("button", name="Revoke the link Leadership offsite").click()
    expect(facilitator.get_by_text("Revoked the link “Leadership offsite”")).to_be_visible()
    asked = visitor.request.get(url)

    assert (asked.status, asked.body()) == (404, b"")
    # An empty 404 is a failed navigation to Chromium: it shows its own error page, none of ours.
    with pytest.raises(Error, match="ERR_HTTP_RESPONSE_CODE_FAILURE"):
        reader.goto(url)
    expect(reader.locator(".card")).to_have_count(0)
    expect(reader.get_by_text("Compares sizes")).to_have_count(0)
    # The server's log (Daphne's access log and Django's) names the link by its hint alone.
    token = url.rstrip("/").rsplit("/", 1)[1]
    logged = server.log_path.read_text()
    assert f"/share/{token[:6]}…/" in logged
    assert token not in logged


def test_an_open_share_page_keeps_up_and_follows_the_presentation(
    server, cast, journey_map, contexts
):
    facilitator = contexts(server, cast["alice"]).new_page()
    url = make_link(facilitator, server, journey_map, follow=True)
    reader = contexts(server).new_page()
    refused = refusals_of(reader)
    reader.goto(url)
    expect(reader.get_by_text("Kept up to date")).to_be_visible()

    stages = orm(lambda: list(journey_map.stages.all()))
    lane = orm(lambda: journey_map.lanes.get(kind="pain_points"))
    orm(
        services.card_create,
        actor=cast["alice"],
        map=journey_map,
        stage_id=stages[2].pk,
        lane_id=lane.pk,
        text="Delivery slots run out",
    )
    expect(reader.locator(".card", has_text="Delivery slots run out")).to_be_visible(**LIVE)

    orm(facilitation.present_start, actor=cast["alice"], map=journey_map, stage_id=stages[2].pk)
    dialog = reader.get_by_role("dialog")
    expect(dialog).to_contain_text("presented live", **LIVE)
    expect(dialog.get_by_role("heading", name=stages[2].title)).to_be_visible()
    expect(dialog.get_by_role("button", name="Next stage ▶")).to_have_count(0)

    orm(facilitation.present_goto, actor=cast["alice"], map=journey_map, stage_id=stages[3].pk)
    expect(dialog.get_by_role("heading", name=stages[3].title)).to_be_visible(**LIVE)
    orm(facilitation.present_stop, actor=cast["alice"], map=journey_map)
    expect(reader.get_by_role("dialog")).to_have_count(0, **LIVE)
    assert refused == []

    facilitator.get_by_role("button", name="Revoke the link Leadership offsite").click()
    expect(reader.get_by_role("heading", name="This link no longer works")).to_be_visible(**LIVE)
    expect(reader.locator(".card")).to_have_count(0)
