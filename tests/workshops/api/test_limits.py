"""What the API does with hostile input and hostile rates: a 400 naming the JSON limit, 404 or
400 for numbers past the database's, a JSON answer for every error, rates per person and per
address, the headers of every answer, and a member added without telling who has an account."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from documents import versions
from evidence.models import Kind
from workshops import services
from workshops.models import AuditEvent, AuditKind, Membership
from workshops.services import invites

HUGE = 99999999999999999999  # past 64 bits


@pytest.fixture
def rates(settings):
    """Set some rates, the others as configured."""

    def set_rates(**changed):
        current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**current, **changed},
        }

    return set_rates


def add_card(client, journey_map, stages, lanes, address="127.0.0.1"):
    body = {"stage": stages[0].pk, "lane": lanes["actions"].pk, "text": "Compares prices"}
    return client.post(
        f"/api/maps/{journey_map.pk}/cards/", body, format="json", REMOTE_ADDR=address
    )


def raw_json(client, url, text: str, method="post"):
    return getattr(client, method)(url, text, content_type="application/json")


# --- JSON bodies ------------------------------------------------------------------------------


def test_deeply_nested_json_is_refused_naming_the_limit(client_for, bob, journey_map):
    response = raw_json(client_for(bob), f"/api/maps/{journey_map.pk}/stages/", "[" * 100_000)

    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_json_just_within_the_depth_limit_is_read(client_for, bob, journey_map):
    body = json.dumps({"title": "Awareness", "description": "x"})
    nested = "[" * 31 + "1" + "]" * 31
    url = f"/api/maps/{journey_map.pk}/stages/"

    assert raw_json(client_for(bob), url, body).status_code == 201
    # Read, then refused for what it is (not an object), not for its depth.
    assert "nested" not in raw_json(client_for(bob), url, nested).content.decode()


def test_a_json_body_over_a_megabyte_is_refused_naming_the_limit(client_for, bob, journey_map):
    body = json.dumps({"title": "x", "description": "y" * (1024 * 1024)})

    response = raw_json(client_for(bob), f"/api/maps/{journey_map.pk}/stages/", body)

    assert response.status_code == 400
    assert "over 1024 KB" in response.json()["detail"]


def test_nan_and_infinity_are_not_json_numbers(client_for, bob, journey_map, stages):
    body = f'{{"kind": "metric", "stage": {stages[0].pk}, "name": "Rate", "value": NaN}}'

    response = raw_json(client_for(bob), f"/api/maps/{journey_map.pk}/evidence/", body)

    assert response.status_code == 400 and "NaN" in response.json()["detail"]


def test_a_form_field_of_json_is_held_to_the_same_depth(client_for, bob, journey_map, stages):
    csv = SimpleUploadedFile("answers.csv", b"question,answer\nWhy?,Price\n", "text/csv")
    response = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/evidence/import/",
        {"file": csv, "mapping": "[" * 5000, "stage": stages[0].pk, "kind": "survey"},
        format="multipart",
    )

    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["mapping"][0]


# --- numbers past the database's --------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/api/maps/{HUGE}/",
        f"/api/workshops/{HUGE}/members/",
        "/api/maps/{map}/cards/" + str(HUGE) + "/",
        "/api/maps/{map}/evidence/" + str(HUGE) + "/",
        "/api/maps/{map}/versions/" + str(HUGE) + "/",
        "/api/maps/9223372036854775808/",  # one past the largest id
    ],
)
def test_an_id_past_the_database_in_a_path_is_not_found(client_for, bob, journey_map, path):
    response = client_for(bob).get(path.format(map=journey_map.pk))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "query",
    [f"/api/maps/?workshop={HUGE}", "/api/maps/{map}/events/?since=" + str(HUGE)],
)
def test_a_number_past_the_database_in_a_query_is_refused(client_for, bob, journey_map, query):
    response = client_for(bob).get(query.format(map=journey_map.pk))

    assert response.status_code == 400


def test_a_number_past_the_database_in_a_body_is_refused_naming_it(
    client_for, alice, journey_map, card
):
    client = client_for(alice)
    created = client.post("/api/maps/", {"workshop": HUGE, "title": "Big"}, format="json")
    patched = client.patch(
        f"/api/maps/{journey_map.pk}/cards/{card.pk}/",
        {"text": "New", "base_revision": HUGE},
        format="json",
    )

    assert created.status_code == 400 and "workshop" in created.json()
    assert patched.status_code == 400 and "base_revision" in patched.json()


def test_numbers_sent_as_text_in_json_are_refused_as_the_schema_says(
    client_for, bob, journey_map, stages
):
    response = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/stages/", {"title": "X", "position": "1"}, format="json"
    )
    text_as_number = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/stages/", {"title": 12}, format="json"
    )

    assert response.status_code == 400 and "position" in response.json()
    assert text_as_number.status_code == 400 and "title" in text_as_number.json()


# --- errors are JSON --------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_api_url_answers_json_in_every_mode(client_for, bob, settings, debug):
    settings.DEBUG = debug

    response = client_for(bob).get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_outside_the_api_stays_a_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_restore_with_a_key_used_for_another_change_is_refused(
    client_for, bob, journey_map, stages
):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    client = client_for(bob)
    client.post(
        f"/api/maps/{journey_map.pk}/stages/",
        {"title": "Loyalty"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    response = client.post(
        f"/api/maps/{journey_map.pk}/versions/{version.pk}/restore/", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert response.status_code == 400 and "Idempotency-Key" in response.json()


# --- rates ------------------------------------------------------------------------------------


def test_writes_are_limited_per_person(client_for, bob, journey_map, stages, lanes, rates):
    rates(user_write="3/min")
    client = client_for(bob)

    statuses = [add_card(client, journey_map, stages, lanes).status_code for _ in range(4)]
    refused = add_card(client, journey_map, stages, lanes)

    assert statuses == [201, 201, 201, 429]
    assert int(refused["Retry-After"]) > 0
    assert client.get(f"/api/maps/{journey_map.pk}/").status_code == 200  # reads go on
    event = AuditEvent.objects.get(kind=AuditKind.THROTTLED)
    assert (event.user, event.method) == (bob, "POST")


def test_writes_are_limited_per_address_whoever_sends_them(
    client_for, alice, bob, journey_map, stages, lanes, rates
):
    rates(ip_write="3/min")

    first = [add_card(client_for(alice), journey_map, stages, lanes).status_code for _ in "ab"]
    then = [add_card(client_for(bob), journey_map, stages, lanes).status_code for _ in "ab"]
    elsewhere = add_card(client_for(bob), journey_map, stages, lanes, address="198.51.100.4")

    assert first + then == [201, 201, 201, 429]
    assert elsewhere.status_code == 201


def test_exports_are_limited_per_person(client_for, carol, journey_map, rates):
    rates(user_export="2/min")
    client = client_for(carol)

    statuses = [client.get(f"/api/maps/{journey_map.pk}/export.json").status_code for _ in "abc"]

    assert statuses == [200, 200, 429]


def test_imports_are_limited_per_person(client_for, bob, journey_map, rates):
    rates(user_import="1/min")
    client = client_for(bob)

    def preview():
        upload = SimpleUploadedFile("a.csv", b"question,answer\nWhy?,Price\n", "text/csv")
        url = f"/api/maps/{journey_map.pk}/evidence/import/preview/"
        return client.post(url, {"file": upload}, format="multipart").status_code

    assert [preview(), preview()] == [200, 429]


def test_guests_joining_are_limited_per_address(client, alice, workshop, rates):
    rates(ip_join="2/hour")
    invite = invites.invite_create(actor=alice, workshop=workshop, role="viewer", expires="7d")

    def join(name):
        guest = APIClient()  # a new browser each time: nobody is logged in
        url = f"/join/{invite.token}/guest/"
        return guest.post(url, {"display_name": name}).status_code

    statuses = [join(name) for name in ("Ann", "Ben", "Cy")]

    assert statuses == [302, 302, 429]
    assert Membership.objects.filter(workshop=workshop, user__guest__isnull=False).count() == 2


# --- headers ----------------------------------------------------------------------------------


def test_api_answers_are_never_stored(client_for, bob, journey_map):
    answers = [
        client_for(bob).get(f"/api/maps/{journey_map.pk}/"),
        client_for(None).get("/api/workshops/"),
        client_for(bob).get("/api/no-such-thing/"),
    ]

    assert [answer["Cache-Control"] for answer in answers] == ["no-store"] * 3


@pytest.mark.parametrize("path", ["/api/workshops/", "/accounts/login/", "/source/", "/healthz"])
def test_every_answer_carries_a_permissions_policy(client, db, path):
    policy = client.get(path)["Permissions-Policy"]

    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


# --- members ----------------------------------------------------------------------------------


def add_member(client, workshop, username):
    return client.post(
        f"/api/workshops/{workshop.pk}/members/",
        {"username": username, "role": "viewer"},
        format="json",
    )


def test_adding_a_stranger_answers_as_adding_nobody(client_for, alice, mallory, workshop):
    stranger = add_member(client_for(alice), workshop, "mallory")
    nobody = add_member(client_for(alice), workshop, "no-such-account")

    assert stranger.status_code == nobody.status_code == 400
    assert stranger.json() == nobody.json()
    assert "invite link" in stranger.json()["username"][0]
    assert not workshop.memberships.filter(user=mallory).exists()


def test_someone_you_work_with_elsewhere_is_added(client_for, alice, mallory, workshop):
    theirs = services.workshop_create(actor=mallory, name="Mallory's team")
    services.membership_set(actor=mallory, workshop=theirs, user=alice, role="editor")

    response = add_member(client_for(alice), workshop, "mallory")

    assert response.status_code == 201
    assert workshop.memberships.get(user=mallory).role == "viewer"


def test_staff_add_anyone(client_for, alice, mallory, workshop):
    alice.is_staff = True
    alice.save()

    assert add_member(client_for(alice), workshop, "mallory").status_code == 201


# --- the schema -------------------------------------------------------------------------------


def test_the_schema_settings_name_every_kind_of_evidence(settings):
    # SPECTACULAR_SETTINGS names one enum per kind from EVIDENCE_KINDS, which settings cannot
    # import from evidence.models.
    assert list(settings.EVIDENCE_KINDS) == list(Kind.values)


@pytest.mark.parametrize("compare", [str(HUGE), "²"])
def test_a_pdf_compared_with_an_id_that_cannot_be_one_is_refused(
    client_for, bob, journey_map, compare
):
    response = client_for(bob).get(f"/api/maps/{journey_map.pk}/export.pdf", {"compare": compare})

    assert response.status_code == 400 and "compare" in response.json()
