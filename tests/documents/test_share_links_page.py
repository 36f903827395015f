"""The facilitators' page of share links (documents/web/share_links.py) and the links to it."""

import re

import pytest
from django.test import Client

from documents.models import ShareLink
from documents.sharing import links

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(journey_map) -> str:
    return f"/maps/{journey_map.pk}/share/"


def test_a_facilitator_makes_a_link_on_the_page_and_sees_it_once(alice, journey_map):
    client = logged_in(alice)

    made = client.post(
        page_of(journey_map),
        {
            "label": "Leadership offsite",
            "expires": "7d",
            "include_evidence": "on",
            "follow_present": "on",
        },
    )

    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    (url,) = re.findall(r'value="(http://testserver/share/[\w-]+/)"', made.text)
    link = ShareLink.objects.get()
    assert (link.label, link.include_evidence, link.allow_png, link.follow_present) == (
        "Leadership offsite",
        True,
        False,
        True,
    )
    assert Client().get(url).status_code == 200
    again = client.get(page_of(journey_map))
    assert "Leadership offsite" in again.text
    assert "follows your presentation" in again.text
    assert url not in again.text


def test_a_facilitator_revokes_a_link_on_the_page(alice, journey_map):
    link, token = links.share_link_create(actor=alice, map=journey_map, label="Board")

    answer = logged_in(alice).post(f"{page_of(journey_map)}{link.pk}/revoke/", follow=True)

    assert "Revoked the link “Board”" in answer.text
    assert not ShareLink.objects.exists()
    assert Client().get(f"/share/{token}/").status_code == 404


def test_a_refused_expiry_says_why_on_the_form(alice, journey_map):
    answer = logged_in(alice).post(page_of(journey_map), {"expires": "forever"})

    assert answer.status_code == 400
    assert "Select a valid choice" in answer.text
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("member, status", [("bob", 403), ("carol", 403), ("mallory", 404)])
def test_only_facilitators_reach_the_page(request, alice, journey_map, member, status):
    link, _ = links.share_link_create(actor=alice, map=journey_map)
    client = logged_in(request.getfixturevalue(member))

    assert client.get(page_of(journey_map)).status_code == status
    assert client.post(page_of(journey_map), {"expires": "1d"}).status_code == status
    assert client.post(f"{page_of(journey_map)}{link.pk}/revoke/").status_code == status
    assert ShareLink.objects.count() == 1


def test_the_board_links_facilitators_to_the_page_and_everyone_to_the_picture(
    alice, carol, journey_map
):
    facilitator = logged_in(alice).get(f"/maps/{journey_map.pk}/").text
    viewer = logged_in(carol).get(f"/maps/{journey_map.pk}/").text

    assert f'href="{page_of(journey_map)}"' in facilitator
    assert f'href="{page_of(journey_map)}"' not in viewer
    picture = f'href="/api/maps/{journey_map.pk}/export.png?width=2000"'
    assert picture in facilitator and picture in viewer
