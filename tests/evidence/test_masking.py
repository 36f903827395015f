"""Masking personal data in the text of evidence (evidence/masking.py): e-mail addresses, phone
numbers of several countries and IP addresses become [e-mail], [phone] and [IP]; every other
word, and every number that is not a phone, stays as it was."""

import pytest

from evidence import fields, masking
from evidence.masking import mask


@pytest.mark.parametrize(
    "text, masked",
    [
        ("Write to jane.doe+shop@mail.example.co.uk please", "Write to [e-mail] please"),
        ("mail LENA@Example.COM, or ask", "mail [e-mail], or ask"),
        ("lena [at] example [dot] com wrote", "[e-mail] wrote"),
        ("reach me at lena(at)example.com", "reach me at [e-mail]"),
    ],
)
def test_email_addresses_are_masked(text, masked):
    assert mask(text) == masked


@pytest.mark.parametrize(
    "phone",
    [
        "+49 151 23456789",  # Germany, mobile
        "0049 30 12345678",  # Germany, the 00 prefix
        "0151 2345678",  # Germany, national
        "030 1234567",
        "0151/2345678",
        "+44 (0)20 7946 0958",  # United Kingdom
        "020 7946 0958",
        "+33 6 12 34 56 78",  # France
        "06 12 34 56 78",
        "(555) 123-4567",  # North America
        "555-123-4567",
        "+1 415 555 2671",
        "+31 20 123 4567",  # the Netherlands
        "+420 603 123 456",  # Czechia
        "+91 98765 43210",  # India
    ],
)
def test_phone_numbers_of_several_countries_are_masked(phone):
    assert mask(f"Call me on {phone} after six.") == "Call me on [phone] after six."


@pytest.mark.parametrize(
    "address", ["192.168.100.200", "203.0.113.17", "2001:db8::8a2e:370:7334", "fe80::1ff:fe23:4567"]
)
def test_ip_addresses_are_masked(address):
    assert mask(f"seen from {address} at night") == "seen from [IP] at night"


@pytest.mark.parametrize(
    "text",
    [
        "NPS 42, score 9 of 10",
        "on 03.10.2026 at 10:30:00",
        "collected 2026-10-03",
        "paid EUR 1,234.56 and got 4.5% off",
        "order 123456789 in 2026",
        "ZIP 02134-1234",
        "app version 1.2.3",
        "lead form conversion rose from 0.84% to 1.2%",
        "+15% of visitors reached product subpages",
        "Buy Policy clicks rose from 3% to 4.5-5%",
        "1200 sessions, 8% used site search",
        "a sample of 12000 over 90 days",
        "returned 3 times, at 10:30",
        "",
    ],
)
def test_numbers_that_are_not_phones_stay_as_they_are(text):
    assert mask(text) == text


def test_only_the_personal_part_changes():
    said = "Sizes run small (ordered 3x M) - call +49 151 23456789 or jane@example.com, 4/5"

    assert mask(said) == "Sizes run small (ordered 3x M) - call [phone] or [e-mail], 4/5"


def test_a_cell_of_one_address_says_what_it_holds():
    assert masking.holds_only(" jane@example.com ") == "e-mail addresses"
    assert masking.holds_only("+44 20 7946 0958") == "phone numbers"
    assert masking.holds_only("10.0.0.1") == "IP addresses"
    assert masking.holds_only("write to jane@example.com") is None
    assert masking.holds_only("Germany") is None


def test_every_text_field_of_a_piece_is_masked_but_a_link_is_not():
    cleaned = fields.clean(
        "quote",
        {
            "text": "Ring me: 020 7946 0958",
            "note": "Interviewed jane@example.com",
            "source": "Call from 10.1.2.3",
        },
    )

    assert cleaned["text"] == "Ring me: [phone]"
    assert cleaned["note"] == "Interviewed [e-mail]"
    assert cleaned["source"] == "Call from [IP]"

    link = "https://insights.hotjar.com/r?site=123456&recording=0151234567"
    assert fields.clean("recording", {"url": link})["url"] == link


def test_masking_is_checked_before_the_length_so_what_is_stored_was_checked():
    limit = fields.FIELDS["quote"]["text"].max_length
    long_address = "a" * limit + "@example.com"

    assert fields.clean("quote", {"text": long_address})["text"] == "[e-mail]"


def test_clean_can_leave_the_text_as_it_is():
    assert fields.clean("quote", {"text": "jane@example.com"}, mask=False)["text"] == (
        "jane@example.com"
    )


def test_a_map_masks_unless_its_facilitator_turned_it_off(journey_map):
    assert masking.is_on(journey_map)

    journey_map.controls[masking.CONTROL] = False

    assert not masking.is_on(journey_map)
