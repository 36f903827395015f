"""Invite links and guests: a facilitator hands out a link with a role and an expiry; people
with an account join by it, people without one join as guests by name, for that workshop alone
and for as long as the link lives."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cjm.asgi import application
from tests.live import headers_for, next_of, open_board
from workshops import services
from workshops.access import GUEST_ENDED, map_for, role_of
from workshops.models import Guest, Invite, Membership, Role
from workshops.realtime.consumer import MapConsumer
from workshops.services import invites
from workshops.services.invites import InviteEnded

NOW = timezone.now()


@pytest.fixture
def invite(alice, workshop):
    return invites.invite_create(actor=alice, workshop=workshop, role=Role.EDITOR, expires="7d")


@pytest.fixture
def viewer_invite(alice, workshop):
    return invites.invite_create(actor=alice, workshop=workshop, role=Role.VIEWER, expires="1d")


@pytest.fixture
def dana(invite):
    """A guest who joined by the editor link."""
    return invites.guest_join(invite=invite, display_name="  Dana ").user


@pytest.fixture
def other_workshop(mallory):
    return services.workshop_create(actor=mallory, name="Insurer journeys")


def later(delta):
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + delta)


def client_as(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- creating and revoking links ------------------------------------------------------------


def test_facilitator_creates_a_link_with_role_and_expiry(alice, workshop):
    invite = invites.invite_create(
        actor=alice, workshop=workshop, role=Role.VIEWER, expires="7d", now=NOW
    )
    assert invite.role == Role.VIEWER
    assert invite.expires_at == NOW + timedelta(days=7)
    assert invite.created_by == alice
    assert len(invite.token) >= 40
    assert invites.invite_state(invite) == "active"


def test_links_have_tokens_nobody_can_guess_twice(alice, workshop):
    tokens = {
        invites.invite_create(actor=alice, workshop=workshop, role=Role.EDITOR, expires="1h").token
        for _ in range(5)
    }
    assert len(tokens) == 5


def test_expiry_may_be_a_moment_within_thirty_days(alice, workshop):
    moment = NOW + timedelta(days=3, hours=2)
    invite = invites.invite_create(
        actor=alice, workshop=workshop, role=Role.EDITOR, expires=moment, now=NOW
    )
    assert invite.expires_at == moment


@pytest.mark.parametrize("role", ["owner", Role.FACILITATOR, ""])
def test_link_refuses_a_role_other_than_editor_or_viewer(alice, workshop, role):
    with pytest.raises(ValidationError) as refusal:
        invites.invite_create(actor=alice, workshop=workshop, role=role, expires="1d")
    assert "role" in refusal.value.message_dict
    assert not Invite.objects.exists()


@pytest.mark.parametrize(
    "expires, message",
    [
        (NOW - timedelta(minutes=1), "must be in the future"),
        (NOW, "must be in the future"),
        (NOW + timedelta(days=31), "at most 30 days"),
        ("2w", "Choose one of"),
        (None, "Choose one of"),
    ],
)
def test_link_refuses_a_bad_expiry(alice, workshop, expires, message):
    with pytest.raises(ValidationError) as refusal:
        invites.invite_create(
            actor=alice, workshop=workshop, role=Role.EDITOR, expires=expires, now=NOW
        )
    assert message in refusal.value.message_dict["expires"][0]
    assert not Invite.objects.exists()


def test_editor_cannot_create_a_link(bob, workshop):
    with pytest.raises(PermissionDenied):
        invites.invite_create(actor=bob, workshop=workshop, role=Role.VIEWER, expires="1d")


def test_outsider_cannot_create_a_link(mallory, workshop):
    with pytest.raises(Http404):
        invites.invite_create(actor=mallory, workshop=workshop, role=Role.VIEWER, expires="1d")


def test_editor_cannot_revoke_a_link(bob, invite):
    with pytest.raises(PermissionDenied):
        invites.invite_revoke(actor=bob, invite=invite)
    invite.refresh_from_db()
    assert invite.revoked_at is None


def test_revoking_twice_keeps_the_first_moment(alice, invite):
    first = invites.invite_revoke(actor=alice, invite=invite, now=NOW).revoked_at
    again = invites.invite_revoke(actor=alice, invite=invite, now=NOW + timedelta(hours=1))
    assert again.revoked_at == first == NOW


# --- joining with an account ----------------------------------------------------------------


def test_user_joins_by_link_with_its_role(mallory, invite, workshop):
    membership = invites.invite_accept(user=mallory, invite=invite)
    assert membership.role == Role.EDITOR
    assert role_of(mallory, workshop) == Role.EDITOR


def test_link_raises_a_lower_role(carol, invite, workshop):
    invites.invite_accept(user=carol, invite=invite)
    assert role_of(carol, workshop) == Role.EDITOR


@pytest.mark.parametrize("member, role", [("alice", Role.FACILITATOR), ("bob", Role.EDITOR)])
def test_link_never_demotes_a_member(request, viewer_invite, workshop, member, role):
    user = request.getfixturevalue(member)
    invites.invite_accept(user=user, invite=viewer_invite)
    assert role_of(user, workshop) == role


def test_expired_link_refuses_and_changes_nothing(mallory, invite, workshop):
    with pytest.raises(InviteEnded, match="expired"):
        invites.invite_accept(user=mallory, invite=invite, now=invite.expires_at)
    assert role_of(mallory, workshop) is None


def test_revoked_link_refuses_and_changes_nothing(alice, mallory, invite, workshop):
    invites.invite_revoke(actor=alice, invite=invite)
    with pytest.raises(InviteEnded, match="revoked"):
        invites.invite_accept(user=mallory, invite=invite)
    with pytest.raises(InviteEnded, match="revoked"):
        invites.guest_join(invite=invite, display_name="Eve")
    assert role_of(mallory, workshop) is None
    assert not Guest.objects.exists()


def test_anonymous_cannot_accept_a_link(invite):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        invites.invite_accept(user=AnonymousUser(), invite=invite)


# --- guests ---------------------------------------------------------------------------------


def test_guest_joins_by_name_as_a_member_of_that_workshop_only(dana, invite, workshop):
    guest = Guest.objects.get(user=dana)
    assert guest.display_name == dana.first_name == "Dana"
    assert guest.invite == invite
    assert not dana.has_usable_password()
    assert dana.username.startswith("guest-")
    assert list(Membership.objects.filter(user=dana).values_list("workshop", "role")) == [
        (workshop.pk, Role.EDITOR)
    ]


@pytest.mark.parametrize("name", ["", "   ", "x" * 51, None])
def test_guest_needs_a_name_of_1_to_50_characters(invite, name):
    with pytest.raises(ValidationError) as refusal:
        invites.guest_join(invite=invite, display_name=name)
    assert "display_name" in refusal.value.message_dict
    assert not Guest.objects.exists()
    assert not User.objects.filter(username__startswith="guest-").exists()


def test_guest_name_of_50_characters_is_fine(invite):
    assert invites.guest_join(invite=invite, display_name="x" * 50).display_name == "x" * 50


def test_expired_link_lets_no_guest_in(invite):
    with pytest.raises(InviteEnded):
        invites.guest_join(invite=invite, display_name="Dana", now=invite.expires_at)
    assert not Guest.objects.exists()


def test_guest_access_ends_when_the_link_expires(dana, invite, workshop, journey_map):
    assert role_of(dana, workshop) == Role.EDITOR
    with later(timedelta(days=8)):
        assert role_of(dana, workshop) is None
        with pytest.raises(PermissionDenied, match="guest access"):
            map_for(dana, journey_map.pk)


def test_guest_access_ends_when_the_link_is_revoked(alice, dana, invite, workshop, card):
    invites.invite_revoke(actor=alice, invite=invite)
    assert role_of(dana, workshop) is None
    with pytest.raises(PermissionDenied, match="guest access"):
        services.card_update(actor=dana, map=card.map, card_id=card.pk, text="Mine now")
    card.refresh_from_db()
    assert card.text == "Adds items to the cart"


def test_revoking_one_link_leaves_other_guests_and_members(
    alice, bob, dana, viewer_invite, workshop
):
    erin = invites.guest_join(invite=viewer_invite, display_name="Erin").user
    invites.invite_revoke(actor=alice, invite=viewer_invite)
    assert role_of(erin, workshop) is None
    assert role_of(dana, workshop) == Role.EDITOR
    assert role_of(bob, workshop) == Role.EDITOR


def test_guest_cannot_create_a_workshop(dana):
    with pytest.raises(PermissionDenied, match="sign up"):
        services.workshop_create(actor=dana, name="My own")


def test_guest_cannot_join_another_workshop_by_its_link(dana, mallory, other_workshop):
    elsewhere = invites.invite_create(
        actor=mallory, workshop=other_workshop, role=Role.EDITOR, expires="1d"
    )
    with pytest.raises(PermissionDenied, match="guest of “Retail journeys”"):
        invites.invite_accept(user=dana, invite=elsewhere)
    assert role_of(dana, other_workshop) is None


def test_guest_cannot_be_made_a_member_of_another_workshop(dana, mallory, other_workshop):
    with pytest.raises(ValidationError) as refusal:
        services.membership_set(actor=mallory, workshop=other_workshop, user=dana, role=Role.VIEWER)
    assert "another workshop" in refusal.value.message_dict["user"][0]
    assert role_of(dana, other_workshop) is None


def test_guest_cannot_be_made_a_facilitator(alice, dana, workshop):
    with pytest.raises(ValidationError):
        services.membership_set(actor=alice, workshop=workshop, user=dana, role=Role.FACILITATOR)
    assert role_of(dana, workshop) == Role.EDITOR


def test_facilitator_may_change_a_guests_role_or_remove_them(alice, dana, workshop):
    services.membership_set(actor=alice, workshop=workshop, user=dana, role=Role.VIEWER)
    assert role_of(dana, workshop) == Role.VIEWER
    services.membership_remove(actor=alice, workshop=workshop, user=dana)
    assert role_of(dana, workshop) is None


def test_guest_cannot_get_an_api_token(dana):
    for password in ("", "!", dana.password):
        response = Client().post(
            "/api/auth/token/", {"username": dana.username, "password": password}
        )
        assert response.status_code == 400


def test_guest_cannot_change_a_password(dana):
    response = client_as(dana).get(reverse("password_change"))
    assert response.status_code == 403
    assert "Guests have no password" in response.content.decode()


# --- pages ----------------------------------------------------------------------------------


def test_facilitator_creates_and_lists_links_on_the_workshop_page(alice, workshop):
    client = client_as(alice)
    response = client.post(
        reverse("workshop-invite-create", args=[workshop.pk]),
        {"role": "viewer", "expires": "1d"},
        follow=True,
    )
    invite = Invite.objects.get()
    page = response.content.decode()
    assert response.status_code == 200
    assert f"http://testserver/join/{invite.token}/" in page
    assert "Invite people" in page and "0 guests joined" in page
    assert invite.role == Role.VIEWER


def test_bad_link_form_is_shown_again_with_its_error(alice, workshop):
    response = client_as(alice).post(
        reverse("workshop-invite-create", args=[workshop.pk]),
        {"role": "facilitator", "expires": "1d"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Invite.objects.exists()


def test_only_facilitators_see_the_invite_section(bob, workshop, invite):
    page = client_as(bob).get(reverse("workshop-detail", args=[workshop.pk])).content.decode()
    assert "Invite people" not in page
    assert invite.token not in page


@pytest.mark.parametrize("who, status", [("bob", 403), ("mallory", 404)])
def test_others_cannot_create_or_revoke_links_by_page(request, workshop, invite, who, status):
    client = client_as(request.getfixturevalue(who))
    create = client.post(
        reverse("workshop-invite-create", args=[workshop.pk]), {"role": "viewer", "expires": "1d"}
    )
    revoke = client.post(reverse("workshop-invite-revoke", args=[workshop.pk, invite.pk]))
    assert (create.status_code, revoke.status_code) == (status, status)
    assert Invite.objects.count() == 1
    invite.refresh_from_db()
    assert invite.revoked_at is None


def test_facilitator_revokes_a_link_by_page(alice, workshop, invite):
    response = client_as(alice).post(
        reverse("workshop-invite-revoke", args=[workshop.pk, invite.pk]), follow=True
    )
    invite.refresh_from_db()
    assert invite.revoked_at is not None
    assert invite.token not in response.content.decode()


def test_join_page_offers_login_and_guest_form_to_visitors(invite):
    page = Client().get(reverse("join", args=[invite.token])).content.decode()
    assert "Retail journeys" in page and "editor" in page
    assert f"/accounts/login/?next=/join/{invite.token}/" in page
    assert 'name="display_name"' in page


def test_visitor_joins_as_guest_and_lands_on_the_workshop(invite, workshop):
    client = Client()
    response = client.post(
        reverse("join-guest", args=[invite.token]), {"display_name": "Dana"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("workshop-detail", args=[workshop.pk])
    page = response.content.decode()
    assert "Dana (guest)" in page
    assert "Change your password" not in page
    assert Guest.objects.get().display_name == "Dana"


def test_guest_session_ends_with_the_link(invite):
    client = Client()
    client.post(reverse("join-guest", args=[invite.token]), {"display_name": "Dana"})
    assert client.session.get_expiry_date() == invite.expires_at


def test_blank_guest_name_is_refused_on_the_page(invite):
    response = Client().post(reverse("join-guest", args=[invite.token]), {"display_name": "  "})
    assert response.status_code == 400
    assert "required" in response.content.decode()
    assert not Guest.objects.exists()


def test_logged_in_user_joins_with_one_button(mallory, invite, workshop):
    client = client_as(mallory)
    assert "Join as Mallory" in client.get(reverse("join", args=[invite.token])).content.decode()
    response = client.post(reverse("join", args=[invite.token]))
    assert response.url == reverse("workshop-detail", args=[workshop.pk])
    assert role_of(mallory, workshop) == Role.EDITOR


def test_logged_in_user_cannot_join_as_guest(mallory, invite):
    response = client_as(mallory).post(
        reverse("join-guest", args=[invite.token]), {"display_name": "Sneaky"}
    )
    assert response.status_code == 400
    assert not Guest.objects.exists()


@pytest.mark.parametrize("ending", ["expired", "revoked"])
def test_ended_link_page_says_so_with_410(alice, mallory, invite, workshop, ending):
    if ending == "revoked":
        invites.invite_revoke(actor=alice, invite=invite)
    with later(timedelta(days=8) if ending == "expired" else timedelta()):
        for client in (Client(), client_as(mallory)):
            for method in (client.get, client.post):
                response = method(reverse("join", args=[invite.token]))
                assert response.status_code == 410
                assert ending in response.content.decode()
        guest = Client().post(reverse("join-guest", args=[invite.token]), {"display_name": "D"})
        assert guest.status_code == 410
    assert role_of(mallory, workshop) is None
    assert not Guest.objects.exists()


def test_unknown_token_is_a_plain_404(mallory):
    assert Client().get("/join/no-such-token/").status_code == 404
    assert client_as(mallory).post("/join/no-such-token/").status_code == 404


def test_guest_opening_another_workshops_link_is_told_to_join_anew(dana, mallory, other_workshop):
    elsewhere = invites.invite_create(
        actor=mallory, workshop=other_workshop, role=Role.EDITOR, expires="1d"
    )
    client = client_as(dana)
    for method in (client.get, client.post):
        response = method(reverse("join", args=[elsewhere.token]))
        assert response.status_code == 403
        assert "Log out to join this one as a new guest" in response.content.decode()
    assert role_of(dana, other_workshop) is None


def test_guest_whose_link_was_revoked_is_told_on_the_board_page(alice, dana, invite, journey_map):
    invites.invite_revoke(actor=alice, invite=invite)
    response = client_as(dana).get(reverse("map-board", args=[journey_map.pk]))
    assert response.status_code == 403
    assert GUEST_ENDED in response.content.decode().replace("&#x27;", "'")


def test_guest_sees_no_new_workshop_form(dana):
    page = client_as(dana).get(reverse("workshop-list")).content.decode()
    assert "Retail journeys" in page
    assert "Create workshop" not in page


def test_members_list_marks_guests(alice, dana, workshop):
    page = client_as(alice).get(reverse("workshop-detail", args=[workshop.pk])).content.decode()
    assert "Dana" in page and "Guest</span>" in page
    assert f"@{dana.username}" not in page
    assert 'aria-label="Remove Dana (guest)"' in page
    guest_row = page[page.index(f'id="member-{dana.pk}"') :]
    guest_row = guest_row[: guest_row.index("</tr>")]
    assert 'value="facilitator"' not in guest_row and 'value="viewer"' in guest_row


# --- REST -----------------------------------------------------------------------------------


def test_api_creates_and_lists_links(alice, workshop, client_for):
    client = client_for(alice)
    created = client.post(
        f"/api/workshops/{workshop.pk}/invites/", {"role": "viewer", "expires": "1h"}, format="json"
    )
    assert created.status_code == 201
    invite = Invite.objects.get()
    assert created.json()["url"] == f"http://testserver/join/{invite.token}/"
    assert created.json()["state"] == "active" and created.json()["guests"] == 0
    listed = client.get(f"/api/workshops/{workshop.pk}/invites/").json()
    assert [item["id"] for item in listed] == [invite.pk]


def test_api_takes_an_expiry_moment(alice, workshop, client_for):
    moment = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = client_for(alice).post(
        f"/api/workshops/{workshop.pk}/invites/",
        {"role": "editor", "expires": moment.isoformat()},
        format="json",
    )
    assert response.status_code == 201
    assert Invite.objects.get().expires_at == moment


@pytest.mark.parametrize(
    "body, field",
    [
        ({"role": "owner", "expires": "1d"}, "role"),
        ({"role": "editor", "expires": "2000-01-01T00:00:00Z"}, "expires"),
        ({"role": "editor", "expires": "soon"}, "expires"),
        ({"role": "editor"}, "expires"),
        ({"role": "editor", "expires": "1d", "uses": 3}, "uses"),
    ],
)
def test_api_refuses_bad_links(alice, workshop, client_for, body, field):
    response = client_for(alice).post(f"/api/workshops/{workshop.pk}/invites/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Invite.objects.exists()


@pytest.mark.parametrize("who, status", [("bob", 403), ("carol", 403), ("mallory", 404)])
def test_api_links_are_for_facilitators(request, workshop, invite, client_for, who, status):
    client = client_for(request.getfixturevalue(who))
    base = f"/api/workshops/{workshop.pk}/invites/"
    assert client.get(base).status_code == status
    assert client.post(base, {"role": "viewer", "expires": "1d"}).status_code == status
    assert client.delete(f"{base}{invite.pk}/").status_code == status
    invite.refresh_from_db()
    assert invite.revoked_at is None and Invite.objects.count() == 1


def test_api_delete_revokes_and_keeps_the_record(alice, workshop, invite, dana, client_for):
    client = client_for(alice)
    url = f"/api/workshops/{workshop.pk}/invites/{invite.pk}/"
    assert client.delete(url).status_code == 204
    assert client.get(url).json()["state"] == "revoked"
    assert client.get(url).json()["guests"] == 1


def test_guest_api_access_ends_with_the_link(
    alice, dana, invite, workshop, journey_map, client_for
):
    client = client_for(dana)
    assert [w["id"] for w in client.get("/api/workshops/").json()] == [workshop.pk]
    assert client.get(f"/api/maps/{journey_map.pk}/").status_code == 200
    invites.invite_revoke(actor=alice, invite=invite)
    assert client.get("/api/workshops/").json() == []
    assert client.get("/api/maps/").json() == []
    response = client.get(f"/api/maps/{journey_map.pk}/")
    assert response.status_code == 403
    assert "guest access" in response.json()["detail"]


def test_workshop_list_still_answers_one_row_per_workshop(alice, workshop, dana, client_for):
    # The guest condition shares the membership join with the role annotation.
    rows = client_for(alice).get("/api/workshops/").json()
    assert [(row["id"], row["role"]) for row in rows] == [(workshop.pk, "facilitator")]


# --- the live board -------------------------------------------------------------------------


async def types_within(communicator, seconds):
    """The types of the messages that arrive within `seconds`."""
    types = set()
    while not await communicator.receive_nothing(timeout=seconds):
        output = await communicator.receive_output()
        types.add(json.loads(output["text"])["type"] if "text" in output else output["type"])
    return types


async def closed_with(communicator, timeout=1):
    """The close code, once everything sent before it has been read."""
    while True:
        output = await communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code")


live = pytest.mark.django_db(transaction=True)


@live
def test_removed_members_board_closes_and_hears_nothing_more(
    fresh_channel_layer, alice, bob, journey_map, stages, lanes
):
    async def scenario(headers):
        board, _ = await open_board(headers, journey_map.pk)
        await database_sync_to_async(services.membership_remove)(
            actor=alice, workshop=journey_map.workshop, user=bob
        )
        ended = await next_of(board, "access_ended")
        assert "ended" in ended["message"]
        assert await closed_with(board) == 4403
        await database_sync_to_async(services.card_create)(
            actor=alice,
            map=journey_map,
            stage_id=stages[0].pk,
            lane_id=lanes["actions"].pk,
            text="Said after Bob left",
        )
        assert "event" not in await types_within(board, 0.3)
        await board.disconnect()

    async_to_sync(scenario)(headers_for(bob))


@live
def test_revoked_guests_board_closes_and_others_stay(
    fresh_channel_layer, alice, invite, journey_map
):
    dana = invites.guest_join(invite=invite, display_name="Dana").user

    async def scenario(dana_headers, alice_headers):
        guest_board, _ = await open_board(dana_headers, journey_map.pk)
        alice_board, _ = await open_board(alice_headers, journey_map.pk)
        await database_sync_to_async(invites.invite_revoke)(actor=alice, invite=invite)
        await next_of(guest_board, "access_ended")
        assert await closed_with(guest_board) == 4403
        await alice_board.send_json_to({"type": "ping"})
        assert await next_of(alice_board, "pong")
        await guest_board.disconnect()
        await alice_board.disconnect()

    async_to_sync(scenario)(headers_for(dana), headers_for(alice))


@live
def test_revoked_guest_cannot_reconnect(fresh_channel_layer, alice, invite, journey_map):
    dana = invites.guest_join(invite=invite, display_name="Dana").user
    invites.invite_revoke(actor=alice, invite=invite)

    async def scenario(headers):
        communicator = WebsocketCommunicator(
            application, f"/ws/maps/{journey_map.pk}/", headers=headers
        )
        connected, _ = await communicator.connect()
        assert not connected
        await communicator.disconnect()

    async_to_sync(scenario)(headers_for(dana))


@live
def test_role_change_reaches_the_open_board(fresh_channel_layer, alice, bob, journey_map):
    async def scenario(headers):
        board, _ = await open_board(headers, journey_map.pk)
        await database_sync_to_async(services.membership_set)(
            actor=alice, workshop=journey_map.workshop, user=bob, role=Role.VIEWER
        )
        assert await next_of(board, "access_changed") == {
            "type": "access_changed",
            "role": "viewer",
        }
        await board.send_json_to({"type": "editing", "card": 1})
        assert (await next_of(board, "error"))["code"] == "forbidden"
        await board.disconnect()

    async_to_sync(scenario)(headers_for(bob))


@live
def test_guests_board_closes_when_the_link_expires(
    monkeypatch, fresh_channel_layer, invite, journey_map
):
    monkeypatch.setattr(MapConsumer, "tick_seconds", 0.05)
    dana = invites.guest_join(invite=invite, display_name="Dana").user

    async def scenario(headers):
        board, _ = await open_board(headers, journey_map.pk)
        await board.send_json_to({"type": "ping"})
        assert await next_of(board, "pong")  # still live before the expiry
        with later(timedelta(days=8)):
            await next_of(board, "access_ended")
            assert await closed_with(board) == 4403
        await board.disconnect()

    async_to_sync(scenario)(headers_for(dana))


# --- the admin ------------------------------------------------------------------------------


def test_admin_lists_links_without_tokens_and_revokes_through_the_service(invite, dana):
    root = User.objects.create_superuser("root", password="password")
    client = client_as(root)
    listing = client.get("/admin/workshops/invite/")
    assert listing.status_code == 200 and invite.token not in listing.content.decode()
    client.post("/admin/workshops/invite/", {"action": "revoke", "_selected_action": [invite.pk]})
    invite.refresh_from_db()
    assert invite.revoked_at is not None
    assert role_of(dana, invite.workshop) is None
