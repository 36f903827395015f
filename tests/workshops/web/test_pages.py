"""The server-rendered pages: accounts, the workshop list, the workshop page and its management
forms, the map page. The admin's tests are in tests/workshops/test_admin.py."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from workshops import services
from workshops.models import JourneyMap, Membership, Persona, Role, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def detail_url(workshop):
    return reverse("workshop-detail", args=[workshop.pk])


# --- accounts -------------------------------------------------------------------------------


def test_login_with_the_right_password_leads_to_the_workshop_list(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "password"})
    assert response.status_code == 302
    assert response.url == reverse("workshop-list")
    assert client.get(reverse("workshop-list")).context["user"] == alice


def test_login_with_a_wrong_password_says_so(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Please enter a correct username and password" in response.content.decode()


def test_pages_send_anonymous_visitors_to_login(client, workshop):
    response = client.get(detail_url(workshop))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_signup_creates_the_user_and_logs_them_in(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "dora",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert response.status_code == 302
    dora = User.objects.get(username="dora")
    assert client.session["_auth_user_id"] == str(dora.pk)


def test_signup_refuses_mismatched_passwords_next_to_the_field(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "dora",
            "password1": "a-long-pass-phrase-42",
            "password2": "something-else-42",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(username="dora").exists()


def test_logout_is_a_post(logged_in, alice):
    client = logged_in(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_page_renders(logged_in, alice):
    response = logged_in(alice).get(reverse("password_change"))
    assert response.status_code == 200
    assert "Change your password" in response.content.decode()


# --- the workshop list ----------------------------------------------------------------------


def test_workshop_list_shows_only_my_workshops(logged_in, alice, bob, workshop):
    services.workshop_create(actor=bob, name="Bob's private workshop")
    page = logged_in(alice).get(reverse("workshop-list")).content.decode()
    assert "Retail journeys" in page
    assert "Bob&#x27;s private workshop" not in page and "Bob's private workshop" not in page


def test_workshop_list_counts_every_member(logged_in, alice, workshop):
    response = logged_in(alice).get(reverse("workshop-list"))
    [listed] = response.context["workshops"]
    assert listed.member_count == 3
    assert listed.my_role == Role.FACILITATOR


def test_creating_a_workshop_makes_me_its_facilitator(logged_in, mallory):
    response = logged_in(mallory).post(reverse("workshop-list"), {"name": "Checkout study"})
    workshop = Workshop.objects.get(name="Checkout study")
    assert response.url == detail_url(workshop)
    assert Membership.objects.get(workshop=workshop, user=mallory).role == Role.FACILITATOR


def test_a_blank_workshop_name_is_refused_next_to_the_field(logged_in, mallory):
    response = logged_in(mallory).post(reverse("workshop-list"), {"name": "   "})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert not Workshop.objects.exists()


# --- the workshop page ----------------------------------------------------------------------


def test_workshop_page_lists_maps_personas_and_members(
    logged_in, alice, carol, workshop, journey_map
):
    services.persona_create(
        actor=alice, workshop=workshop, name="Hannah", segment="Repeat browsers"
    )
    page = logged_in(carol).get(detail_url(workshop)).content.decode()
    assert reverse("map-board", args=[journey_map.pk]) in page
    assert "Online shopping" in page
    assert "Hannah" in page and "Repeat browsers" in page
    for name in ("@alice", "@bob", "@carol"):
        assert name in page
    assert "Editor" in page and "Viewer" in page


def test_members_without_the_facilitator_role_see_no_management_forms(logged_in, bob, workshop):
    response = logged_in(bob).get(detail_url(workshop))
    page = response.content.decode()
    assert "map_form" not in response.context
    assert reverse("workshop-map-create", args=[workshop.pk]) not in page
    assert reverse("workshop-member-add", args=[workshop.pk]) not in page


def test_facilitator_sees_the_management_forms(logged_in, alice, workshop):
    page = logged_in(alice).get(detail_url(workshop)).content.decode()
    assert reverse("workshop-map-create", args=[workshop.pk]) in page
    assert reverse("workshop-persona-create", args=[workshop.pk]) in page
    assert reverse("workshop-member-add", args=[workshop.pk]) in page


def test_mallory_gets_404_for_the_workshop_page(logged_in, mallory, workshop):
    assert logged_in(mallory).get(detail_url(workshop)).status_code == 404


def test_mallory_gets_404_when_posting_to_a_workshop(logged_in, mallory, workshop):
    url = reverse("workshop-map-create", args=[workshop.pk])
    response = logged_in(mallory).post(
        url, {"title": "Sneaky", "template": "b2c", "state": "current"}
    )
    assert response.status_code == 404
    assert not workshop.maps.exists()


def test_facilitator_creates_a_map_from_the_b2b_template(logged_in, alice, workshop):
    persona = services.persona_create(actor=alice, workshop=workshop, name="Peter")
    response = logged_in(alice).post(
        reverse("workshop-map-create", args=[workshop.pk]),
        {
            "title": "Buying a policy",
            "template": "b2b",
            "persona": persona.pk,
            "state": "future",
        },
    )
    journey_map = JourneyMap.objects.get(title="Buying a policy")
    assert response.url == reverse("map-board", args=[journey_map.pk])
    assert [stage.title for stage in journey_map.stages.all()] == [
        "Awareness",
        "Research",
        "Demo",
        "Internal approval",
        "Purchase",
        "Onboarding",
        "Renewal",
    ]
    assert journey_map.persona == persona
    assert journey_map.state == "future"
    assert journey_map.events.get().type == "map.created"


def test_a_map_without_title_is_refused_next_to_the_field(logged_in, alice, workshop):
    response = logged_in(alice).post(
        reverse("workshop-map-create", args=[workshop.pk]),
        {"title": "", "template": "b2c", "state": "current"},
    )
    assert response.status_code == 400
    assert response.context["map_form"].errors["title"]
    assert not workshop.maps.exists()


def test_a_persona_of_another_workshop_is_refused(logged_in, alice, workshop):
    other = services.workshop_create(actor=alice, name="Other")
    stranger = services.persona_create(actor=alice, workshop=other, name="Stranger")
    response = logged_in(alice).post(
        reverse("workshop-map-create", args=[workshop.pk]),
        {
            "title": "Map",
            "template": "b2c",
            "state": "current",
            "persona": stranger.pk,
        },
    )
    assert response.status_code == 400
    assert response.context["map_form"].errors["persona"]
    assert not workshop.maps.exists()


@pytest.mark.parametrize("user", ["bob", "carol"])
def test_editors_and_viewers_cannot_create_maps(request, logged_in, workshop, user):
    response = logged_in(request.getfixturevalue(user)).post(
        reverse("workshop-map-create", args=[workshop.pk]),
        {"title": "Mine now", "template": "b2c", "state": "current"},
    )
    assert response.status_code == 403
    assert not workshop.maps.exists()


def test_viewer_post_to_manage_members_is_refused_and_changes_nothing(
    logged_in, carol, mallory, workshop
):
    client = logged_in(carol)
    responses = [
        client.post(
            reverse("workshop-member-add", args=[workshop.pk]),
            {"username": "mallory", "role": "facilitator"},
        ),
        client.post(
            reverse("workshop-member-role", args=[workshop.pk, carol.pk]), {"role": "facilitator"}
        ),
        client.post(reverse("workshop-persona-create", args=[workshop.pk]), {"name": "Hannah"}),
    ]
    assert [response.status_code for response in responses] == [403, 403, 403]
    assert dict(workshop.memberships.values_list("user__username", "role")) == {
        "alice": "facilitator",
        "bob": "editor",
        "carol": "viewer",
    }
    assert not Persona.objects.exists()


def test_facilitator_adds_a_persona(logged_in, alice, workshop):
    response = logged_in(alice).post(
        reverse("workshop-persona-create", args=[workshop.pk]),
        {"name": "Hannah", "segment": "Repeat browsers", "goals": "Fit"},
    )
    assert response.status_code == 302
    persona = workshop.personas.get()
    assert (persona.name, persona.segment, persona.goals) == ("Hannah", "Repeat browsers", "Fit")


def test_facilitator_adds_a_member_by_username(logged_in, alice, mallory, workshop):
    elsewhere = services.workshop_create(actor=mallory, name="Mallory's team")
    services.membership_set(actor=mallory, workshop=elsewhere, user=alice, role=Role.VIEWER)
    response = logged_in(alice).post(
        reverse("workshop-member-add", args=[workshop.pk]),
        {"username": "mallory", "role": "viewer"},
    )
    assert response.status_code == 302
    assert workshop.memberships.get(user=mallory).role == Role.VIEWER


def test_an_unknown_username_is_refused_next_to_the_field(logged_in, alice, workshop):
    response = logged_in(alice).post(
        reverse("workshop-member-add", args=[workshop.pk]), {"username": "nobody", "role": "viewer"}
    )
    assert response.status_code == 400
    assert "invite link" in response.context["member_form"].errors["username"][0]
    assert workshop.memberships.count() == 3


def test_adding_an_existing_member_does_not_change_their_role(logged_in, alice, bob, workshop):
    response = logged_in(alice).post(
        reverse("workshop-member-add", args=[workshop.pk]), {"username": "bob", "role": "viewer"}
    )
    assert response.status_code == 400
    assert response.context["member_form"].errors["username"]
    assert workshop.memberships.get(user=bob).role == Role.EDITOR


def test_facilitator_changes_a_role(logged_in, alice, carol, workshop):
    response = logged_in(alice).post(
        reverse("workshop-member-role", args=[workshop.pk, carol.pk]), {"role": "editor"}
    )
    assert response.status_code == 302
    assert workshop.memberships.get(user=carol).role == Role.EDITOR


def test_the_last_facilitator_cannot_step_down(logged_in, alice, workshop):
    response = logged_in(alice).post(
        reverse("workshop-member-role", args=[workshop.pk, alice.pk]), {"role": "viewer"}
    )
    assert response.status_code == 400
    user_id, errors = response.context["member_error"]
    assert user_id == alice.pk and "at least one facilitator" in errors[0]
    assert workshop.memberships.get(user=alice).role == Role.FACILITATOR


def test_facilitator_removes_a_member(logged_in, alice, bob, workshop):
    response = logged_in(alice).post(reverse("workshop-member-remove", args=[workshop.pk, bob.pk]))
    assert response.status_code == 302
    assert not workshop.memberships.filter(user=bob).exists()


def test_removing_someone_who_is_not_a_member_is_404(logged_in, alice, mallory, workshop):
    url = reverse("workshop-member-remove", args=[workshop.pk, mallory.pk])
    assert logged_in(alice).post(url).status_code == 404


def test_management_urls_refuse_get(logged_in, alice, workshop):
    url = reverse("workshop-map-create", args=[workshop.pk])
    assert logged_in(alice).get(url).status_code == 405


# --- the map page ---------------------------------------------------------------------------


def test_map_page_carries_the_whole_board(logged_in, carol, journey_map, stages):
    response = logged_in(carol).get(reverse("map-board", args=[journey_map.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Online shopping" in page
    for stage in stages:
        assert stage.title in page
    # The way back to the workshop.
    assert detail_url(journey_map.workshop) in page


def test_mallory_gets_404_for_the_map_page(logged_in, mallory, journey_map):
    assert logged_in(mallory).get(reverse("map-board", args=[journey_map.pk])).status_code == 404
