"""The live board in Chromium: what people see and do, against a real Daphne."""

import pytest
from playwright.sync_api import expect

from workshops import services
from workshops.models import Card

from .conftest import orm

pytestmark = pytest.mark.browser


def cell(page, stage, lane):
    return page.locator(f'.cell[data-name="{stage} / {lane}"]')


def texts(page, stage, lane):
    return cell(page, stage, lane).locator(".card .card-text")


def ids(journey_map):
    stages = {stage.title: stage.pk for stage in journey_map.stages.all()}
    lanes = {lane.title: lane.pk for lane in journey_map.lanes.all()}
    return stages, lanes


def add_card(user, journey_map, stage, lane, text):
    stages, lanes = ids(journey_map)
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stages[stage], lane_id=lanes[lane], text=text
    )
    return Card.objects.get(pk=event.payload["card"]["id"])


def saved(card_id):
    card = Card.objects.select_related("stage", "lane").get(pk=card_id)
    return card.text, card.stage.title, card.lane.title


def test_two_pages_see_each_others_add_edit_and_drag(board_page, journey_map):
    bob = board_page("bob", journey_map)
    alice = board_page("alice", journey_map)

    bob.get_by_role("button", name="Add card to Awareness / Customer actions").click()
    bob.get_by_role("textbox", name="New card in Awareness / Customer actions").fill(
        "Sees the spring ad"
    )
    bob.keyboard.press("Enter")
    expect(texts(alice, "Awareness", "Customer actions")).to_have_text("Sees the spring ad")

    card = cell(bob, "Awareness", "Customer actions").locator(
        ".card", has_text="Sees the spring ad"
    )
    card.focus()
    bob.keyboard.press("Enter")
    bob.get_by_role("textbox", name="Edit card text").fill("Sees the spring ad on Instagram")
    bob.keyboard.press("Enter")
    expect(texts(alice, "Awareness", "Customer actions")).to_have_text(
        "Sees the spring ad on Instagram"
    )

    card.drag_to(cell(bob, "Research", "Customer actions"))
    expect(texts(alice, "Research", "Customer actions")).to_have_text(
        "Sees the spring ad on Instagram"
    )
    expect(cell(alice, "Awareness", "Customer actions").locator(".card")).to_have_count(0)
    card_id = int(
        cell(alice, "Research", "Customer actions").locator(".card").get_attribute("data-card")
    )
    assert orm(saved, card_id) == (
        "Sees the spring ad on Instagram",
        "Research",
        "Customer actions",
    )


def test_keyboard_user_moves_card_between_cells(board_page, journey_map, cast):
    card = orm(
        add_card, cast["bob"], journey_map, "Awareness", "Customer actions", "Compares prices"
    )
    page = board_page("bob", journey_map)

    # Reach the card with Tab alone, as someone without a mouse would: past the header's tools
    # and the map's tools; the grid is one stop, its first card.
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.card") == str(card.pk):
            break
    else:
        pytest.fail("Tab never reached the card")

    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(page.locator("#announcer")).to_have_text(
        "Moved card to Research / Thoughts, position 1."
    )
    expect(texts(page, "Research", "Thoughts")).to_have_text("Compares prices")
    expect(page.locator("#revision")).to_have_text(str(journey_map.revision + 1))
    assert orm(saved, card.pk) == ("Compares prices", "Research", "Thoughts")

    # Alt+arrow moves at once; Escape after picking up puts the card back.
    page.keyboard.press("Alt+ArrowRight")
    expect(texts(page, "Decision", "Thoughts")).to_have_text("Compares prices")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Escape")
    expect(texts(page, "Decision", "Thoughts")).to_have_text("Compares prices")
    expect(page.locator("#revision")).to_have_text(str(journey_map.revision + 2))
    assert orm(saved, card.pk) == ("Compares prices", "Decision", "Thoughts")


def test_board_reconnects_sends_queued_edit_and_catches_up(board_page, journey_map, cast, server):
    card = orm(
        add_card, cast["bob"], journey_map, "Awareness", "Thoughts", "Is this cheaper elsewhere?"
    )
    page = board_page("bob", journey_map)

    server.stop()
    status = page.locator("#conn-status")
    expect(status).to_have_text("Reconnecting…")

    page.locator(f'.card[data-card="{card.pk}"]').focus()
    page.keyboard.press("Enter")
    page.get_by_role("textbox", name="Edit card text").fill("Is this cheaper on the marketplace?")
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Offline — 1 change not saved")

    # Someone else changes the map while this page is away.
    orm(
        add_card,
        cast["alice"],
        journey_map,
        "Decision",
        "Pain points",
        "Shipping cost appears late",
    )

    server.start()
    expect(status).to_have_text("Live", timeout=20_000)
    expect(texts(page, "Decision", "Pain points")).to_have_text("Shipping cost appears late")
    # The revision moves only with events from the server: this one is the queued edit's.
    expect(page.locator("#revision")).to_have_text(str(journey_map.revision + 1))
    expect(page.locator(f'.card[data-card="{card.pk}"] .card-text')).to_have_text(
        "Is this cheaper on the marketplace?"
    )
    assert orm(saved, card.pk)[0] == "Is this cheaper on the marketplace?"


def test_viewer_sees_the_board_without_editing_controls(board_page, journey_map, cast):
    orm(add_card, cast["bob"], journey_map, "Awareness", "Emotions", "Curious")
    page = board_page("carol", journey_map)
    expect(texts(page, "Awareness", "Emotions")).to_have_text("Curious")
    # The history panel's filters (by person, by kind) are for reading, as viewers do.
    editing = "button[data-action], select:not(#history-person, #history-kinds), #add-stage-form"
    expect(page.locator(editing)).to_have_count(0)
    expect(page.locator('.card[draggable="true"]')).to_have_count(0)


def test_conflicting_edit_shows_both_texts_and_keeps_the_chosen_one(board_page, journey_map, cast):
    card = orm(add_card, cast["bob"], journey_map, "Decision", "Thoughts", "Is it worth it?")
    alice = board_page("alice", journey_map)
    bob = board_page("bob", journey_map)
    for page in (alice, bob):
        page.locator(f'.card[data-card="{card.pk}"]').focus()
        page.keyboard.press("Enter")
    expect(alice.locator(f'.card[data-card="{card.pk}"] .card-editing')).to_have_text(
        "Bob is editing…"
    )

    bob.get_by_role("textbox", name="Edit card text").fill("Is it worth the price?")
    bob.keyboard.press("Enter")
    alice.get_by_role("textbox", name="Edit card text").fill("Is it worth waiting for the sale?")
    alice.keyboard.press("Enter")

    dialog = alice.get_by_role("dialog", name="Someone else changed this while you were editing")
    expect(dialog.locator("#conflict-theirs")).to_have_text("Is it worth the price?")
    expect(dialog.locator("#conflict-mine")).to_have_text("Is it worth waiting for the sale?")
    dialog.get_by_role("button", name="Keep mine").click()
    expect(bob.locator(f'.card[data-card="{card.pk}"] .card-text')).to_have_text(
        "Is it worth waiting for the sale?"
    )
    assert orm(saved, card.pk)[0] == "Is it worth waiting for the sale?"


def test_board_that_misses_an_event_catches_up_with_sync(board_page, journey_map):
    lost = []

    def lose_first_card_event(route):
        server = route.connect_to_server()

        def to_page(message):
            if '"card.created"' in message and not lost:
                lost.append(message)  # as if the network had dropped it
                return
            route.send(message)

        server.on_message(to_page)

    bob = board_page("bob", journey_map, route_socket=lose_first_card_event)
    alice = board_page("alice", journey_map)
    for text in ("Reads reviews", "Asks a friend"):
        alice.get_by_role("button", name="Add card to Research / Customer actions").click()
        alice.keyboard.type(text)
        alice.keyboard.press("Enter")
        expect(texts(alice, "Research", "Customer actions").last).to_have_text(text)

    expect(texts(bob, "Research", "Customer actions")).to_have_text(
        ["Reads reviews", "Asks a friend"]
    )
    assert len(lost) == 1


def test_card_being_edited_keeps_its_editor_when_others_change_its_cell(
    board_page, journey_map, cast
):
    card = orm(add_card, cast["bob"], journey_map, "Purchase", "Customer actions", "Pays")
    bob = board_page("bob", journey_map)
    alice = board_page("alice", journey_map)
    bob.locator(f'.card[data-card="{card.pk}"]').focus()
    bob.keyboard.press("Enter")
    bob.keyboard.type(" with PayPal")

    alice.get_by_role("button", name="Add card to Purchase / Customer actions").click()
    alice.keyboard.type("Checks delivery date")
    alice.keyboard.press("Enter")
    expect(texts(bob, "Purchase", "Customer actions").last).to_have_text("Checks delivery date")

    editor = bob.get_by_role("textbox", name="Edit card text")
    expect(editor).to_be_focused()
    bob.keyboard.press("Enter")
    expect(texts(alice, "Purchase", "Customer actions").first).to_have_text("Pays with PayPal")
