"""Comments on cards and stages: who may write, edit, delete and resolve them, their mentions,
their history and undo, and their secrecy on private cards."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from workshops import history, services
from workshops.models import Comment, MapEvent, Mention, Role
from workshops.realtime.broadcast import event_message
from workshops.services import comments, voting
from workshops.services.mentions import names_in

pytestmark = pytest.mark.django_db


def comment_on(actor, journey_map, text, **place):
    event = comments.comment_create(actor=actor, map=journey_map, text=text, **place)
    return Comment.objects.get(pk=event.payload["comment"]["id"])


def refused_field(error) -> list[str]:
    return list(error.value.message_dict)


def test_an_editor_comments_on_a_card_and_everyone_gets_the_event(bob, journey_map, card):
    event = comments.comment_create(
        actor=bob, map=journey_map, card_id=card.pk, text="Is this the wishlist habit?"
    )

    assert event.type == "comment.created"
    assert event.payload["comment"]["card"] == card.pk
    assert event.payload["comment"]["author_name"] == "Bob"
    assert event.payload["open_comments"] == 1
    journey_map.refresh_from_db()
    assert journey_map.revision == event.revision


def test_a_stage_has_its_own_thread(alice, journey_map, stages):
    comment = comment_on(alice, journey_map, "Do we have GA4 data here?", stage_id=stages[2].pk)

    assert comment.stage == stages[2] and comment.card is None


def test_a_viewer_cannot_comment(carol, journey_map, card):
    with pytest.raises(PermissionDenied):
        comments.comment_create(actor=carol, map=journey_map, card_id=card.pk, text="Me too")
    assert not Comment.objects.exists()


def test_a_comment_over_its_length_is_refused_naming_text(bob, journey_map, card):
    with pytest.raises(ValidationError) as error:
        comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="x" * 2001)
    assert refused_field(error) == ["text"]
    assert "At most 2000 characters" in error.value.message_dict["text"][0]
    assert not Comment.objects.exists()


def test_a_blank_comment_is_refused(bob, journey_map, card):
    with pytest.raises(ValidationError) as error:
        comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="   ")
    assert refused_field(error) == ["text"]


def test_a_card_of_another_map_is_refused_naming_card(alice, bob, workshop, journey_map, card):
    other = services.map_create(actor=alice, workshop=workshop, title="Other", template="b2c")
    revision = other.revision

    with pytest.raises(ValidationError) as error:
        comments.comment_create(actor=bob, map=other, card_id=card.pk, text="Hello")

    assert error.value.message_dict == {"card": [f"No card {card.pk} on this map."]}
    other.refresh_from_db()
    assert other.revision == revision and not Comment.objects.exists()


def test_a_comment_is_on_a_card_or_a_stage_not_both(bob, journey_map, card, stages):
    with pytest.raises(ValidationError) as error:
        comments.comment_create(
            actor=bob, map=journey_map, card_id=card.pk, stage_id=stages[0].pk, text="Hi"
        )
    assert refused_field(error) == ["card"]


def test_only_its_author_edits_a_comment(alice, bob, journey_map, card):
    comment = comment_on(bob, journey_map, "Three visits before buying", card_id=card.pk)

    with pytest.raises(PermissionDenied, match="Only the author"):
        comments.comment_update(actor=alice, map=journey_map, comment_id=comment.pk, text="No")

    comment.refresh_from_db()
    assert comment.text == "Three visits before buying" and comment.edited_at is None


def test_its_author_edits_a_comment(bob, journey_map, card):
    comment = comment_on(bob, journey_map, "Three visits", card_id=card.pk)

    event = comments.comment_update(
        actor=bob, map=journey_map, comment_id=comment.pk, text="Three visits on average"
    )

    assert event.payload["comment"]["text"] == "Three visits on average"
    assert event.payload["comment"]["edited_at"]


def test_only_its_author_deletes_a_comment(alice, bob, journey_map, card):
    comment = comment_on(bob, journey_map, "Keep me", card_id=card.pk)

    with pytest.raises(PermissionDenied):
        comments.comment_delete(actor=alice, map=journey_map, comment_id=comment.pk)

    assert Comment.objects.filter(pk=comment.pk).exists()


def test_anyone_who_edits_resolves_and_reopens_a_comment(alice, bob, journey_map, card):
    comment = comment_on(bob, journey_map, "Check the funnel", card_id=card.pk)

    resolved = comments.comment_resolve(actor=alice, map=journey_map, comment_id=comment.pk)
    reopened = comments.comment_resolve(
        actor=bob, map=journey_map, comment_id=comment.pk, resolved=False
    )

    assert resolved.type == "comment.resolved"
    assert resolved.payload["comment"]["resolved_by_name"] == "Alice"
    assert resolved.payload["open_comments"] == 0
    assert reopened.type == "comment.reopened" and reopened.payload["open_comments"] == 1


def test_a_viewer_cannot_resolve_a_comment(bob, carol, journey_map, card):
    comment = comment_on(bob, journey_map, "Check the funnel", card_id=card.pk)

    with pytest.raises(PermissionDenied):
        comments.comment_resolve(actor=carol, map=journey_map, comment_id=comment.pk)


def test_resolving_a_resolved_comment_is_refused(alice, bob, journey_map, card):
    comment = comment_on(bob, journey_map, "Check the funnel", card_id=card.pk)
    comments.comment_resolve(actor=alice, map=journey_map, comment_id=comment.pk)

    with pytest.raises(ValidationError) as error:
        comments.comment_resolve(actor=bob, map=journey_map, comment_id=comment.pk)
    assert refused_field(error) == ["resolved"]


def test_a_comment_of_another_map_is_refused_naming_comment(alice, bob, workshop, card):
    comment = comment_on(bob, card.map, "Here", card_id=card.pk)
    other = services.map_create(actor=alice, workshop=workshop, title="Other")

    with pytest.raises(ValidationError) as error:
        comments.comment_resolve(actor=alice, map=other, comment_id=comment.pk)
    assert refused_field(error) == ["comment"]


# --- mentions -------------------------------------------------------------------------------


def test_a_mention_by_username_names_the_member(alice, bob, journey_map, card):
    comment = comment_on(bob, journey_map, "@alice can you check GA4?", card_id=card.pk)

    assert list(comment.mentions.values_list("user", flat=True)) == [alice.pk]


def test_a_mention_by_display_name_without_spaces_names_the_member(alice, bob, journey_map, card):
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()

    comment = comment_on(bob, journey_map, "Ask @AliceMartin.", card_id=card.pk)

    assert [mention.user for mention in comment.mentions.all()] == [alice]


def test_a_mention_of_nobody_is_refused_naming_text(bob, journey_map, card):
    with pytest.raises(ValidationError) as error:
        comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="Hi @zed")
    assert refused_field(error) == ["text"]
    assert "@zed is not a member of this workshop" in error.value.message_dict["text"][0]
    assert not Comment.objects.exists()


def test_a_mention_of_someone_outside_the_workshop_is_refused(bob, mallory, journey_map, card):
    with pytest.raises(ValidationError):
        comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="@mallory?")


def test_a_display_name_two_members_share_asks_for_the_username(
    alice, bob, workshop, journey_map, card
):
    for username in ("alexk", "alexm"):
        person = User.objects.create_user(username, first_name="Alex")
        services.membership_set(actor=alice, workshop=workshop, user=person, role=Role.VIEWER)

    with pytest.raises(ValidationError) as error:
        comments.comment_create(actor=bob, map=journey_map, card_id=card.pk, text="@alex")
    assert "write @alexk or @alexm" in error.value.message_dict["text"][0]


def test_an_email_address_is_not_a_mention():
    assert names_in("Write to ann@shop.example, or ask @bob.") == ["bob"]


def test_editing_a_comment_keeps_mentions_still_named_and_drops_the_others(
    alice, bob, carol, journey_map, card
):
    comment = comment_on(bob, journey_map, "@alice and @carol", card_id=card.pk)
    kept = comment.mentions.get(user=alice)

    comments.comment_update(actor=bob, map=journey_map, comment_id=comment.pk, text="@alice only")

    assert list(comment.mentions.all()) == [kept]


def test_mentioning_oneself_makes_no_mention(bob, journey_map, card):
    comment = comment_on(bob, journey_map, "Note to @bob", card_id=card.pk)
    assert not comment.mentions.exists()


# --- history and undo -------------------------------------------------------------------------


def test_a_comment_is_in_the_history_in_words(bob, journey_map, card):
    comment_on(bob, journey_map, "Three visits before buying", card_id=card.pk)

    event = MapEvent.objects.filter(map=journey_map).latest("revision")
    assert history.describe(event) == "added the comment “Three visits before buying”"


def test_its_author_undoes_a_comment(bob, journey_map, card):
    comment = comment_on(bob, journey_map, "Oops", card_id=card.pk)

    event = services.change_undo(actor=bob, map=journey_map)

    assert event.type == "comment.deleted" and not Comment.objects.filter(pk=comment.pk).exists()


def test_undoing_a_deletion_brings_the_comment_and_its_mentions_back(alice, bob, journey_map, card):
    comment = comment_on(bob, journey_map, "@alice look", card_id=card.pk)
    comments.comment_delete(actor=bob, map=journey_map, comment_id=comment.pk)

    event = services.change_undo(actor=bob, map=journey_map)

    assert event.type == "comment.created" and event.payload["comment"]["id"] == comment.pk
    assert Mention.objects.filter(comment=comment.pk, user=alice).exists()


def test_undo_does_not_take_back_a_comment_someone_else_resolved(alice, bob, journey_map, card):
    comment = comment_on(bob, journey_map, "Check", card_id=card.pk)
    comments.comment_resolve(actor=alice, map=journey_map, comment_id=comment.pk)

    with pytest.raises(services.UndoRefused) as refused:
        services.change_undo(actor=bob, map=journey_map)

    assert refused.value.code == "undo_conflict"
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_undoing_a_card_does_not_delete_the_comments_of_others(alice, bob, journey_map, card):
    comment_on(alice, journey_map, "Good one", card_id=card.pk)

    with pytest.raises(services.UndoRefused):
        services.change_undo(actor=bob, map=journey_map)

    assert card.comments.count() == 1


def test_undoing_a_card_deletion_brings_its_comments_back(alice, bob, journey_map, card):
    comment = comment_on(alice, journey_map, "Good one", card_id=card.pk)
    services.card_delete(actor=bob, map=journey_map, card_id=card.pk)

    event = services.change_undo(actor=bob, map=journey_map)

    assert [c["id"] for c in event.payload["comments"]] == [comment.pk]
    assert Comment.objects.filter(pk=comment.pk, card=card.pk).exists()


# --- secrecy ----------------------------------------------------------------------------------


@pytest.fixture
def private_card(alice, bob, journey_map, stages, lanes):
    voting.private_start(actor=alice, map=journey_map)
    event = services.card_create(
        actor=bob, map=journey_map, stage_id=stages[0].pk, lane_id=lanes["actions"].pk, text="Mine"
    )
    return journey_map.cards.get(pk=event.payload["card"]["id"])


def test_a_comment_on_a_private_card_is_its_authors_alone(alice, bob, journey_map, private_card):
    event = comments.comment_create(
        actor=bob, map=journey_map, card_id=private_card.pk, text="Secret thought"
    )

    assert event_message(event, viewer=alice.pk)["event"] == "hidden"
    assert event_message(event, viewer=bob.pk)["payload"]["comment"]["text"] == "Secret thought"
    assert not Comment.objects.visible_to(alice).exists()
    assert Comment.objects.visible_to(bob).count() == 1


def test_no_one_else_may_comment_on_a_private_card(alice, journey_map, private_card):
    with pytest.raises(ValidationError) as error:
        comments.comment_create(actor=alice, map=journey_map, card_id=private_card.pk, text="?")
    assert error.value.message_dict == {"card": [f"No card {private_card.pk} on this map."]}


def test_the_reveal_shows_the_comments_of_revealed_cards(alice, bob, journey_map, private_card):
    comment_on(bob, journey_map, "Secret thought", card_id=private_card.pk)

    voting.private_reveal(actor=alice, map=journey_map)

    assert Comment.objects.visible_to(alice).count() == 1


def test_the_board_counts_open_comments_only_on_cards_the_reader_sees(
    alice, bob, journey_map, card, private_card, stages
):
    from workshops.board import board_data, board_of

    comment_on(bob, journey_map, "On the public card", card_id=card.pk)
    comment_on(bob, journey_map, "On my private card", card_id=private_card.pk)
    comment_on(alice, journey_map, "On the stage", stage_id=stages[1].pk)

    counts_for_alice = board_data(board_of(journey_map.pk, alice.pk), alice.pk)["comments"]
    counts_for_bob = board_data(board_of(journey_map.pk, bob.pk), bob.pk)["comments"]

    assert counts_for_alice == {"cards": {card.pk: 1}, "stages": {stages[1].pk: 1}}
    assert counts_for_bob["cards"] == {card.pk: 1, private_card.pk: 1}
