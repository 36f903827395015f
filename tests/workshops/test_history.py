"""The map's history as the history panel reads it: newest first, page by page, one person's
changes alone when asked, and each change in words for the server's own messages."""

from workshops import history, services
from workshops.models import MapEvent


def edits(user, journey_map, card, count):
    for number in range(count):
        services.card_update(actor=user, map=journey_map, card_id=card.pk, text=f"{user} {number}")


def page(client, journey_map, **query):
    response = client.get(f"/api/maps/{journey_map.pk}/events/", query)
    assert response.status_code == 200, response.json()
    return response.json()


def test_history_pages_go_back_newest_first(alice, carol, client_for, journey_map, card):
    edits(alice, journey_map, card, 5)
    newest = journey_map.revision
    client = client_for(carol)

    first = page(client, journey_map, before=newest + 1, limit=3)
    older = page(client, journey_map, before=first["events"][-1]["revision"], limit=3)

    assert [e["revision"] for e in first["events"]] == [newest, newest - 1, newest - 2]
    assert first["more"] is True
    assert [e["revision"] for e in older["events"]] == [newest - 3, newest - 4, newest - 5]


def test_history_filters_by_person(alice, bob, client_for, journey_map, card):
    edits(alice, journey_map, card, 2)
    edits(bob, journey_map, card, 3)
    edits(alice, journey_map, card, 1)

    bobs = page(client_for(alice), journey_map, before=journey_map.revision + 1, actor=bob.pk)

    assert [e["actor"]["name"] for e in bobs["events"]] == ["Bob"] * 4  # his card, his 3 edits
    assert [e["payload"]["card"]["text"] for e in bobs["events"][:3]] == ["bob 2", "bob 1", "bob 0"]
    assert bobs["more"] is False


def test_history_without_before_still_catches_up_oldest_first(alice, client_for, journey_map, card):
    edits(alice, journey_map, card, 2)
    since = journey_map.revision - 2

    caught = page(client_for(alice), journey_map, since=since)

    assert [e["revision"] for e in caught["events"]] == [since + 1, since + 2]
    assert caught["before"] is None


def test_history_query_is_checked(alice, client_for, journey_map):
    response = client_for(alice).get(f"/api/maps/{journey_map.pk}/events/", {"limit": 0})
    assert response.status_code == 400
    assert "limit" in response.json()


def test_changes_described_in_words(alice, journey_map, card, stages):
    services.card_move(
        actor=alice,
        map=journey_map,
        card_id=card.pk,
        stage_id=stages[1].pk,
        lane_id=card.lane_id,
        position=0,
    )
    services.stage_update(actor=alice, map=journey_map, stage_id=stages[2].pk, title="Choosing")

    described = [
        history.describe(e)
        for e in MapEvent.objects.filter(map=journey_map).order_by("-revision")[:2]
    ]

    assert described == ["changed the stage “Choosing”", "moved the card “Adds items to the cart”"]
