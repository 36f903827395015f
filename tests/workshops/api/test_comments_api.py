"""Comments over REST (docs/api.md, "Comments"): threads by card and stage, who may write, edit,
delete and resolve, clear refusals that change nothing, and one's mentions."""

import pytest

from workshops.models import Comment
from workshops.services import comments, voting

pytestmark = pytest.mark.django_db


def url(journey_map, *rest) -> str:
    return f"/api/maps/{journey_map.pk}/comments/" + "".join(f"{part}/" for part in rest)


def test_an_editor_comments_on_a_card(client_for, bob, journey_map, card):
    response = client_for(bob).post(
        url(journey_map), {"card": card.pk, "text": "Three visits before buying"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["card"] == card.pk and response.json()["author_name"] == "Bob"
    assert int(response["X-Map-Revision"]) == journey_map.events.latest("revision").revision


def test_a_viewer_is_refused_with_403_and_nothing_changes(client_for, carol, journey_map, card):
    response = client_for(carol).post(
        url(journey_map), {"card": card.pk, "text": "Me too"}, format="json"
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_comment_over_its_length_is_a_400_naming_text(client_for, bob, journey_map, card):
    response = client_for(bob).post(
        url(journey_map), {"card": card.pk, "text": "x" * 2001}, format="json"
    )

    assert response.status_code == 400 and list(response.json()) == ["text"]
    assert not Comment.objects.exists()


def test_a_mention_of_nobody_is_a_400_naming_text(client_for, bob, journey_map, card):
    response = client_for(bob).post(
        url(journey_map), {"card": card.pk, "text": "@nobody look"}, format="json"
    )

    assert response.status_code == 400
    assert "@nobody is not a member" in response.json()["text"][0]


def test_a_card_of_another_map_is_a_400_naming_card(
    client_for, alice, bob, workshop, journey_map, card
):
    from workshops import services

    other = services.map_create(actor=alice, workshop=workshop, title="Other")

    response = client_for(bob).post(url(other), {"card": card.pk, "text": "Hi"}, format="json")

    assert response.status_code == 400 and list(response.json()) == ["card"]


def test_the_thread_of_a_card_is_read_by_a_viewer(client_for, bob, carol, journey_map, card):
    comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="First")

    response = client_for(carol).get(url(journey_map) + f"?card={card.pk}")

    assert response.status_code == 200 and [c["text"] for c in response.json()] == ["First"]


def test_editing_someone_elses_comment_is_a_403_and_nothing_changes(
    client_for, alice, bob, journey_map, card
):
    event = comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="Mine")
    comment_id = event.payload["comment"]["id"]

    edited = client_for(alice).patch(url(journey_map, comment_id), {"text": "x"}, format="json")
    deleted = client_for(alice).delete(url(journey_map, comment_id))

    assert edited.status_code == 403 and "Only the author" in edited.json()["detail"]
    assert deleted.status_code == 403
    assert Comment.objects.get(pk=comment_id).text == "Mine"


def test_its_author_edits_and_deletes_a_comment(client_for, bob, journey_map, card):
    event = comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="Mine")
    comment_id = event.payload["comment"]["id"]

    edited = client_for(bob).patch(url(journey_map, comment_id), {"text": "Ours"}, format="json")
    deleted = client_for(bob).delete(url(journey_map, comment_id))

    assert edited.status_code == 200 and edited.json()["text"] == "Ours"
    assert deleted.status_code == 204 and not Comment.objects.exists()


def test_an_editor_resolves_and_reopens_a_comment(client_for, alice, bob, journey_map, card):
    event = comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="Check")
    comment_id = event.payload["comment"]["id"]
    resolve = url(journey_map, comment_id, "resolve")

    resolved = client_for(alice).post(resolve, {}, format="json")
    reopened = client_for(alice).post(resolve, {"resolved": False}, format="json")

    assert resolved.status_code == 200 and resolved.json()["resolved"] is True
    assert reopened.status_code == 200 and reopened.json()["resolved"] is False


def test_a_comment_on_a_private_card_is_not_found_by_others(
    client_for, alice, bob, carol, journey_map, stages, lanes
):
    from workshops import services

    voting.private_start(actor=alice, map=journey_map)
    card = services.card_create(
        actor=bob, map=journey_map, stage_id=stages[0].pk, lane_id=lanes["actions"].pk, text="Me"
    ).payload["card"]["id"]
    comment_id = comments.comment_create(
        actor=bob, map=journey_map, card_id=card, text="PSST"
    ).payload["comment"]["id"]

    for reader in (alice, carol):
        client = client_for(reader)
        assert client.get(url(journey_map)).json() == []
        assert client.get(url(journey_map, comment_id)).status_code == 404
    assert client_for(bob).get(url(journey_map)).json()[0]["text"] == "PSST"


def test_my_mentions_lists_the_comments_that_name_me(client_for, alice, bob, journey_map, card):
    comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="@alice look")

    mine = client_for(alice).get("/api/me/mentions/")
    bobs = client_for(bob).get("/api/me/mentions/")

    assert mine.status_code == 200
    (mention,) = mine.json()
    assert mention["by"] == "Bob" and mention["comment"]["text"] == "@alice look"
    assert mention["on"] == {"type": "card", "id": card.pk, "text": card.text}
    assert bobs.json() == []
