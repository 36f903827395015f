"""Reading what was typed: the words, phrases, `or` and `-` of search/query.py, and the query
each engine is given."""

import pytest
from django.core.exceptions import ValidationError

from search.query import parse


@pytest.mark.parametrize(
    "typed, tsquery",
    [
        ("size guide", "'size':* & 'guide':*"),
        ('"size guide"', "('size' <-> 'guide')"),
        ("delivery or returns -slow", "('delivery':* | 'returns':*) & !'slow':*"),
        ("it's", "'it''s':*"),
        ("back\\slash", "'back\\\\slash':*"),
        ("Größe", "'größe':*"),
        ("or size", "'size':*"),
    ],
)
def test_the_query_postgresql_is_given(typed, tsquery):
    assert parse(typed).tsquery() == tsquery


@pytest.mark.parametrize(
    "typed, text, found",
    [
        ("guide", "Size guides are hidden", True),
        ("guides", "Size guide is hidden", False),
        ('"size guide"', "Guide to the size", False),
        ('"size guide"', "The SIZE guide", True),
        ("e-mail", "Sends an e-mail twice", True),
        ("size -mobile", "Size guide on mobile", False),
        ("mobile or desktop", "On the desktop", True),
        ("größe", "Die Größe stimmt nicht", True),
    ],
)
def test_a_text_is_found_as_postgresql_would_find_it(typed, text, found):
    assert parse(typed).matches(text) is found


def test_the_words_found_are_marked_where_they_stand():
    text = "The Size guide, sizes and guides"

    marks = parse("size guide").marks(text)

    assert [text[start:end] for start, end in marks] == ["Size", "guide", "sizes", "guides"]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Type a word to look for."),
        ("?! -- ...", "Type a word to look for."),
        ("-size -guide", "Say what to look for, too."),
        ("x" * 201, "Search for at most 200 characters."),
        ("a b c d e f g h i j k l m", "Search for at most 12 words."),
        ("size\x00", "A search may not hold a null character."),
    ],
)
def test_a_query_that_asks_nothing_or_too_much_is_refused(typed, message):
    with pytest.raises(ValidationError) as refusal:
        parse(typed)

    assert refusal.value.messages == [message]
