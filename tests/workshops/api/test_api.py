"""The REST API: bad input is a 400 naming the field and changes nothing, writes answer with the
object and the map's new revision, the board reads in a fixed number of queries, tokens work, and
the OpenAPI schema and its docs page are served without the internet."""

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from workshops import services
from workshops.models import Card, JourneyMap, MapEvent


@pytest.fixture
def other_map(alice, workshop):
    return services.map_create(actor=alice, workshop=workshop, title="Insurer", template="b2b")


def board_state(journey_map) -> tuple:
    """Everything a refused change must leave as it was, the revision included."""
    fresh = JourneyMap.objects.get(pk=journey_map.pk)
    return (
        fresh.revision,
        fresh.title,
        MapEvent.objects.filter(map=fresh).count(),
        list(fresh.stages.values_list("pk", "title", "position")),
        list(fresh.lanes.values_list("pk", "title", "kind", "position")),
        list(fresh.cards.values_list("pk", "stage", "lane", "position", "text", "emotion_score")),
    )


def refuse(client, method, url, body, field, journey_map, code=400):
    """Send a bad request; check that it names the field and that nothing changed."""
    before = board_state(journey_map)
    response = getattr(client, method)(url, body, format="json")
    assert response.status_code == code, response.content
    if field:
        assert field in response.json(), response.json()
    assert board_state(journey_map) == before
    return response


# --- bad input from issue 2 -----------------------------------------------------------------


def test_card_cannot_move_to_a_stage_of_another_map(
    client_for, bob, journey_map, other_map, card, lanes
):
    refuse(
        client_for(bob),
        "post",
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/move/",
        {"stage": other_map.stages.first().pk, "lane": lanes["actions"].pk, "position": 0},
        "stage",
        journey_map,
    )


def test_card_cannot_move_to_a_lane_of_another_map(
    client_for, bob, journey_map, other_map, card, stages
):
    refuse(
        client_for(bob),
        "post",
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/move/",
        {"stage": stages[0].pk, "lane": other_map.lanes.first().pk, "position": 0},
        "lane",
        journey_map,
    )


def test_card_cannot_be_created_in_a_cell_of_another_map(
    client_for, bob, journey_map, other_map, lanes
):
    refuse(
        client_for(bob),
        "post",
        f"/api/maps/{journey_map.pk}/cards/",
        {"stage": other_map.stages.first().pk, "lane": lanes["actions"].pk, "text": "Lost"},
        "stage",
        journey_map,
    )


@pytest.mark.parametrize("position", [1, -1, 99])
def test_card_move_position_out_of_range(
    client_for, bob, journey_map, card, stages, lanes, position
):
    refuse(
        client_for(bob),
        "post",
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/move/",
        {"stage": stages[0].pk, "lane": lanes["actions"].pk, "position": position},
        "position",
        journey_map,
    )


@pytest.mark.parametrize("position", ["abc", None, 1.5, ""])
def test_card_move_position_must_be_a_number(
    client_for, bob, journey_map, card, stages, lanes, position
):
    refuse(
        client_for(bob),
        "post",
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/move/",
        {"stage": stages[0].pk, "lane": lanes["actions"].pk, "position": position},
        "position",
        journey_map,
    )


def test_stage_move_position_out_of_range(client_for, bob, journey_map, stages):
    refuse(
        client_for(bob),
        "post",
        f"/api/maps/{journey_map.pk}/stages/{stages[0].pk}/move/",
        {"position": len(stages)},
        "position",
        journey_map,
    )


def test_card_text_over_2000_characters(client_for, bob, journey_map, card, stages, lanes):
    client = client_for(bob)
    refuse(
        client,
        "patch",
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/",
        {"text": "x" * 2001},
        "text",
        journey_map,
    )
    refuse(
        client,
        "post",
        f"/api/maps/{journey_map.pk}/cards/",
        {"stage": stages[0].pk, "lane": lanes["actions"].pk, "text": "x" * 2001},
        "text",
        journey_map,
    )


def test_card_text_of_exactly_2000_characters_is_fine(client_for, bob, journey_map, card):
    response = client_for(bob).patch(
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/", {"text": "x" * 2000}, format="json"
    )

    assert response.status_code == 200
    assert len(response.json()["text"]) == 2000


def test_unknown_lane_kind(client_for, bob, journey_map, lanes):
    client = client_for(bob)
    refuse(
        client,
        "post",
        f"/api/maps/{journey_map.pk}/lanes/",
        {"title": "Moods", "kind": "moods"},
        "kind",
        journey_map,
    )
    refuse(
        client,
        "patch",
        f"/api/maps/{journey_map.pk}/lanes/{lanes['kpis'].pk}/",
        {"kind": "moods"},
        "kind",
        journey_map,
    )


@pytest.mark.parametrize("score", [3, -3, "very happy"])
def test_emotion_score_outside_minus_two_to_two(client_for, bob, journey_map, stages, lanes, score):
    refuse(
        client_for(bob),
        "post",
        f"/api/maps/{journey_map.pk}/cards/",
        {"stage": stages[0].pk, "lane": lanes["emotions"].pk, "emotion_score": score},
        "emotion_score",
        journey_map,
    )


def test_emotion_score_only_in_an_emotions_lane(client_for, bob, journey_map, card):
    refuse(
        client_for(bob),
        "patch",
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/",
        {"emotion_score": 1},
        "emotion_score",
        journey_map,
    )


def test_unknown_field_is_named(client_for, bob, journey_map, card):
    refuse(
        client_for(bob),
        "patch",
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/",
        {"txt": "Typo"},
        "txt",
        journey_map,
    )


def test_blank_map_title(client_for, bob, journey_map):
    refuse(
        client_for(bob),
        "patch",
        f"/api/maps/{journey_map.pk}/",
        {"title": "   "},
        "title",
        journey_map,
    )


def test_viewer_cannot_move_card(client_for, carol, journey_map, card, stages, lanes):
    refuse(
        client_for(carol),
        "post",
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/move/",
        {"stage": stages[1].pk, "lane": lanes["actions"].pk, "position": 0},
        None,
        journey_map,
        code=403,
    )


def test_viewer_with_bad_input_still_gets_403(client_for, carol, journey_map, card):
    # The role is checked first: a viewer learns nothing from the validation of a write.
    refuse(
        client_for(carol),
        "patch",
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/",
        {"text": "x" * 2001},
        None,
        journey_map,
        code=403,
    )


def test_non_member_cannot_edit_card(client_for, mallory, journey_map, card):
    refuse(
        client_for(mallory),
        "patch",
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/",
        {"text": "Mine now"},
        None,
        journey_map,
        code=404,
    )


def test_card_of_another_map_is_not_found_here(client_for, bob, journey_map, other_map, stages):
    event = services.card_create(
        actor=bob,
        map=other_map,
        stage_id=other_map.stages.first().pk,
        lane_id=other_map.lanes.first().pk,
        text="Elsewhere",
    )
    url = f"/api/maps/{journey_map.pk}/cards/{event.payload['card']['id']}/"

    refuse(client_for(bob), "patch", url, {"text": "Moved?"}, None, journey_map, code=404)


def test_too_long_idempotency_key(client_for, bob, journey_map, card):
    client = client_for(bob)
    client.credentials(HTTP_IDEMPOTENCY_KEY="k" * 101)

    refuse(
        client,
        "patch",
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/",
        {"text": "Hi"},
        "Idempotency-Key",
        journey_map,
    )


# --- writes answer with the object and the revision -----------------------------------------


def test_card_create_answers_with_the_card_and_revision(
    client_for, bob, journey_map, stages, lanes
):
    response = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/cards/",
        {
            "stage": stages[2].pk,
            "lane": lanes["emotions"].pk,
            "text": "Worried",
            "emotion_score": -1,
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    card = Card.objects.get(pk=body["id"])
    assert (body["text"], body["emotion_score"], body["author_name"]) == ("Worried", -1, "Bob")
    assert (card.stage_id, card.lane_id, card.position) == (stages[2].pk, lanes["emotions"].pk, 0)
    assert int(response["X-Map-Revision"]) == JourneyMap.objects.get(pk=journey_map.pk).revision


def test_card_move_answers_with_the_card_in_its_new_place(
    client_for, bob, journey_map, card, stages, lanes
):
    response = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/move/",
        {"stage": stages[3].pk, "lane": lanes["thoughts"].pk, "position": 0},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["lane"]) == (
        stages[3].pk,
        lanes["thoughts"].pk,
    )
    assert int(response["X-Map-Revision"]) == JourneyMap.objects.get(pk=journey_map.pk).revision


def test_stage_move_answers_with_the_stage_in_its_new_place(client_for, bob, journey_map, stages):
    response = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/stages/{stages[0].pk}/move/", {"position": 2}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["position"]) == (stages[0].pk, 2)


def test_map_patch_answers_with_the_map_at_its_new_revision(client_for, bob, journey_map):
    response = client_for(bob).patch(
        f"/api/maps/{journey_map.pk}/", {"title": "Buying online"}, format="json"
    )

    assert response.json()["title"] == "Buying online"
    assert (
        response.json()["revision"] == int(response["X-Map-Revision"]) == journey_map.revision + 1
    )


def test_card_delete_answers_204_with_revision(client_for, bob, journey_map, card):
    response = client_for(bob).delete(f"/api/maps/{journey_map.pk}/cards/{card.pk}/")

    assert response.status_code == 204
    assert int(response["X-Map-Revision"]) == JourneyMap.objects.get(pk=journey_map.pk).revision
    assert not Card.objects.filter(pk=card.pk).exists()


def test_map_create_from_template_answers_with_the_board(client_for, alice, workshop):
    response = client_for(alice).post(
        "/api/maps/",
        {"workshop": workshop.pk, "title": "Insurer", "template": "b2b"},
        format="json",
    )

    assert response.status_code == 201
    board = response.json()
    assert [s["title"] for s in board["stages"]][2:4] == ["Demo", "Internal approval"]
    assert len(board["lanes"]) == 8 and board["cards"] == [] and board["revision"] == 1


def test_map_create_with_unknown_template(client_for, alice, workshop):
    response = client_for(alice).post(
        "/api/maps/", {"workshop": workshop.pk, "title": "X", "template": "b2x"}, format="json"
    )

    assert response.status_code == 400 and "template" in response.json()
    assert not JourneyMap.objects.filter(title="X").exists()


def test_map_list_filters_by_workshop(client_for, alice, journey_map, workshop):
    services.map_create(
        actor=alice, workshop=services.workshop_create(actor=alice, name="Other"), title="Elsewhere"
    )
    client = client_for(alice)

    assert len(client.get("/api/maps/").json()) == 2
    assert [m["id"] for m in client.get(f"/api/maps/?workshop={workshop.pk}").json()] == [
        journey_map.pk
    ]
    assert "workshop" in client.get("/api/maps/?workshop=abc").json()


def test_board_is_nested(client_for, carol, journey_map, card):
    board = client_for(carol).get(f"/api/maps/{journey_map.pk}/").json()

    assert board["revision"] == JourneyMap.objects.get(pk=journey_map.pk).revision
    assert len(board["stages"]) == 7 and len(board["lanes"]) == 8
    assert board["cards"][0]["text"] == "Adds items to the cart"


def test_repeated_idempotency_key_creates_one_card(client_for, bob, journey_map, stages, lanes):
    client = client_for(bob)
    client.credentials(HTTP_IDEMPOTENCY_KEY="script-run-1-card-1")
    body = {"stage": stages[0].pk, "lane": lanes["actions"].pk, "text": "Once"}

    first = client.post(f"/api/maps/{journey_map.pk}/cards/", body, format="json")
    again = client.post(f"/api/maps/{journey_map.pk}/cards/", body, format="json")

    assert first.json()["id"] == again.json()["id"]
    assert first["X-Map-Revision"] == again["X-Map-Revision"]
    assert journey_map.cards.filter(text="Once").count() == 1


def test_idempotency_key_of_another_change_is_refused(client_for, bob, journey_map, card, stages):
    client = client_for(bob)
    client.credentials(HTTP_IDEMPOTENCY_KEY="reused")
    client.patch(f"/api/maps/{journey_map.pk}/cards/{card.pk}/", {"text": "One"}, format="json")

    refuse(
        client,
        "post",
        f"/api/maps/{journey_map.pk}/stages/{stages[0].pk}/move/",
        {"position": 2},
        "Idempotency-Key",
        journey_map,
    )


def test_stale_text_edit_is_a_409_with_the_current_text(client_for, alice, bob, journey_map, card):
    base = JourneyMap.objects.get(pk=journey_map.pk).revision
    services.card_update(actor=alice, map=journey_map, card_id=card.pk, text="Alice's words")

    response = client_for(bob).patch(
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/",
        {"text": "Bob's words", "base_revision": base},
        format="json",
    )

    assert response.status_code == 409
    assert (response.json()["field"], response.json()["current"]) == ("text", "Alice's words")
    assert Card.objects.get(pk=card.pk).text == "Alice's words"


def test_last_facilitator_cannot_step_down(client_for, alice, workshop):
    response = client_for(alice).patch(
        f"/api/workshops/{workshop.pk}/members/{alice.pk}/", {"role": "viewer"}, format="json"
    )

    assert response.status_code == 400 and "role" in response.json()
    assert workshop.memberships.get(user=alice).role == "facilitator"


def test_adding_an_unknown_user_names_the_username(client_for, alice, workshop):
    response = client_for(alice).post(
        f"/api/workshops/{workshop.pk}/members/",
        {"username": "nobody", "role": "editor"},
        format="json",
    )

    assert response.status_code == 400 and "username" in response.json()


# --- history --------------------------------------------------------------------------------


def test_events_since_a_revision(client_for, bob, carol, journey_map, card):
    since = JourneyMap.objects.get(pk=journey_map.pk).revision
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="One")
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Two")

    history = client_for(carol).get(f"/api/maps/{journey_map.pk}/events/?since={since}").json()

    assert [e["revision"] for e in history["events"]] == [since + 1, since + 2]
    assert [e["payload"]["card"]["text"] for e in history["events"]] == ["One", "Two"]
    assert history["revision"] == since + 2 and history["more"] is False
    assert history["events"][0]["actor"]["name"] == "Bob"


def test_events_since_must_be_a_number(client_for, carol, journey_map):
    response = client_for(carol).get(f"/api/maps/{journey_map.pk}/events/?since=abc")

    assert response.status_code == 400 and "since" in response.json()


# --- the board reads in a fixed number of queries -------------------------------------------


def queries_to_read_board(client, journey_map) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/maps/{journey_map.pk}/")
    assert response.status_code == 200
    return len(queries)


def add_cards(actor, journey_map, stages, lanes, count):
    cells = [(stage, lane) for stage in stages for lane in lanes.values()]
    for index in range(count):
        stage, lane = cells[index % len(cells)]
        services.card_create(
            actor=actor, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=f"Card {index}"
        )


def test_board_queries_do_not_grow_with_cards(
    client_for, alice, bob, carol, journey_map, stages, lanes
):
    services.map_update(
        actor=alice,
        map=journey_map,
        persona=services.persona_create(
            actor=alice, workshop=journey_map.workshop, name="Buyer"
        ).pk,
    )
    client = client_for(carol)
    add_cards(bob, journey_map, stages, lanes, 5)
    few = queries_to_read_board(client, journey_map)

    add_cards(alice, journey_map, stages, lanes, 95)
    many = queries_to_read_board(client, journey_map)

    assert journey_map.cards.count() == 100
    assert many == few


# --- auth, schema, docs ---------------------------------------------------------------------


def test_token_round_trip(alice, workshop):
    client = APIClient()

    token = client.post(
        "/api/auth/token/", {"username": "alice", "password": "password"}, format="json"
    ).json()["token"]
    assert client.get("/api/workshops/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert [w["id"] for w in client.get("/api/workshops/").json()] == [workshop.pk]


def test_token_needs_the_right_password(alice):
    response = APIClient().post(
        "/api/auth/token/", {"username": "alice", "password": "wrong"}, format="json"
    )

    assert response.status_code == 400 and "token" not in response.json()


def test_bad_token_is_401(journey_map):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    assert client.get(f"/api/maps/{journey_map.pk}/").status_code == 401


def test_schema_is_valid_openapi(db):
    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    move = schema["paths"]["/api/maps/{map_id}/cards/{card_id}/move/"]["post"]
    assert move["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CardMoveInputRequest"
    )
    assert "X-Map-Revision" in move["responses"]["200"]["headers"]


def test_schema_generates_without_warnings(tmp_path):
    # The same check as `manage.py spectacular --validate --fail-on-warn`.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))

    assert "/api/maps/{map_id}/" in yaml.safe_load((tmp_path / "s.yaml").read_text())["paths"]


def test_docs_page_loads_with_local_assets(db):
    response = APIClient().get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html and "unpkg" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        path = f"drf_spectacular_sidecar/swagger-ui-dist/{asset}"
        assert f"/static/{path}" in html
        assert finders.find(path), f"{path} is not among the static files"
