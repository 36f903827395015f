"""Undo and redo with two people editing the same map: each undoes only their own changes, and
an undo that would overwrite someone else's later work is refused, changing nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from evidence import services as evidence_services
from evidence.models import Evidence
from workshops import services
from workshops.models import Card, MapEvent, Stage, Vote, VoteRound, VoteStatus
from workshops.services import UndoRefused, change_redo, change_undo


def add(user, journey_map, stage, lane, text):
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
    )
    return Card.objects.get(pk=event.payload["card"]["id"])


def text_of(card):
    card.refresh_from_db()
    return card.text


@pytest.fixture
def alices_card(alice, journey_map, stages, lanes):
    return add(alice, journey_map, stages[0], lanes["actions"], "Compares prices")


def test_undo_restores_your_text_and_leaves_the_others_card(
    alice, bob, journey_map, alices_card, card
):
    services.card_update(
        actor=alice, map=journey_map, card_id=alices_card.pk, text="Compares prices on two sites"
    )
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Fills the cart")

    event = change_undo(actor=alice, map=journey_map)

    assert text_of(alices_card) == "Compares prices"
    assert text_of(card) == "Fills the cart"
    assert event.type == "card.updated"
    assert event.payload["undo"]["kind"] == "undo"
    assert event.undo_of.actor == alice


def test_undo_never_touches_someone_elses_card(alice, bob, journey_map, card):
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Fills the cart")

    with pytest.raises(UndoRefused) as refused:
        change_undo(actor=alice, map=journey_map)

    assert refused.value.code == "nothing_to_undo"
    assert text_of(card) == "Fills the cart"


def test_undo_is_refused_when_someone_else_changed_the_same_text_since(
    alice, bob, journey_map, alices_card
):
    services.card_update(actor=alice, map=journey_map, card_id=alices_card.pk, text="Mine")
    services.card_update(actor=bob, map=journey_map, card_id=alices_card.pk, text="Bob's")
    revision = journey_map.revision

    with pytest.raises(UndoRefused) as refused:
        change_undo(actor=alice, map=journey_map)

    assert refused.value.code == "undo_conflict"
    assert "Bob" in str(refused.value)
    assert text_of(alices_card) == "Bob's"
    journey_map.refresh_from_db()
    assert journey_map.revision == revision


def test_undo_of_a_text_edit_applies_after_someone_else_moved_the_card(
    alice, bob, journey_map, alices_card, stages, lanes
):
    services.card_update(actor=alice, map=journey_map, card_id=alices_card.pk, text="Mine")
    services.card_move(
        actor=bob,
        map=journey_map,
        card_id=alices_card.pk,
        stage_id=stages[2].pk,
        lane_id=lanes["actions"].pk,
        position=0,
    )

    change_undo(actor=alice, map=journey_map)

    alices_card.refresh_from_db()
    assert (alices_card.text, alices_card.stage_id) == ("Compares prices", stages[2].pk)


def test_undo_of_a_move_is_refused_when_someone_else_moved_the_card_since(
    alice, bob, journey_map, alices_card, stages, lanes
):
    services.card_move(
        actor=alice,
        map=journey_map,
        card_id=alices_card.pk,
        stage_id=stages[1].pk,
        lane_id=lanes["actions"].pk,
        position=0,
    )
    services.card_move(
        actor=bob,
        map=journey_map,
        card_id=alices_card.pk,
        stage_id=stages[3].pk,
        lane_id=lanes["actions"].pk,
        position=0,
    )

    with pytest.raises(UndoRefused, match="Bob moved the card “Compares prices”"):
        change_undo(actor=alice, map=journey_map)
    alices_card.refresh_from_db()
    assert alices_card.stage_id == stages[3].pk


def test_undo_of_a_move_puts_the_card_back_in_its_place(
    alice, journey_map, alices_card, stages, lanes
):
    second = add(alice, journey_map, stages[0], lanes["actions"], "Reads reviews")
    services.card_move(
        actor=alice,
        map=journey_map,
        card_id=alices_card.pk,
        stage_id=stages[1].pk,
        lane_id=lanes["actions"].pk,
        position=0,
    )

    change_undo(actor=alice, map=journey_map)

    cell = Card.objects.filter(stage=stages[0], lane=lanes["actions"]).order_by("position")
    assert [c.pk for c in cell] == [alices_card.pk, second.pk]


def test_undo_of_a_delete_restores_the_card_and_its_evidence_with_the_same_ids(
    alice, journey_map, alices_card, stages, lanes
):
    add(alice, journey_map, stages[0], lanes["actions"], "Reads reviews")
    services.card_move(
        actor=alice,
        map=journey_map,
        card_id=alices_card.pk,
        stage_id=stages[0].pk,
        lane_id=lanes["actions"].pk,
        position=1,
    )
    piece = evidence_services.evidence_attach(
        actor=alice,
        map=journey_map,
        kind="quote",
        card_id=alices_card.pk,
        text="I always check two shops first",
    ).payload["evidence"]["id"]
    services.card_delete(actor=alice, map=journey_map, card_id=alices_card.pk)
    assert not Evidence.objects.filter(pk=piece).exists()

    event = change_undo(actor=alice, map=journey_map)

    restored = Card.objects.get(pk=alices_card.pk)
    assert (restored.text, restored.author, restored.position) == ("Compares prices", alice, 1)
    assert Evidence.objects.get(pk=piece).card_id == alices_card.pk
    assert event.type == "card.created"
    assert [e["id"] for e in event.payload["evidence"]] == [piece]


def test_undo_of_a_card_delete_brings_back_the_dots_on_it(alice, bob, journey_map, card):
    round_ = VoteRound.objects.create(map=journey_map, dots_per_person=3, opened_by=alice)
    Vote.objects.create(round=round_, card=card, voter=bob)
    services.card_delete(actor=alice, map=journey_map, card_id=card.pk)

    change_undo(actor=alice, map=journey_map)

    assert Vote.objects.filter(card=card.pk, voter=bob).count() == 1


def test_undo_of_a_stage_delete_restores_its_cards(alice, bob, journey_map, stages, lanes, card):
    services.stage_delete(actor=alice, map=journey_map, stage_id=stages[0].pk)
    assert not Card.objects.filter(pk=card.pk).exists()

    event = change_undo(actor=alice, map=journey_map)

    assert Stage.objects.get(pk=stages[0].pk).position == 0
    restored = Card.objects.get(pk=card.pk)
    assert (restored.text, restored.author) == ("Adds items to the cart", bob)
    assert event.type == "stage.created"
    assert [c["id"] for c in event.payload["cards"]] == [card.pk]


def test_undo_of_a_lane_delete_restores_it_in_its_place(alice, journey_map, lanes, card):
    services.lane_delete(actor=alice, map=journey_map, lane_id=lanes["actions"].pk)

    change_undo(actor=alice, map=journey_map)

    assert [lane.kind for lane in journey_map.lanes.all()] == list(lanes)
    assert Card.objects.filter(pk=card.pk, lane=lanes["actions"]).exists()


def test_undo_of_a_stage_create_is_refused_once_someone_added_a_card_to_it(
    alice, bob, journey_map, lanes
):
    stage_id = services.stage_create(actor=alice, map=journey_map, title="Delivery").payload[
        "stage"
    ]["id"]
    services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stage_id,
        lane_id=lanes["actions"].pk,
        text="Tracks the parcel",
    )

    with pytest.raises(UndoRefused, match="Bob added the card “Tracks the parcel”"):
        change_undo(actor=alice, map=journey_map)
    assert Stage.objects.filter(pk=stage_id).exists()


def test_undo_of_a_rename_and_a_map_title(alice, journey_map, stages):
    services.stage_update(actor=alice, map=journey_map, stage_id=stages[0].pk, title="Noticing")
    services.map_update(actor=alice, map=journey_map, title="Shopping online")

    change_undo(actor=alice, map=journey_map)
    change_undo(actor=alice, map=journey_map)

    journey_map.refresh_from_db()
    assert (journey_map.title, journey_map.stages.first().title) == ("Online shopping", "Awareness")


def test_undo_of_a_stage_move_and_a_lane_kind(alice, journey_map, stages, lanes):
    services.stage_move(actor=alice, map=journey_map, stage_id=stages[0].pk, position=3)
    services.lane_update(actor=alice, map=journey_map, lane_id=lanes["thoughts"].pk, kind="text")

    change_undo(actor=alice, map=journey_map)
    change_undo(actor=alice, map=journey_map)

    assert list(journey_map.stages.all()) == stages
    lanes["thoughts"].refresh_from_db()
    assert lanes["thoughts"].kind == "thoughts"


def test_redo_after_undo_and_undo_again(alice, journey_map, alices_card):
    services.card_update(actor=alice, map=journey_map, card_id=alices_card.pk, text="Second")
    services.card_update(actor=alice, map=journey_map, card_id=alices_card.pk, text="Third")

    change_undo(actor=alice, map=journey_map)
    change_undo(actor=alice, map=journey_map)
    assert text_of(alices_card) == "Compares prices"
    redo = change_redo(actor=alice, map=journey_map)
    assert text_of(alices_card) == "Second"
    assert redo.payload["undo"] == {
        "kind": "redo",
        "of": redo.undo_of.revision,
        "event": "card.updated",
    }
    change_redo(actor=alice, map=journey_map)
    assert text_of(alices_card) == "Third"
    change_undo(actor=alice, map=journey_map)
    assert text_of(alices_card) == "Second"


def test_a_new_change_clears_what_could_be_redone(alice, journey_map, alices_card):
    services.card_update(actor=alice, map=journey_map, card_id=alices_card.pk, text="Second")
    change_undo(actor=alice, map=journey_map)
    services.card_update(actor=alice, map=journey_map, card_id=alices_card.pk, channel="Web")

    with pytest.raises(UndoRefused) as refused:
        change_redo(actor=alice, map=journey_map)
    assert refused.value.code == "nothing_to_redo"
    assert text_of(alices_card) == "Compares prices"


def test_undo_of_a_create_and_its_redo_keep_the_card_id(alice, journey_map, alices_card):
    change_undo(actor=alice, map=journey_map)
    assert not Card.objects.filter(pk=alices_card.pk).exists()

    change_redo(actor=alice, map=journey_map)

    assert text_of(alices_card) == "Compares prices"


def test_undo_of_a_create_is_refused_when_the_card_has_others_revealed_dots(
    alice, bob, journey_map, alices_card
):
    round_ = VoteRound.objects.create(
        map=journey_map, dots_per_person=3, opened_by=alice, status=VoteStatus.REVEALED
    )
    Vote.objects.create(round=round_, card=alices_card, voter=bob)

    with pytest.raises(UndoRefused, match="dots"):
        change_undo(actor=alice, map=journey_map)
    assert Card.objects.filter(pk=alices_card.pk).exists()


def test_undo_of_a_create_during_an_open_vote_does_not_tell_of_others_dots(
    alice, bob, journey_map, alices_card
):
    round_ = VoteRound.objects.create(map=journey_map, dots_per_person=3, opened_by=alice)
    Vote.objects.create(round=round_, card=alices_card, voter=bob)

    change_undo(actor=alice, map=journey_map)

    assert not Card.objects.filter(pk=alices_card.pk).exists()
    assert not Vote.objects.filter(voter=bob).exists()  # bob has his dot to place again


def test_evidence_attach_update_and_delete_are_undone(alice, journey_map, stages):
    attached = evidence_services.evidence_attach(
        actor=alice,
        map=journey_map,
        kind="metric",
        stage_id=stages[2].pk,
        name="Site search",
        value=8,
        unit="%",
    )
    piece = attached.payload["evidence"]["id"]
    evidence_services.evidence_update(actor=alice, map=journey_map, evidence_id=piece, value=9)
    evidence_services.evidence_delete(actor=alice, map=journey_map, evidence_id=piece)

    change_undo(actor=alice, map=journey_map)
    assert Evidence.objects.get(pk=piece).value == 9
    change_undo(actor=alice, map=journey_map)
    assert Evidence.objects.get(pk=piece).value == 8
    change_undo(actor=alice, map=journey_map)
    assert not Evidence.objects.filter(pk=piece).exists()


def test_viewer_cannot_undo(carol, journey_map):
    with pytest.raises(PermissionDenied):
        change_undo(actor=carol, map=journey_map)


def test_each_undo_is_a_change_of_the_map_in_its_history(alice, journey_map, alices_card):
    services.card_update(actor=alice, map=journey_map, card_id=alices_card.pk, text="Second")
    edit = MapEvent.objects.get(map=journey_map, revision=journey_map.revision)

    undo = change_undo(actor=alice, map=journey_map)

    assert undo.revision == edit.revision + 1
    assert undo.undo_of == edit
    assert undo.payload["undo"] == {"kind": "undo", "of": edit.revision, "event": "card.updated"}


# --- through the REST API and the live board --------------------------------------------------


def test_undo_and_redo_through_rest(alice, client_for, journey_map, alices_card):
    services.card_update(actor=alice, map=journey_map, card_id=alices_card.pk, text="Second")
    client = client_for(alice)

    undone = client.post(f"/api/maps/{journey_map.pk}/undo/")
    assert undone.status_code == 200
    assert undone.json()["event"] == "card.updated"
    assert undone.json()["payload"]["undo"]["kind"] == "undo"
    assert undone["X-Map-Revision"] == str(undone.json()["revision"])
    assert text_of(alices_card) == "Compares prices"

    assert client.post(f"/api/maps/{journey_map.pk}/redo/").status_code == 200
    assert text_of(alices_card) == "Second"


def test_rest_undo_refusals(alice, bob, carol, client_for, journey_map, alices_card):
    services.card_update(actor=alice, map=journey_map, card_id=alices_card.pk, text="Mine")
    services.card_update(actor=bob, map=journey_map, card_id=alices_card.pk, text="Bob's")

    refused = client_for(alice).post(f"/api/maps/{journey_map.pk}/undo/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "undo_conflict"
    assert "Bob" in refused.json()["detail"]
    nothing = client_for(bob).post(f"/api/maps/{journey_map.pk}/redo/")
    assert (nothing.status_code, nothing.json()["code"]) == (409, "nothing_to_redo")
    assert client_for(carol).post(f"/api/maps/{journey_map.pk}/undo/").status_code == 403
    assert text_of(alices_card) == "Bob's"


@pytest.mark.django_db(transaction=True)
def test_undo_through_the_live_board(alice, bob, journey_map, alices_card):
    from asgiref.sync import async_to_sync

    from tests.live import headers_for, open_board

    async def next_of(communicator, *types):
        while (message := await communicator.receive_json_from(timeout=2))["type"] not in types:
            pass  # presence, and one's own events
        return message

    services.card_update(actor=alice, map=journey_map, card_id=alices_card.pk, text="Second")

    alices, bobs = headers_for(alice), headers_for(bob)

    async def scenario():
        mine, _ = await open_board(alices, journey_map.pk)
        theirs, _ = await open_board(bobs, journey_map.pk)
        try:
            await mine.send_json_to({"type": "undo", "id": "u-1"})
            ack = await next_of(mine, "ack", "error")
            seen = await next_of(theirs, "event")
            await mine.send_json_to({"type": "undo", "id": "u-2"})
            await mine.send_json_to({"type": "undo", "id": "u-3"})
            await next_of(mine, "ack")
            refused = await next_of(mine, "error")
        finally:
            await mine.disconnect()
            await theirs.disconnect()
        return ack, seen, refused

    ack, seen, refused = async_to_sync(scenario)()
    assert ack["type"] == "ack"
    assert seen["event"] == "card.updated" and seen["op"] == "u-1"
    assert seen["payload"]["card"]["text"] == "Compares prices"
    assert seen["payload"]["undo"]["kind"] == "undo"
    assert (refused["id"], refused["code"]) == ("u-3", "nothing_to_undo")


def test_a_refused_undo_does_not_tell_a_private_card(alice, bob, journey_map, lanes):
    from workshops.services import voting

    stage_id = services.stage_create(actor=alice, map=journey_map, title="Delivery").payload[
        "stage"
    ]["id"]
    voting.private_start(actor=alice, map=journey_map)
    services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stage_id,
        lane_id=lanes["thoughts"].pk,
        text="Worried it arrives late",
    )

    with pytest.raises(UndoRefused) as refused:
        change_undo(actor=alice, map=journey_map)

    assert str(refused.value).startswith("Not undone: someone changed it since")
    assert "Bob" not in str(refused.value) and "late" not in str(refused.value)


def test_a_deleted_picture_stays_deleted_and_undo_passes_over_it(
    alice, journey_map, stages, settings, tmp_path, django_capture_on_commit_callbacks
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "#c33").save(out, format="PNG")
    services.stage_update(actor=alice, map=journey_map, stage_id=stages[1].pk, title="Looking")
    piece = evidence_services.evidence_attach(
        actor=alice,
        map=journey_map,
        kind="image",
        stage_id=stages[1].pk,
        caption="Heatmap",
        image=SimpleUploadedFile("heat.png", out.getvalue(), content_type="image/png"),
    ).payload["evidence"]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        evidence_services.evidence_delete(actor=alice, map=journey_map, evidence_id=piece)

    event = change_undo(actor=alice, map=journey_map)

    assert event.type == "stage.updated"  # the rename before it
    assert not Evidence.objects.filter(pk=piece).exists()
    assert not list(tmp_path.rglob("*.*"))  # its files are gone for good


def test_a_private_card_deleted_then_brought_back_after_the_reveal_is_public(
    alice, bob, journey_map, stages, lanes
):
    from workshops.services import voting

    voting.private_start(actor=alice, map=journey_map)
    secret = add(bob, journey_map, stages[0], lanes["actions"], "Hates the login wall")
    services.card_delete(actor=bob, map=journey_map, card_id=secret.pk)
    voting.private_reveal(actor=alice, map=journey_map)

    change_undo(actor=bob, map=journey_map)

    secret.refresh_from_db()
    assert secret.private is False


def test_undo_does_not_reach_behind_your_own_restore(alice, journey_map, alices_card):
    from documents import versions

    services.card_update(
        actor=alice, map=journey_map, card_id=alices_card.pk, text="Compares prices twice"
    )
    version = versions.version_save(actor=alice, map=journey_map, name="Q3 review")
    services.card_update(actor=alice, map=journey_map, card_id=alices_card.pk, text="Gives up")
    versions.version_restore(actor=alice, map=journey_map, version=version)

    with pytest.raises(UndoRefused):
        change_undo(actor=alice, map=journey_map)
    assert text_of(alices_card) == "Compares prices twice"
