"""The search as a person sees it, on whichever database runs the suite: SQLite by default,
PostgreSQL's full-text search under `scripts/with-services` (make test runs both), with the
same expectations, so that both engines give the same results."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.searching import search
from workshops import services
from workshops.services import voting


def found(reader, text, **options):
    return [(result.kind, result.id) for result in search(reader, text, **options).results]


def test_a_member_finds_a_card_by_its_words(carol, bob, write_card):
    card = write_card("The size guide is hard to find on mobile", actor=bob)
    write_card("Checkout asks for an account", actor=bob)

    assert found(carol, "size guide") == [("card", card)]


def test_a_word_finds_the_longer_words_it_begins_and_ignores_case(carol, bob, write_card):
    card = write_card("Returns are free, but nobody knows", actor=bob)

    assert found(carol, "RETURN") == [("card", card)]
    assert found(carol, "returning") == []


def test_a_phrase_needs_its_words_in_order(carol, bob, write_card):
    in_order = write_card("Size guide missing", actor=bob)
    write_card("Guide to the size of parcels", actor=bob)

    assert found(carol, '"size guide"') == [("card", in_order)]


def test_or_finds_either_and_minus_leaves_out(carol, bob, write_card):
    delivery = write_card("Delivery takes a week", actor=bob)
    returns = write_card("Returns cost money", actor=bob)
    write_card("Delivery of returns is slow", actor=bob)

    assert {hit for hit in found(carol, "delivery or returns -slow")} == {
        ("card", delivery),
        ("card", returns),
    }


def test_another_workshops_text_is_never_found(carol, alice, bob, write_card, other_map, mallory):
    write_card("Secret pricing plan for the size guide", actor=mallory, on=other_map)
    services.map_update(actor=mallory, map=other_map, title="Size guide rival")

    assert found(carol, "size guide") == []
    assert found(alice, "rival") == []
    assert [kind for kind, _ in found(mallory, "size guide")] == ["map", "card"]


def test_someone_who_left_the_workshop_finds_nothing_of_it(alice, carol, bob, write_card, workshop):
    write_card("Size guide is hidden", actor=bob)
    services.membership_remove(actor=alice, workshop=workshop, user=carol)

    assert found(carol, "size") == []


def test_a_private_card_is_found_by_its_author_alone_until_the_reveal(
    alice, bob, carol, journey_map, write_card
):
    voting.private_start(actor=alice, map=journey_map)
    card = write_card("Nobody reads the size guide", actor=bob)

    assert found(carol, "size guide") == []
    assert found(alice, "size guide") == []
    assert found(bob, "size guide") == [("card", card)]

    voting.private_reveal(actor=alice, map=journey_map)

    assert found(carol, "size guide") == [("card", card)]


def test_evidence_on_a_private_card_is_hidden_with_it(
    alice, bob, carol, journey_map, stages, write_card, attach
):
    card = write_card("Wishlist in the cart", actor=bob)
    piece = attach(journey_map, actor=bob, kind="quote", card_id=card, text="I keep a wishlist")
    # A card turned private again by an undo during private brainstorming takes its evidence.
    journey_map.cards.filter(pk=card).update(private=True)

    assert found(carol, "wishlist") == []
    assert found(bob, "wishlist") == [("card", card), ("evidence", piece)]


def test_evidence_is_found_by_name_answer_and_quote(carol, bob, journey_map, stages, attach):
    metric = attach(
        journey_map,
        actor=bob,
        kind="metric",
        stage_id=stages[1].pk,
        name="Size guide views",
        value=8,
    )
    answer = attach(
        journey_map,
        actor=bob,
        kind="survey",
        stage_id=stages[2].pk,
        question="What stopped you?",
        answer="Could not find the size guide",
    )
    quote = attach(
        journey_map, actor=bob, kind="quote", stage_id=stages[3].pk, text="The size guide lies"
    )

    results = search(carol, "size guide").results

    assert {(result.kind, result.id) for result in results} == {
        ("evidence", metric),
        ("evidence", answer),
        ("evidence", quote),
    }
    assert results[0].url == f"/maps/{results[0].map['id']}/#stage-{results[0].stage}"


def test_map_titles_are_found_and_weigh_most(carol, bob, journey_map, write_card, attach, stages):
    services.map_update(actor=bob, map=journey_map, title="Checkout journey")
    card = write_card("Checkout asks for an account", actor=bob)
    piece = attach(
        journey_map, actor=bob, kind="quote", stage_id=stages[0].pk, text="At checkout I gave up"
    )

    assert found(carol, "checkout") == [
        ("map", journey_map.pk),
        ("card", card),
        ("evidence", piece),
    ]


def test_a_text_holding_more_of_the_query_ranks_higher(carol, bob, write_card):
    one = write_card("Delivery is slow", actor=bob)
    both = write_card("Delivery is slow and returns are slower", actor=bob)

    assert found(carol, "delivery or returns") == [("card", both), ("card", one)]


def test_archived_maps_are_searched_only_when_asked(alice, carol, bob, journey_map, write_card):
    card = write_card("Size guide is hidden", actor=bob)
    services.map_archive(actor=alice, map=journey_map)

    assert found(carol, "size") == []
    assert found(carol, "size", archived=True) == [("card", card)]


def test_a_deleted_card_is_not_found(carol, bob, journey_map, write_card):
    card = write_card("Size guide is hidden", actor=bob)
    services.card_delete(actor=bob, map=journey_map, card_id=card)

    assert found(carol, "size") == []


def test_the_snippet_marks_the_words_and_escapes_the_rest(carol, bob, write_card):
    write_card('<script>alert("size")</script> <img src=x onerror=alert(1)> size', actor=bob)

    snippet = search(carol, "size").results[0].snippet

    assert "<script>" not in snippet and "<img" not in snippet
    assert snippet == (
        "&lt;script&gt;alert(&quot;<mark>size</mark>&quot;)&lt;/script&gt; "
        "&lt;img src=x onerror=alert(1)&gt; <mark>size</mark>"
    )


def test_a_long_text_is_cut_around_the_match(carol, bob, write_card):
    write_card("Lorem ipsum " * 30 + "the size guide " + "dolor sit " * 30, actor=bob)

    snippet = search(carol, "size").results[0].snippet

    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>size</mark>" in snippet and len(snippet) < 220


def test_the_result_opens_the_board_on_its_card(carol, bob, journey_map, write_card):
    card = write_card("Size guide is hidden", actor=bob)

    result = search(carol, "size").results[0]

    assert result.url == f"/maps/{journey_map.pk}/#card-{card}"
    assert result.map == {"id": journey_map.pk, "title": journey_map.title}
    assert result.label == "Pain points · Awareness"


def test_the_limit_says_there_are_more(carol, bob, write_card):
    for index in range(4):
        write_card(f"Size guide complaint {index}", actor=bob)

    answer = search(carol, "size", limit=3)

    assert len(answer.results) == 3 and answer.more
    assert not search(carol, "size", limit=4).more


@pytest.mark.parametrize(
    "text",
    ["", "   ", "!!! ???", "-size", "x" * 201, "a b c d e f g h i j k l m", "size\x00guide"],
)
def test_a_query_that_asks_nothing_or_too_much_is_refused(carol, text):
    with pytest.raises(ValidationError):
        search(carol, text)


@given(text=st.text(max_size=60) | st.text(alphabet="ab '\"\\:*!&|()<>-or", max_size=30))
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_text_is_answered_or_refused_never_an_error(carol, card, text):
    try:
        search(carol, text)
    except ValidationError:
        pass


def test_comments_are_found_and_open_their_card(carol, bob, journey_map, write_card):
    from workshops.services import comments

    card = write_card("Checkout asks for an account", actor=bob)
    comments.comment_create(actor=bob, map=journey_map, card_id=card, text="Ask the quokka team")

    (result,) = search(carol, "quokka").results

    assert (result.kind, result.card, result.label) == (
        "comment",
        card,
        "Comment by Bob · Checkout asks for an account",
    )
    assert result.url.endswith(f"#card-{card}")


def test_a_comment_on_a_private_card_is_as_private_as_its_card(
    alice, bob, carol, journey_map, write_card
):
    from workshops.services import comments

    voting.private_start(actor=alice, map=journey_map)
    card = write_card("Secret idea", actor=bob)
    comments.comment_create(actor=bob, map=journey_map, card_id=card, text="quokka plan")

    assert found(carol, "quokka") == []
    assert [kind for kind, _ in found(bob, "quokka")] == ["comment"]
    voting.private_reveal(actor=alice, map=journey_map)
    assert [kind for kind, _ in found(carol, "quokka")] == ["comment"]
