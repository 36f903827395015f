"""Share links through the API: facilitators make, list and revoke them; the token shows once;
nobody else may see or touch them (documents/api/share.py, documents/sharing/links.py)."""

import datetime

import pytest
from django.utils import timezone

from documents.models import ShareLink
from documents.sharing import links

pytestmark = pytest.mark.django_db


def url_of(journey_map, link_id=None) -> str:
    base = f"/api/maps/{journey_map.pk}/share-links/"
    return f"{base}{link_id}/" if link_id else base


def test_a_facilitator_makes_a_link_and_its_token_shows_once(alice, journey_map, client_for):
    client = client_for(alice)

    made = client.post(url_of(journey_map), {"label": "Board meeting"}, format="json")

    assert made.status_code == 201
    body = made.json()
    assert body["url"] == f"http://testserver/share/{body['token']}/"
    assert body["hint"] == body["token"][:6] + "…"
    assert (body["label"], body["state"]) == ("Board meeting", "active")
    assert (body["include_evidence"], body["allow_png"], body["follow_present"]) == (
        False,
        True,
        False,
    )
    listed = client.get(url_of(journey_map)).json()
    assert [entry["id"] for entry in listed] == [body["id"]]
    assert "token" not in listed[0] and "url" not in listed[0]


def test_only_the_tokens_hash_is_stored(alice, journey_map, client_for):
    body = client_for(alice).post(url_of(journey_map), {}, format="json").json()

    stored = ShareLink.objects.get(pk=body["id"])
    assert stored.token_hash == links.token_hash(body["token"])
    assert body["token"] not in str(ShareLink.objects.filter(pk=stored.pk).values().get())


def test_a_link_expires_after_thirty_days_unless_told_otherwise(alice, journey_map, client_for):
    client = client_for(alice)
    before = timezone.now()

    default = client.post(url_of(journey_map), {}, format="json").json()
    never = client.post(url_of(journey_map), {"expires": "never"}, format="json").json()

    expires = datetime.datetime.fromisoformat(default["expires_at"])
    assert datetime.timedelta(days=30) <= expires - before < datetime.timedelta(days=30, minutes=1)
    assert never["expires_at"] is None


@pytest.mark.parametrize(
    "expires, words",
    [
        ("2d", "Choose one of"),
        ("2020-01-01T00:00:00Z", "in the future"),
        ("2999-01-01T00:00:00Z", "at most a year"),
        ("tomorrow", "ISO 8601"),
    ],
)
def test_an_expiry_it_cannot_keep_is_refused(alice, journey_map, client_for, expires, words):
    answer = client_for(alice).post(url_of(journey_map), {"expires": expires}, format="json")

    assert answer.status_code == 400
    assert words in " ".join(answer.json()["expires"])
    assert not ShareLink.objects.exists()


def test_a_link_may_follow_the_presentation(alice, journey_map, client_for):
    answer = client_for(alice).post(url_of(journey_map), {"follow_present": True}, format="json")

    assert answer.json()["follow_present"] is True
    assert ShareLink.objects.get().follow_present


def test_a_label_past_its_length_is_refused(alice, journey_map, client_for):
    answer = client_for(alice).post(url_of(journey_map), {"label": "x" * 201}, format="json")

    assert answer.status_code == 400
    assert "label" in answer.json()


def test_a_facilitator_revokes_a_link_and_it_shows_nothing(alice, journey_map, client_for):
    client = client_for(alice)
    body = client.post(url_of(journey_map), {}, format="json").json()
    assert client_for(None).get(f"/share/{body['token']}/").status_code == 200

    revoked = client.delete(url_of(journey_map, body["id"]))

    assert revoked.status_code == 204
    assert client.get(url_of(journey_map)).json() == []
    assert client_for(None).get(f"/share/{body['token']}/").status_code == 404


@pytest.mark.parametrize("member", ["bob", "carol"])
def test_editors_and_viewers_may_not_see_or_touch_share_links(
    request, alice, journey_map, client_for, member
):
    link, _ = links.share_link_create(actor=alice, map=journey_map)
    client = client_for(request.getfixturevalue(member))

    assert client.get(url_of(journey_map)).status_code == 403
    assert client.post(url_of(journey_map), {}, format="json").status_code == 403
    assert client.delete(url_of(journey_map, link.pk)).status_code == 403
    assert ShareLink.objects.filter(pk=link.pk).exists()


def test_outsiders_are_told_nothing_of_share_links(alice, mallory, journey_map, client_for):
    link, _ = links.share_link_create(actor=alice, map=journey_map)
    client = client_for(mallory)

    assert client.get(url_of(journey_map)).status_code == 404
    assert client.post(url_of(journey_map), {}, format="json").status_code == 404
    assert client.delete(url_of(journey_map, link.pk)).status_code == 404
    assert client_for(None).get(url_of(journey_map)).status_code == 401


def test_a_link_of_another_map_is_not_found_here(alice, workshop, journey_map, client_for):
    from workshops import services

    other = services.map_create(actor=alice, workshop=workshop, title="Future state")
    theirs, _ = links.share_link_create(actor=alice, map=other)

    answer = client_for(alice).delete(url_of(journey_map, theirs.pk))

    assert answer.status_code == 404
    assert ShareLink.objects.filter(pk=theirs.pk).exists()


def test_an_expired_link_is_listed_as_expired(alice, journey_map, client_for):
    link, _ = links.share_link_create(actor=alice, map=journey_map, expires="1d")
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())

    (listed,) = client_for(alice).get(url_of(journey_map)).json()

    assert listed["state"] == "expired"


def test_a_map_holds_a_bounded_number_of_links(alice, journey_map, monkeypatch):
    from django.core.exceptions import ValidationError

    monkeypatch.setattr(links, "MOST_LINKS", 2)
    for _ in range(2):
        links.share_link_create(actor=alice, map=journey_map)

    with pytest.raises(ValidationError, match="revoke some first"):
        links.share_link_create(actor=alice, map=journey_map)
