"""Who may call what: every API endpoint against the facilitator (Alice), the editor (Bob), the
viewer (Carol), a non-member (Mallory) and an anonymous client. A refused write changes nothing."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User

from workshops import services
from workshops.models import ROLE_RANK, JourneyMap, MapEvent, Membership, Persona, Role

F, E, V = Role.FACILITATOR, Role.EDITOR, Role.VIEWER
ANYONE = None  # any logged-in user, member or not: the lists of one's own, creating a workshop


@pytest.fixture
def world(workshop, journey_map, stages, lanes, card, carol):
    # Someone to add as a member: Alice works with Dave in another workshop, so she may.
    dave = User.objects.create_user("dave")
    elsewhere = services.workshop_create(actor=workshop.created_by, name="Another team")
    services.membership_set(actor=workshop.created_by, workshop=elsewhere, user=dave, role="viewer")
    persona = services.persona_create(
        actor=workshop.created_by, workshop=workshop, name="Returning buyer"
    )
    return SimpleNamespace(
        w=workshop.pk,
        m=journey_map.pk,
        s=stages[1].pk,
        s0=stages[0].pk,
        l=lanes["kpis"].pk,
        actions=lanes["actions"].pk,
        c=card.pk,
        p=persona.pk,
        carol=carol.pk,
    )


# (method, path, body, least role, status on success); {w}, {m}... come from the world fixture.
ENDPOINTS = [
    ("get", "/api/workshops/", None, ANYONE, 200),
    ("post", "/api/workshops/", {"name": "Mine"}, ANYONE, 201),
    ("get", "/api/workshops/{w}/", None, V, 200),
    ("patch", "/api/workshops/{w}/", {"name": "Renamed"}, F, 200),
    ("delete", "/api/workshops/{w}/", None, F, 204),
    ("get", "/api/workshops/{w}/members/", None, V, 200),
    ("post", "/api/workshops/{w}/members/", {"username": "dave", "role": "viewer"}, F, 201),
    ("get", "/api/workshops/{w}/members/{carol}/", None, V, 200),
    ("patch", "/api/workshops/{w}/members/{carol}/", {"role": "editor"}, F, 200),
    ("delete", "/api/workshops/{w}/members/{carol}/", None, F, 204),
    ("get", "/api/workshops/{w}/personas/", None, V, 200),
    ("post", "/api/workshops/{w}/personas/", {"name": "First-time buyer"}, F, 201),
    ("get", "/api/workshops/{w}/personas/{p}/", None, V, 200),
    ("patch", "/api/workshops/{w}/personas/{p}/", {"segment": "Loyal"}, F, 200),
    ("delete", "/api/workshops/{w}/personas/{p}/", None, F, 204),
    ("get", "/api/maps/", None, ANYONE, 200),
    ("post", "/api/maps/", {"workshop": "{w}", "title": "Renewal"}, F, 201),
    ("get", "/api/maps/{m}/", None, V, 200),
    ("patch", "/api/maps/{m}/", {"title": "Buying online"}, E, 200),
    ("patch", "/api/maps/{m}/", {"state": "future"}, F, 200),
    ("patch", "/api/maps/{m}/", {"persona": "{p}"}, F, 200),
    ("delete", "/api/maps/{m}/", None, F, 204),
    ("get", "/api/maps/{m}/events/", None, V, 200),
    ("get", "/api/maps/{m}/stages/", None, V, 200),
    ("post", "/api/maps/{m}/stages/", {"title": "Repeat purchase"}, E, 201),
    ("get", "/api/maps/{m}/stages/{s}/", None, V, 200),
    ("patch", "/api/maps/{m}/stages/{s}/", {"title": "Comparison"}, E, 200),
    ("delete", "/api/maps/{m}/stages/{s}/", None, E, 204),
    ("post", "/api/maps/{m}/stages/{s}/move/", {"position": 0}, E, 200),
    ("get", "/api/maps/{m}/lanes/", None, V, 200),
    ("post", "/api/maps/{m}/lanes/", {"title": "Moods", "kind": "emotions"}, E, 201),
    ("get", "/api/maps/{m}/lanes/{l}/", None, V, 200),
    ("patch", "/api/maps/{m}/lanes/{l}/", {"title": "Numbers"}, E, 200),
    ("delete", "/api/maps/{m}/lanes/{l}/", None, E, 204),
    ("post", "/api/maps/{m}/lanes/{l}/move/", {"position": 0}, E, 200),
    ("get", "/api/maps/{m}/cards/", None, V, 200),
    ("post", "/api/maps/{m}/cards/", {"stage": "{s}", "lane": "{actions}", "text": "Hi"}, E, 201),
    ("get", "/api/maps/{m}/cards/{c}/", None, V, 200),
    ("patch", "/api/maps/{m}/cards/{c}/", {"text": "Compares prices"}, E, 200),
    ("delete", "/api/maps/{m}/cards/{c}/", None, E, 204),
    (
        "post",
        "/api/maps/{m}/cards/{c}/move/",
        {"stage": "{s}", "lane": "{actions}", "position": 0},
        E,
        200,
    ),
]

ACTORS = {
    "facilitator": "alice",
    "editor": "bob",
    "viewer": "carol",
    "non-member": "mallory",
    "anonymous": None,
}


def expected_status(actor: str, least_role, success: int) -> int:
    if actor == "anonymous":
        return 401
    if least_role is ANYONE:
        return success
    if actor == "non-member":
        return 404  # outsiders must not learn that the workshop exists
    return success if ROLE_RANK[Role(actor)] >= ROLE_RANK[least_role] else 403


def fill(value, world):
    """Put the world's ids into a path or a body ("{m}" -> 7)."""
    if isinstance(value, dict):
        return {key: fill(item, world) for key, item in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return getattr(world, value[1:-1])
    if isinstance(value, str):
        return value.format(**vars(world))
    return value


def state_of(world) -> tuple:
    """What a refused write must leave alone."""
    return (
        list(JourneyMap.objects.values_list("pk", "revision", "title", "state")),
        MapEvent.objects.count(),
        Persona.objects.count(),
        list(Membership.objects.values_list("user_id", "role")),
    )


def endpoint_id(endpoint) -> str:
    method, path, body, _, _ = endpoint
    return f"{method.upper()} {path}" + (f" {sorted(body)}" if body else "")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=endpoint_id)
def test_permission_matrix(endpoint, actor, request, world, client_for):
    method, path, body, least_role, success = endpoint
    user = request.getfixturevalue(ACTORS[actor]) if ACTORS[actor] else None
    expected = expected_status(actor, least_role, success)
    before = state_of(world)

    response = getattr(client_for(user), method)(
        fill(path, world), fill(body, world), format="json"
    )

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert state_of(world) == before


def test_anonymous_is_asked_for_a_token(client_for, journey_map):
    response = client_for(None).get(f"/api/maps/{journey_map.pk}/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_outsider_cannot_tell_a_hidden_map_from_a_missing_one(client_for, mallory, journey_map):
    client = client_for(mallory)

    hidden = client.get(f"/api/maps/{journey_map.pk}/")
    missing = client.get(f"/api/maps/{journey_map.pk + 1000}/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_lists_show_only_your_workshops_and_maps(client_for, mallory, journey_map, workshop):
    client = client_for(mallory)
    services.workshop_create(actor=mallory, name="Mallory's own")

    workshops = client.get("/api/workshops/").json()
    maps = client.get("/api/maps/").json()

    assert [w["name"] for w in workshops] == ["Mallory's own"]
    assert maps == []


def test_workshop_list_says_your_role(client_for, bob, workshop):
    [listed] = client_for(bob).get("/api/workshops/").json()

    assert (listed["id"], listed["role"]) == (workshop.pk, "editor")


def test_editor_cannot_set_map_persona_or_state(client_for, bob, journey_map):
    response = client_for(bob).patch(
        f"/api/maps/{journey_map.pk}/", {"title": "Buying", "state": "future"}, format="json"
    )

    assert response.status_code == 403
    journey_map.refresh_from_db()
    assert (journey_map.title, journey_map.state) == ("Online shopping", "current")


def test_session_login_works_for_the_api(alice, workshop):
    from django.test import Client

    client = Client()
    client.force_login(alice)

    assert client.get(f"/api/workshops/{workshop.pk}/").json()["role"] == "facilitator"
