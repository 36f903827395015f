"""The mail to a member mentioned in a comment: sent by the real worker to a real SMTP server,
once, only to people who may read the comment (a private card's waits for the reveal)."""

import email
from email import policy

import pytest

from workshops import services
from workshops.models import Mention
from workshops.services import comments, voting

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def addresses(alice, carol):
    for person, address in ((alice, "alice@shop.example"), (carol, "carol@shop.example")):
        person.email = address
        person.save()


def mails(inbox) -> list:
    return [
        email.message_from_bytes(envelope.content, policy=policy.default)
        for envelope in inbox.envelopes
    ]


def test_a_mentioned_member_gets_a_mail(smtp_server, run_tasks, addresses, bob, journey_map, card):
    comments.comment_create(
        actor=bob, map=journey_map, card_id=card.pk, text="@alice is this the wishlist habit?"
    )

    run_tasks()

    (mail,) = mails(smtp_server)
    assert mail["To"] == "alice@shop.example"
    assert mail["Subject"] == "Bob mentioned you on “Online shopping”"
    body = mail.get_content()
    assert "is this the wishlist habit?" in body and "Adds items to the cart" in body
    assert f"/maps/{journey_map.pk}/" in body


def test_a_mention_is_mailed_once_though_the_comment_is_edited(
    smtp_server, run_tasks, addresses, bob, journey_map, card
):
    event = comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="@alice")
    run_tasks()

    comments.comment_update(
        actor=bob,
        map=journey_map,
        comment_id=event.payload["comment"]["id"],
        text="@alice and @carol",
    )
    run_tasks()

    assert sorted(mail["To"] for mail in mails(smtp_server)) == [
        "alice@shop.example",
        "carol@shop.example",
    ]


def test_someone_without_an_address_gets_no_mail(smtp_server, run_tasks, bob, journey_map, card):
    comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="@alice")

    run_tasks()

    assert smtp_server.envelopes == []
    assert Mention.objects.get().mailed_at is None


def test_a_mention_on_a_private_card_is_mailed_at_the_reveal(
    smtp_server, run_tasks, addresses, alice, bob, journey_map, stages, lanes
):
    voting.private_start(actor=alice, map=journey_map)
    card = services.card_create(
        actor=bob, map=journey_map, stage_id=stages[0].pk, lane_id=lanes["actions"].pk, text="Me"
    ).payload["card"]["id"]
    comments.comment_create(actor=bob, map=journey_map, card_id=card, text="@alice PSST")
    run_tasks()
    assert smtp_server.envelopes == []

    voting.private_reveal(actor=alice, map=journey_map)
    run_tasks()

    (mail,) = mails(smtp_server)
    assert "PSST" in mail.get_content()
