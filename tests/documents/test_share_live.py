"""A share link's page kept up to date (documents/web/share.py, static/js/share-live.js): the
page asks for the board again with the revision it has; nothing comes back while the map is
unchanged, the board as the link shows it once it changed, and nothing at all once the link
ended. A link that follows the presentation also carries the stage a facilitator presents."""

import json
import re

import pytest
from django.test import Client

from documents.sharing import links
from workshops import services
from workshops.services import facilitation, voting

pytestmark = pytest.mark.django_db

SECRET_TEXT = "PSST-nobody-else-may-read-this"


def board_url(alice, journey_map, **options) -> str:
    _, token = links.share_link_create(actor=alice, map=journey_map, **options)
    return f"/share/{token}/board.json"


def revision_of(journey_map) -> int:
    journey_map.refresh_from_db()
    return journey_map.revision


def test_an_unchanged_map_answers_with_nothing(alice, journey_map, card):
    url = board_url(alice, journey_map)

    answer = Client().get(f"{url}?revision={revision_of(journey_map)}")

    assert (answer.status_code, answer.content) == (204, b"")
    assert answer["Cache-Control"] == "no-store"
    assert answer["Referrer-Policy"] == "no-referrer"


def test_a_changed_map_answers_with_the_board_as_the_link_shows_it(
    alice, journey_map, stages, lanes, card
):
    url = board_url(alice, journey_map)
    had = revision_of(journey_map)
    services.card_create(
        actor=alice,
        map=journey_map,
        stage_id=stages[3].pk,
        lane_id=lanes["pain_points"].pk,
        text="Delivery slots run out",
    )

    answer = Client().get(f"{url}?revision={had}")

    assert answer.status_code == 200
    body = answer.json()
    assert body["board"]["revision"] == revision_of(journey_map)
    assert "Delivery slots run out" in [c["text"] for c in body["board"]["cards"]]
    assert body["pieces"] == {}
    assert "controls" not in body["board"]


def test_a_private_card_does_not_come_with_a_newer_board(alice, bob, journey_map, stages, lanes):
    url = board_url(alice, journey_map)
    voting.private_start(actor=alice, map=journey_map)
    had = revision_of(journey_map)

    services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[1].pk,
        lane_id=lanes["thoughts"].pk,
        text=SECRET_TEXT,
    )

    answer = Client().get(f"{url}?revision={had}")
    assert answer.status_code == 200  # a revision passed, as everyone on the board may know
    assert SECRET_TEXT not in answer.text


def test_an_ended_link_gives_no_board(alice, journey_map, card):
    link, token = links.share_link_create(actor=alice, map=journey_map)
    links.share_link_revoke(actor=alice, link=link)

    for query in ("", f"?revision={revision_of(journey_map)}"):
        answer = Client().get(f"/share/{token}/board.json{query}")
        assert (answer.status_code, answer.content) == (404, b"")


@pytest.mark.parametrize("revision", ["seven", "-1", "1.5"])
def test_a_revision_that_is_not_a_whole_number_is_refused(alice, journey_map, revision):
    answer = Client().get(f"{board_url(alice, journey_map)}?revision={revision}")

    assert answer.status_code == 400
    assert answer.content.decode().startswith("revision:")


def test_a_link_that_follows_the_presentation_carries_the_stage_presented(
    alice, journey_map, stages
):
    following = board_url(alice, journey_map, follow_present=True)
    not_following = board_url(alice, journey_map)

    assert Client().get(following).json()["board"]["controls"] == {"present": None}
    facilitation.present_start(actor=alice, map=journey_map, stage_id=stages[2].pk)

    presented = Client().get(following).json()["board"]
    assert presented["controls"] == {"present": {"stage": stages[2].pk}}
    assert "controls" not in Client().get(not_following).json()["board"]


def test_a_page_that_follows_the_presentation_opens_at_the_stage_presented(
    alice, journey_map, stages
):
    facilitation.present_start(actor=alice, map=journey_map, stage_id=stages[1].pk)
    page = Client().get(
        board_url(alice, journey_map, follow_present=True).removesuffix("board.json")
    )

    found = re.search(r'<script id="share-board" type="application/json">(.*?)</script>', page.text)
    assert json.loads(found.group(1))["controls"] == {"present": {"stage": stages[1].pk}}
    assert 'data-board-url="/share/' in page.text
