"""The REST API of links and opportunities: every write a map change, every bad input a 400
naming its field with nothing changed, and a workshop's list filtered by status, owner, stage
and quadrant."""

import pytest

from workshops import services
from workshops.models import Card, CardLink, Opportunity
from workshops.services.opportunities import opportunity_update


def add(user, journey_map, stage, lane, text):
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
    )
    return Card.objects.get(pk=event.payload["card"]["id"])


@pytest.fixture
def pain(bob, journey_map, stages, lanes):
    return add(bob, journey_map, stages[1], lanes["pain_points"], "No size guide")


@pytest.fixture
def idea(bob, journey_map, stages, lanes):
    return add(bob, journey_map, stages[3], lanes["opportunities"], "Add a size guide")


def opportunity_url(journey_map, card):
    return f"/api/maps/{journey_map.pk}/cards/{card.pk}/opportunity/"


def test_an_editor_links_an_opportunity_to_a_pain_point(client_for, bob, journey_map, pain, idea):
    answer = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/links/",
        {"opportunity": idea.pk, "pain_point": pain.pk},
        format="json",
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["pain_point"] == pain.pk
    assert int(answer["X-Map-Revision"]) == journey_map.events.latest("revision").revision
    listed = client_for(bob).get(f"/api/maps/{journey_map.pk}/links/").json()
    assert listed == [answer.json()]


def test_a_link_to_a_card_of_another_map_is_a_400_naming_the_field(
    client_for, alice, bob, workshop, journey_map, idea
):
    other = services.map_create(actor=alice, workshop=workshop, title="Returns", template="b2c")
    lanes = {lane.kind: lane for lane in other.lanes.all()}
    elsewhere = add(bob, other, other.stages.first(), lanes["pain_points"], "Slow refunds")

    answer = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/links/",
        {"opportunity": idea.pk, "pain_point": elsewhere.pk},
        format="json",
    )

    assert answer.status_code == 400
    assert "pain_point" in answer.json()
    assert not CardLink.objects.exists()


def test_a_link_is_taken_away(client_for, bob, journey_map, pain, idea):
    made = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/links/",
        {"opportunity": idea.pk, "pain_point": pain.pk},
        format="json",
    )

    answer = client_for(bob).delete(f"/api/maps/{journey_map.pk}/links/{made.json()['id']}/")

    assert answer.status_code == 204
    assert not CardLink.objects.exists()


def test_an_editor_sets_the_work_of_an_opportunity(client_for, alice, bob, journey_map, idea):
    answer = client_for(bob).patch(
        opportunity_url(journey_map, idea),
        {
            "owner": alice.pk,
            "status": "planned",
            "impact": 4,
            "effort": 2,
            "tickets": ["https://github.com/acme/shop/issues/17"],
        },
        format="json",
    )

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["owner_name"], body["status"]) == ("Alice", "planned")
    assert body["tickets"][0]["key"] == "acme/shop#17"
    assert client_for(bob).get(opportunity_url(journey_map, idea)).json() == body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "someday"}, "status"),
        ({"impact": 9}, "impact"),
        ({"effort": "high"}, "effort"),
        ({"tickets": ["ftp://files.acme.example/1"]}, "tickets"),
        ({"owner": 999999}, "owner"),
    ],
)
def test_bad_work_is_a_400_naming_the_field(client_for, bob, journey_map, idea, body, field):
    answer = client_for(bob).patch(opportunity_url(journey_map, idea), body, format="json")

    assert answer.status_code == 400
    assert field in answer.json()
    assert not Opportunity.objects.exists()


def test_a_viewer_reads_the_work_but_cannot_set_it(client_for, carol, journey_map, idea):
    assert client_for(carol).get(opportunity_url(journey_map, idea)).status_code == 200
    answer = client_for(carol).patch(
        opportunity_url(journey_map, idea), {"status": "planned"}, format="json"
    )
    assert answer.status_code == 403


@pytest.fixture
def backlog(alice, bob, journey_map, stages, lanes):
    """Four opportunities: a quick win Alice owns, a big bet Bob ships, a money pit, an idea."""
    cards = {
        name: add(bob, journey_map, stages[stage], lanes["opportunities"], name)
        for name, stage in [("Size guide", 1), ("New checkout", 3), ("Chatbot", 3), ("Gift", 5)]
    }
    work = {
        "Size guide": {"owner": alice.pk, "status": "planned", "impact": 5, "effort": 1},
        "New checkout": {"owner": bob.pk, "status": "shipped", "impact": 4, "effort": 5},
        "Chatbot": {"status": "dropped", "impact": 1, "effort": 4},
    }
    for name, values in work.items():
        opportunity_update(actor=bob, map=journey_map, card_id=cards[name].pk, **values)
    return cards


def listed(client_for, user, workshop, query=""):
    answer = client_for(user).get(f"/api/workshops/{workshop.pk}/opportunities/{query}")
    assert answer.status_code == 200, answer.content
    return [row["text"] for row in answer.json()]


def test_the_list_holds_every_opportunity_of_the_workshop_by_stage(
    client_for, carol, workshop, backlog
):
    assert listed(client_for, carol, workshop) == ["Size guide", "New checkout", "Chatbot", "Gift"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=shipped", ["New checkout"]),
        ("?status=idea", ["Gift"]),
        ("?quadrant=quick_win", ["Size guide"]),
        ("?quadrant=big_bet", ["New checkout"]),
        ("?quadrant=money_pit", ["Chatbot"]),
        ("?quadrant=unscored", ["Gift"]),
        ("?owner=0", ["Chatbot", "Gift"]),
        ("?sort=impact", ["Size guide", "New checkout", "Chatbot", "Gift"]),
        ("?sort=status", ["Gift", "Size guide", "New checkout", "Chatbot"]),
    ],
)
def test_the_list_filters_and_sorts(client_for, carol, workshop, backlog, query, expected):
    assert listed(client_for, carol, workshop, query) == expected


def test_the_list_filters_by_owner_and_stage(client_for, alice, carol, workshop, stages, backlog):
    assert listed(client_for, carol, workshop, f"?owner={alice.pk}") == ["Size guide"]
    stage = stages[3].title.upper()
    assert listed(client_for, carol, workshop, f"?stage={stage}") == ["New checkout", "Chatbot"]


@pytest.mark.parametrize("query", ["?status=soon", "?quadrant=north", "?owner=bob", "?sort=x"])
def test_a_bad_filter_is_a_400_naming_it(client_for, carol, workshop, query):
    answer = client_for(carol).get(f"/api/workshops/{workshop.pk}/opportunities/{query}")

    assert answer.status_code == 400
    assert query[1:].split("=")[0] in answer.json()


def test_someone_outside_the_workshop_sees_no_list(client_for, mallory, workshop):
    answer = client_for(mallory).get(f"/api/workshops/{workshop.pk}/opportunities/")
    assert answer.status_code in (403, 404)
