"""Comparing a map with its saved version in Chromium: what the team sees after a quarter's work."""

import os

import pytest
from playwright.sync_api import expect

from documents import versions
from evidence import services as evidence_services
from workshops import services

from .conftest import orm

pytestmark = pytest.mark.browser


def _quarter_of_work(cast, journey_map):
    """Q3 is saved; then a card is reworded, one is added and the metric improves."""
    bob = cast["bob"]
    stages = list(journey_map.stages.all())
    lanes = {lane.kind: lane for lane in journey_map.lanes.all()}

    def add(stage, lane, text, **extra):
        event = services.card_create(
            actor=bob,
            map=journey_map,
            stage_id=stage.pk,
            lane_id=lanes[lane].pk,
            text=text,
            **extra,
        )
        return event.payload["card"]["id"]

    hidden = add(stages[3], "pain_points", "Buy Policy sits below the fold", severity=3)
    add(stages[1], "emotions", "Lost in the menus", emotion_score=-1)
    add(stages[2], "emotions", "Unsure which cover fits", emotion_score=-2)
    metric = evidence_services.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="metric",
        stage_id=stages[3].pk,
        name="Buy Policy clicks",
        value=3,
        unit="%",
    ).payload["evidence"]["id"]
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    services.card_update(
        actor=bob, map=journey_map, card_id=hidden, text="Buy Policy sits below the fold on mobile"
    )
    add(stages[3], "actions", "Clicks Buy Policy on the product page")
    add(stages[1], "emotions", "Oriented", emotion_score=1)
    evidence_services.evidence_update(actor=bob, map=journey_map, evidence_id=metric, value=4.5)
    return version


def test_comparison_with_a_saved_version_shows_what_changed(board_page, server, cast, journey_map):
    version = orm(_quarter_of_work, cast, journey_map)
    page = board_page("carol", journey_map)
    page.get_by_role("link", name="Compare").click()
    page.get_by_label("Compare with").select_option(
        label=f"Q3 review (revision {version.revision}, {version.created_at:%-d %b %Y})"
    )
    page.get_by_role("button", name="Compare").click()

    grid = page.locator(".compare-grid")
    added = grid.locator(".change.added")
    expect(added.filter(has_text="Clicks Buy Policy on the product page")).to_contain_text("Added")
    changed = grid.locator(".change.changed")
    expect(changed).to_contain_text("Changed")
    expect(changed.locator("ins")).to_have_text("Buy Policy sits below the fold on mobile")
    expect(changed.locator("del")).to_have_text("Buy Policy sits below the fold")
    metric = page.get_by_role("row", name="Buy Policy clicks")
    expect(metric).to_contain_text("3% → 4.5% (+50%)")
    feelings = page.get_by_role("table", name="Mean feeling per stage")
    expect(feelings.get_by_role("row", name="Research")).to_have_text("Research−1±0+1")
    expect(page.locator(".compare-curve .curve-right")).to_be_visible()  # the two curves
    expect(page.locator(".compare-curve .curve-left")).to_be_visible()
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.environ["SCREENSHOTS"] + "/compare.png", full_page=True)


def _restore_q3(cast, journey_map, card_id):
    version = versions.version_save(actor=cast["bob"], map=journey_map, name="Q3 review")
    services.card_update(actor=cast["bob"], map=journey_map, card_id=card_id, text="Wishlist")
    return version


def test_an_open_board_reloads_when_a_version_is_restored(board_page, server, cast, journey_map):
    stage = journey_map.stages.first()
    lane = journey_map.lanes.get(kind="actions")
    card_id = orm(
        services.card_create,
        actor=cast["bob"],
        map=journey_map,
        stage_id=stage.pk,
        lane_id=lane.pk,
        text="Adds items to the cart",
    ).payload["card"]["id"]
    version = orm(_restore_q3, cast, journey_map, card_id)
    watcher = board_page("carol", journey_map)
    expect(watcher.locator(f'.card[data-card="{card_id}"] .card-text')).to_have_text("Wishlist")

    restorer = board_page("bob", journey_map)
    restorer.get_by_role("link", name="Versions").click()
    restorer.get_by_role("link", name="Restore Q3 review").click()
    restorer.get_by_role("button", name="Restore this version").click()

    expect(watcher.locator(f'.card[data-card="{card_id}"] .card-text')).to_have_text(
        "Adds items to the cart"
    )
    if os.environ.get("SCREENSHOTS"):
        restorer.goto(f"{server.url}/maps/{journey_map.pk}/versions/")
        restorer.screenshot(path=os.environ["SCREENSHOTS"] + "/versions.png", full_page=True)
        restorer.goto(f"{server.url}/maps/{journey_map.pk}/versions/{version.pk}/")
        restorer.screenshot(path=os.environ["SCREENSHOTS"] + "/version.png", full_page=True)
        restorer.goto(f"{server.url}/workshops/{journey_map.workshop_id}/")
        restorer.screenshot(path=os.environ["SCREENSHOTS"] + "/workshop.png", full_page=True)
