"""A share link opened by someone logged out (documents/web/share.py): the map read-only, and
never a private card before its reveal, an open vote's dots, a member's name or address; the
evidence only when the link shows it; the same empty 404 for every link that is not there; no
indexing, no cookie, a rate per address, the Content Security Policy kept."""

import io
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from documents.models import ShareLink
from documents.sharing import links
from evidence import services as evidence
from workshops import services
from workshops.models import Card
from workshops.services import voting

pytestmark = pytest.mark.django_db

SECRET_TEXT = "PSST-nobody-else-may-read-this"


def share(alice, journey_map, **options) -> str:
    """The page of a new link to the map."""
    _, token = links.share_link_create(actor=alice, map=journey_map, **options)
    return f"/share/{token}/"


def embedded(response, name: str):
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', response.text)
    return json.loads(found.group(1))


def png_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), "orange").save(buffer, "PNG")
    return SimpleUploadedFile("heatmap.png", buffer.getvalue(), "image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def addresses(alice, bob, carol):
    for user in (alice, bob, carol):
        user.email = f"{user.username}@example.com"
        user.save()


def test_a_logged_out_reader_sees_the_map(alice, journey_map, stages, lanes, card):
    page = Client().get(share(alice, journey_map))

    assert page.status_code == 200
    board = embedded(page, "share-board")
    assert board["title"] == "Online shopping"
    assert [stage["title"] for stage in board["stages"]] == [stage.title for stage in stages]
    assert {lane["kind"] for lane in board["lanes"]} == set(lanes)
    assert [c["text"] for c in board["cards"]] == ["Adds items to the cart"]
    assert 'src="/static/js/share-board.js"' in page.text


def test_a_private_card_does_not_show_before_its_reveal(alice, bob, journey_map, stages, lanes):
    voting.private_start(actor=alice, map=journey_map)
    services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[1].pk,
        lane_id=lanes["thoughts"].pk,
        text=SECRET_TEXT,
    )
    url = share(alice, journey_map)

    assert SECRET_TEXT not in Client().get(url).text
    voting.private_reveal(actor=alice, map=journey_map)
    assert SECRET_TEXT in Client().get(url).text


def test_an_open_vote_shows_no_dots(alice, bob, journey_map, stages, lanes):
    pain = services.card_create(
        actor=alice,
        map=journey_map,
        stage_id=stages[1].pk,
        lane_id=lanes["pain_points"].pk,
        text="Shipping costs hidden",
    )
    vote = voting.vote_open(actor=alice, map=journey_map, dots_per_person=3)
    url = share(alice, journey_map)
    before = embedded(Client().get(url), "share-board")

    round_id = vote.payload["vote"]["round"]
    card_id = pain.payload["card"]["id"]
    voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=card_id)

    after = embedded(Client().get(url), "share-board")

    moving = ("revision", "updated_at")
    assert {k: v for k, v in after.items() if k not in moving} == {
        k: v for k, v in before.items() if k not in moving
    }
    assert "vote" not in after and "dots" not in json.dumps(after)


def test_no_member_is_named_nor_their_address_given(
    alice, bob, journey_map, stages, lanes, card, addresses
):
    evidence.evidence_attach(
        actor=bob, map=journey_map, kind="metric", stage_id=stages[0].pk, name="Sign-ups", value=3
    )
    page = Client().get(share(alice, journey_map, include_evidence=True))

    for name in ("alice", "bob", "carol", "Alice", "Bob", "Carol", "@example.com"):
        assert not re.search(rf"\b{re.escape(name)}\b", page.text), name
    assert "Retail journeys" not in page.text  # the workshop is not shared, only its map
    assert "author" not in page.text and "added_by" not in page.text


def test_the_evidence_shows_only_when_the_link_includes_it(alice, bob, journey_map, stages):
    evidence.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="quote",
        stage_id=stages[2].pk,
        text="I keep the cart as my wishlist",
    )
    without = Client().get(share(alice, journey_map))
    included = Client().get(share(alice, journey_map, include_evidence=True))

    assert "wishlist" not in without.text
    assert "evidence" not in embedded(without, "share-board")
    assert embedded(without, "share-evidence") == {}
    board = embedded(included, "share-board")
    assert board["evidence"]["stages"][str(stages[2].pk)]["qualitative"] == 1
    (quote,) = embedded(included, "share-evidence")[str(stages[2].pk)]
    assert quote["text"] == "I keep the cart as my wishlist"


def test_evidence_pictures_come_through_the_link_only_when_it_shows_evidence(
    alice, bob, journey_map, stages, media
):
    evidence.evidence_attach(
        actor=bob, map=journey_map, kind="image", stage_id=stages[0].pk, image=png_upload()
    )
    with_evidence = share(alice, journey_map, include_evidence=True)
    (piece,) = embedded(Client().get(with_evidence), "share-evidence")[str(stages[0].pk)]
    assert piece["thumbnail_url"].startswith(with_evidence)

    picture = Client().get(piece["thumbnail_url"])
    assert picture.status_code == 200
    assert picture["Content-Type"].startswith("image/")
    other_link = share(alice, journey_map).rstrip("/")
    same_piece = piece["thumbnail_url"].replace(with_evidence.rstrip("/"), other_link)
    assert Client().get(same_piece).status_code == 404


def test_a_picture_on_a_private_card_does_not_come_through(alice, bob, journey_map, card, media):
    evidence.evidence_attach(
        actor=bob, map=journey_map, kind="image", card_id=card.pk, image=png_upload()
    )
    # As an undo during private brainstorming leaves it: a private card with its evidence back.
    Card.objects.filter(pk=card.pk).update(private=True)
    piece = journey_map.evidence.get()
    url = share(alice, journey_map, include_evidence=True)

    assert embedded(Client().get(url), "share-evidence") == {}
    assert Client().get(f"{url}images/{piece.pk}/thumbnail").status_code == 404


def ended_links(alice, journey_map) -> list[str]:
    revoked = share(alice, journey_map)
    ShareLink.objects.filter(pk=ShareLink.objects.get().pk).delete()
    expired = share(alice, journey_map)
    ShareLink.objects.update(expires_at=timezone.now())
    wrong = "/share/" + "A" * 43 + "/"
    malformed = "/share/not-a-token/"
    return [revoked, expired, wrong, malformed]


def test_revoked_expired_and_wrong_links_answer_the_same_empty_404(alice, journey_map, card):
    answers = [Client().get(url) for url in ended_links(alice, journey_map)]

    assert [answer.status_code for answer in answers] == [404] * 4
    assert {answer.content for answer in answers} == {b""}
    assert len({tuple(sorted(answer.headers.items())) for answer in answers}) == 1


def test_an_ended_link_gives_no_picture_either(alice, journey_map, card):
    for url in ended_links(alice, journey_map):
        answer = Client().get(f"{url}map.png")
        assert (answer.status_code, answer.content) == (404, b"")


def test_share_pages_are_not_for_search_engines(alice, journey_map):
    url = share(alice, journey_map)
    page = Client().get(url)
    missing = Client().get("/share/" + "A" * 43 + "/")

    assert '<meta name="robots" content="noindex, nofollow">' in page.text
    for answer in (page, missing):
        assert answer["X-Robots-Tag"] == "noindex, nofollow"
        assert answer["Cache-Control"] == "no-store"
        assert answer["Referrer-Policy"] == "no-referrer"


def test_share_pages_set_no_cookie_for_visitors_nor_members(alice, carol, journey_map, card):
    url = share(alice, journey_map)
    member = Client()
    member.force_login(carol)
    member.get("/")  # a session and a CSRF token of their own, as a browser has

    for client in (Client(), member):
        for path in (url, f"{url}map.png?width=400", "/share/" + "A" * 43 + "/"):
            answer = client.get(path)
            assert not answer.cookies, (path, answer.cookies)
            assert "Set-Cookie" not in answer.headers


def test_the_share_page_keeps_the_content_security_policy(alice, journey_map, card):
    page = Client().get(share(alice, journey_map, include_evidence=True))

    assert "script-src 'self'" in page["Content-Security-Policy"]
    for script in re.findall(r"<script\b[^>]*>", page.text):
        assert 'type="application/json"' in script or "src=" in script, script
    assert "<style" not in page.text
    assert not re.search(r"\sstyle=", page.text)
    assert not re.search(r"\son[a-z]+=", page.text)


def test_an_address_may_open_share_links_only_so_often(settings, alice, journey_map):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "ip_share": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    url = share(alice, journey_map)
    client = Client()

    statuses = [client.get(path).status_code for path in (url, "/share/x/", url)]
    over = client.get(url)

    assert statuses == [200, 404, 200]
    assert over.status_code == 429
    assert int(over["Retry-After"]) > 0
    assert over["X-Robots-Tag"] == "noindex, nofollow"
    other_address = Client(REMOTE_ADDR="10.0.0.2").get(url)
    assert other_address.status_code == 200


def test_nothing_on_the_page_edits_or_joins_the_board(alice, journey_map, card):
    page = Client().get(share(alice, journey_map))

    assert "/ws/" not in page.text
    assert "<form" not in page.text
    assert "/static/js/board.js" not in page.text  # the live board's script, with its socket
