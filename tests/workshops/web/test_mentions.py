"""The page of one's mentions: the comments that name them, each linked to its thread."""

import pytest

from workshops.services import comments, voting

pytestmark = pytest.mark.django_db


def test_the_mentions_page_shows_them_with_a_link_to_the_thread(
    client, alice, bob, journey_map, card
):
    comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="@alice look")
    client.force_login(alice)

    page = client.get("/mentions/").content.decode()

    assert "@alice look" in page
    assert f"/maps/{journey_map.pk}/?comments=card-{card.pk}" in page


def test_a_mention_on_a_private_card_waits_for_the_reveal(
    client, alice, bob, journey_map, stages, lanes
):
    from workshops import services

    voting.private_start(actor=alice, map=journey_map)
    card = services.card_create(
        actor=bob, map=journey_map, stage_id=stages[0].pk, lane_id=lanes["actions"].pk, text="Me"
    ).payload["card"]["id"]
    comments.comment_create(actor=bob, map=journey_map, card_id=card, text="@alice PSST")
    client.force_login(alice)

    assert "PSST" not in client.get("/mentions/").content.decode()
    voting.private_reveal(actor=alice, map=journey_map)
    assert "PSST" in client.get("/mentions/").content.decode()
