"""Evidence on the live board in Chromium: the panel, the coverage on stage headers, what is
only assumed, and that everyone on the map sees it change without reloading."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evidence import services as evidence_services
from evidence.models import Evidence
from workshops import services

from .conftest import orm

pytestmark = pytest.mark.browser


def coverage(page, stage):
    return page.locator(".stage-head", has_text=stage).locator(".evidence-coverage")


def panel(page, subject):
    return page.get_by_role("complementary", name=f"Evidence for {subject}")


def saved_kinds(journey_map, stage_title):
    pieces = Evidence.objects.filter(map=journey_map, stage__title=stage_title)
    return sorted(pieces.values_list("kind", flat=True))


def attach(user, journey_map, stage_title, **values):
    stage = journey_map.stages.get(title=stage_title)
    return evidence_services.evidence_attach(
        actor=user, map=journey_map, stage_id=stage.pk, **values
    )


def add_card(user, journey_map, stage_title, text):
    stage = journey_map.stages.get(title=stage_title)
    lane = journey_map.lanes.get(kind="actions")
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
    )
    return event.payload["card"]["id"]


def test_editor_adds_a_metric_and_a_quote_and_the_other_page_sees_it_live(board_page, journey_map):
    bob = board_page("bob", journey_map)
    alice = board_page("alice", journey_map)
    expect(coverage(alice, "Awareness")).to_contain_text("Assumption")
    coverage(alice, "Awareness").click()
    watching = panel(alice, "stage “Awareness”")
    expect(watching.locator("#evidence-status")).to_have_text("Nothing here yet.")

    coverage(bob, "Awareness").click()
    side = panel(bob, "stage “Awareness”")
    side.get_by_role("button", name="Add a metric").click()
    side.get_by_label("What is measured").fill("Buy Policy clicks")
    side.get_by_label("Value (required)", exact=True).fill("4.5")
    side.get_by_label("Unit").fill("%")
    side.get_by_label("Baseline").fill("3")
    side.get_by_role("button", name="Add", exact=True).click()
    expect(side.locator(".metric-change")).to_have_text("3% → 4.5% (+50%)")
    expect(coverage(bob, "Awareness")).to_have_attribute("data-layers", "1")

    side.get_by_role("button", name="Add a quote").click()
    side.get_by_label("Quote (required)", exact=True).fill(
        "I just want a ballpark price before I talk to anyone."
    )
    side.get_by_label("Who said it").fill("Operations manager")
    side.get_by_role("button", name="Add", exact=True).click()

    for page in (bob, alice):
        expect(coverage(page, "Awareness")).to_have_attribute("data-layers", "2")
        expect(coverage(page, "Awareness")).not_to_contain_text("Assumption")
        expect(coverage(page, "Awareness")).to_have_attribute(
            "aria-label", re.compile("quantitative 1, qualitative 1, behavioural 0")
        )
    expect(watching.locator(".evidence-quote")).to_have_text(
        "I just want a ballpark price before I talk to anyone."
    )
    expect(watching.locator(".metric-change")).to_have_text("3% → 4.5% (+50%)")
    expect(coverage(alice, "Research")).to_contain_text("Assumption")
    assert orm(saved_kinds, journey_map, "Awareness") == ["metric", "quote"]

    bob.keyboard.press("Escape")
    expect(side).to_be_hidden()
    expect(coverage(bob, "Awareness")).to_be_focused()


def test_a_refused_piece_keeps_what_was_typed_and_says_why(board_page, journey_map):
    bob = board_page("bob", journey_map)
    coverage(bob, "Decision").click()
    side = panel(bob, "stage “Decision”")
    side.get_by_role("button", name="Add a session recording").click()
    side.get_by_label("Recording link").fill("javascript:alert(1)")
    side.get_by_role("button", name="Add", exact=True).click()

    expect(side.locator("#ev-recording-url-error")).to_contain_text("http")
    expect(side.get_by_label("Recording link")).to_have_value("javascript:alert(1)")
    assert orm(saved_kinds, journey_map, "Decision") == []

    side.get_by_label("Recording link").fill("https://www.youtube.com/watch?v=abc123")
    side.get_by_label("Start at").fill("1:23")
    side.get_by_role("button", name="Add", exact=True).click()
    link = side.get_by_role("link", name="Open the YouTube recording at 1:23")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("href", re.compile(r"t=83"))
    expect(side.locator("iframe")).to_have_count(0)


def test_viewer_reads_a_card_s_evidence_by_keyboard_and_sees_what_is_stale(
    board_page, journey_map, cast
):
    card_id = orm(add_card, cast["bob"], journey_map, "Purchase", "Pays with PayPal")
    long_ago = timezone.localdate() - datetime.timedelta(days=200)
    orm(
        evidence_services.evidence_attach,
        actor=cast["bob"],
        map=journey_map,
        card_id=card_id,
        kind="quote",
        text="The checkout asked for my address twice.",
        collected_on=long_ago,
    )
    carol = board_page("carol", journey_map)
    expect(coverage(carol, "Purchase")).to_contain_text("1 stale")
    expect(coverage(carol, "Onboarding")).to_contain_text("Assumption")

    card = carol.locator(f'.card[data-card="{card_id}"]')
    expect(card.locator(".evidence-mark")).to_have_text("◆ 1")
    card.focus()
    carol.keyboard.press("e")
    side = panel(carol, "card “Pays with PayPal”")
    expect(side.locator(".evidence-quote")).to_have_text("The checkout asked for my address twice.")
    expect(side.locator(".stale-flag")).to_have_text("Stale: over 90 days old")
    expect(side.get_by_role("button", name=re.compile("^(Add|Edit|Delete)"))).to_have_count(0)
    carol.keyboard.press("Escape")
    expect(side).to_be_hidden()
    expect(card).to_be_focused()


def test_facilitator_changes_the_stale_age_and_boards_follow(board_page, journey_map, cast):
    orm(
        attach,
        cast["bob"],
        journey_map,
        "Research",
        kind="quote",
        text="Too many tabs open.",
        collected_on=timezone.localdate() - datetime.timedelta(days=40),
    )
    alice = board_page("alice", journey_map)
    bob = board_page("bob", journey_map)
    expect(coverage(bob, "Research")).not_to_contain_text("stale")

    alice.get_by_label("Stale after (days)").fill("30")
    alice.get_by_role("button", name="Set", exact=True).click()

    expect(coverage(bob, "Research")).to_contain_text("1 stale")
    expect(bob.locator(".stale-setting")).to_have_text("Stale after 30 days.")


def test_colouring_the_board_by_evidence(board_page, journey_map, cast):
    orm(attach, cast["bob"], journey_map, "Awareness", kind="metric", name="Reach", value=3)
    bob = board_page("bob", journey_map)
    toggle = bob.get_by_role("button", name="Colour by evidence")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(bob.locator("#board-app")).to_have_class(re.compile("evidence-view"))
    stage_id = orm(lambda: journey_map.stages.get(title="Awareness").pk)
    awareness = bob.locator(f'.cell[data-stage="{stage_id}"]')
    expect(awareness.first).to_have_attribute("data-evidence-layers", "1")
    expect(bob.locator(".evidence-summary")).to_have_text(
        "Evidence: 1 of 7 stages, 1 of 21 stage layers (5%)."
    )


def test_an_edit_and_a_delete_in_the_panel_reach_the_other_page(board_page, journey_map, cast):
    orm(
        attach,
        cast["bob"],
        journey_map,
        "Purchase",
        kind="metric",
        name="Buy Policy clicks",
        value=4,
        baseline=3,
        unit="%",
    )
    orm(attach, cast["bob"], journey_map, "Purchase", kind="quote", text="Where is the button?")
    bob = board_page("bob", journey_map)
    alice = board_page("alice", journey_map)
    coverage(alice, "Purchase").click()
    watching = panel(alice, "stage “Purchase”")
    expect(watching.locator(".metric-change")).to_have_text("3% → 4% (+33.3%)")

    coverage(bob, "Purchase").click()
    side = panel(bob, "stage “Purchase”")
    side.get_by_role("button", name="Edit metric “Buy Policy clicks”").click()
    side.get_by_label("Value (required)", exact=True).fill("4.5")
    side.get_by_role("button", name="Save").click()
    expect(watching.locator(".metric-change")).to_have_text("3% → 4.5% (+50%)")

    bob.once("dialog", lambda dialog: dialog.accept())
    side.get_by_role("button", name="Delete quote “Where is the button?”").click()
    expect(watching.locator(".evidence-quote")).to_have_count(0)
    expect(coverage(alice, "Purchase")).to_have_attribute(
        "aria-label", re.compile("quantitative 1, qualitative 0, behavioural 0")
    )
    assert orm(saved_kinds, journey_map, "Purchase") == ["metric"]


def heatmap_png() -> bytes:
    import io

    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (64, 40), "#e4572e").save(data, "PNG")
    return data.getvalue()


def test_a_heatmap_uploaded_in_the_panel_shows_as_a_picture(board_page, journey_map):
    bob = board_page("bob", journey_map)
    coverage(bob, "Onboarding").click()
    side = panel(bob, "stage “Onboarding”")
    side.get_by_role("button", name="Add a heatmap or screenshot").click()
    side.get_by_label("Picture").set_input_files(
        {"name": "heatmap.png", "mimeType": "image/png", "buffer": heatmap_png()}
    )
    side.get_by_label("Caption").fill("Clicks on the welcome e-mail")
    side.get_by_role("button", name="Add", exact=True).click()

    picture = side.get_by_role("img", name="Clicks on the welcome e-mail")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.naturalWidth") == 64
    expect(coverage(bob, "Onboarding")).to_have_attribute("data-layers", "1")

    bob.once("dialog", lambda dialog: dialog.accept())  # and its files go with it
    side.get_by_role("button", name=re.compile("^Delete heatmap")).click()
    expect(coverage(bob, "Onboarding")).to_contain_text("Assumption")


IMPORT = """async ([mapId, stageId, csv]) => {
  const form = new FormData();
  form.append("file", new Blob([csv], {type: "text/csv"}), "metrics.csv");
  form.append("kind", "metric");
  form.append("stage", stageId);
  form.append("mapping",
              JSON.stringify({name: "name", value: "value", collected_on: "collected_on"}));
  form.append("confirm", "true");
  const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
  const response = await fetch(`/api/maps/${mapId}/evidence/import/`,
                               {method: "POST", body: form, headers: {"X-CSRFToken": token}});
  // The import runs in the server's worker: follow it until it is over.
  let run = await response.json();
  while (!["done", "failed"].includes(run.status)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    run = await (await fetch(run.url)).json();
  }
  return run.report ? run.report.imported : run.error;
}"""


def test_a_csv_import_through_the_api_updates_the_counts_live(board_page, journey_map):
    alice = board_page("alice", journey_map)
    bob = board_page("bob", journey_map)
    expect(coverage(alice, "Research")).to_contain_text("Assumption")
    long_ago = (timezone.localdate() - datetime.timedelta(days=120)).isoformat()
    csv = f"name,value,collected_on\nSize guide opens,12,{long_ago}\nReview reads,30,\n"
    stage_id = orm(lambda: journey_map.stages.get(title="Research").pk)

    assert bob.evaluate(IMPORT, [journey_map.pk, stage_id, csv]) == 2

    expect(coverage(alice, "Research")).to_have_attribute(
        "aria-label", re.compile("quantitative 2, qualitative 0, behavioural 0; 1 stale")
    )
