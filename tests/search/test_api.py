"""GET /api/search/ and the maps list's ?search=, as a script sees them."""

import pytest
from django.core.cache import cache

from workshops import services


@pytest.fixture
def size_guide_card(bob, write_card):
    return write_card("The size guide <b>lies</b>", actor=bob)


def test_a_search_answers_with_ranked_results_and_their_links(
    client_for, carol, journey_map, size_guide_card
):
    response = client_for(carol).get("/api/search/", {"q": "size guide"})

    assert response.status_code == 200
    assert response.json() == {
        "query": "size guide",
        "results": [
            {
                "kind": "card",
                "id": size_guide_card,
                "label": "Pain points · Awareness",
                "snippet": "The <mark>size</mark> <mark>guide</mark> &lt;b&gt;lies&lt;/b&gt;",
                "map": {"id": journey_map.pk, "title": "Online shopping"},
                "workshop": {"id": journey_map.workshop_id, "name": "Retail journeys"},
                "card": size_guide_card,
                "stage": None,
                "url": f"/maps/{journey_map.pk}/#card-{size_guide_card}",
            }
        ],
        "more": False,
    }


def test_an_outsider_finds_nothing_and_an_anonymous_caller_is_asked_to_log_in(
    client_for, mallory, size_guide_card
):
    assert client_for(mallory).get("/api/search/", {"q": "size"}).json()["results"] == []
    assert client_for(None).get("/api/search/", {"q": "size"}).status_code == 401


@pytest.mark.parametrize(
    "query, message",
    [
        ({}, "This field is required."),
        ({"q": ""}, "Type a word to look for."),
        ({"q": "  ... "}, "Type a word to look for."),
        ({"q": "-size"}, "Say what to look for, too."),
        ({"q": "x" * 201}, "Search for at most 200 characters."),
        ({"q": " ".join("abcdefghijklm")}, "Search for at most 12 words."),
        ({"q": "size\x00"}, "Null characters are not allowed."),
    ],
)
def test_a_query_that_asks_nothing_or_too_much_is_a_400_naming_q(client_for, carol, query, message):
    response = client_for(carol).get("/api/search/", query)

    assert response.status_code == 400
    assert response.json() == {"q": [message]}


@pytest.mark.parametrize("limit", ["0", "51", "many"])
def test_a_limit_outside_1_to_50_is_a_400_naming_limit(client_for, carol, limit):
    response = client_for(carol).get("/api/search/", {"q": "size", "limit": limit})

    assert response.status_code == 400
    assert list(response.json()) == ["limit"]


def test_searches_are_limited_per_person(client_for, carol, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "user_search": "2/min"},
    }
    cache.clear()
    client = client_for(carol)

    answers = [client.get("/api/search/", {"q": "size"}).status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_the_schema_describes_the_search(client_for, carol):
    schema = client_for(carol).get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/search/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"q", "limit"}
    assert {"200", "400", "401", "429"} <= set(operation["responses"])


def test_the_maps_list_keeps_the_maps_whose_title_holds_every_word(
    client_for, alice, carol, workshop, journey_map
):
    services.map_create(actor=alice, workshop=workshop, title="Checkout redesign")
    services.map_create(actor=alice, workshop=workshop, title="Checkout today")

    response = client_for(carol).get("/api/maps/", {"search": "checkout REDESIGN"})

    assert [found["title"] for found in response.json()] == ["Checkout redesign"]


def test_the_maps_list_refuses_a_search_over_200_characters(client_for, carol):
    response = client_for(carol).get("/api/maps/", {"search": "x" * 201})

    assert response.status_code == 400
    assert list(response.json()) == ["search"]
