"""The answer to an access request (privacy/access.py): everything the site holds about a
person, as JSON, for them alone; another person's data is not found."""

import json

import pytest
from django.core.management import call_command

from evidence import services as evidence_services
from privacy.access import personal_data
from workshops import services
from workshops.models import AuditEvent, AuditKind
from workshops.services import accounts, voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_work(alice, bob, journey_map, stages, lanes):
    """Bob wrote a pain point and a quote, put a dot in a vote that closed and one in a vote
    still open; Alice wrote a card of her own."""
    made = services.card_create(
        actor=bob, map=journey_map, stage_id=stages[0].pk, lane_id=lanes["pain_points"].pk,
        text="Size guide is hidden",
    )  # fmt: skip
    card = made.payload["card"]["id"]
    evidence_services.evidence_attach(
        actor=bob, map=journey_map, kind="quote", stage_id=stages[0].pk, text="Sizes run small"
    )
    services.card_create(
        actor=alice, map=journey_map, stage_id=stages[1].pk, lane_id=lanes["actions"].pk,
        text="Alice's own card",
    )  # fmt: skip
    closed = voting.vote_open(actor=alice, map=journey_map, dots_per_person=3)
    closed_round = closed.payload["vote"]["round"]
    voting.vote_place(actor=bob, map=journey_map, round_id=closed_round, card_id=card)
    voting.vote_close(actor=alice, map=journey_map, round_id=closed_round)
    still_open = voting.vote_open(actor=alice, map=journey_map, dots_per_person=3)
    open_round = still_open.payload["vote"]["round"]
    voting.vote_place(actor=bob, map=journey_map, round_id=open_round, card_id=card)
    return {"closed": closed_round, "open": open_round}


def test_the_export_holds_the_persons_account_memberships_and_work(bob, workshop, bobs_work):
    data = personal_data(bob)

    assert data["format"] == "cjm-personal-data"
    assert data["account"]["username"] == "bob" and data["account"]["name"] == "Bob"
    assert data["memberships"] == [
        {
            "workshop": {"id": workshop.pk, "name": "Retail journeys"},
            "role": "editor",
            "joined_at": data["memberships"][0]["joined_at"],
        }
    ]
    assert [card["text"] for card in data["cards"]] == ["Size guide is hidden"]
    assert [piece["text"] for piece in data["evidence"]] == ["Sizes run small"]
    assert {"added the card “Size guide is hidden”", "added a piece of evidence"} <= {
        change["what"] for change in data["changes"]
    }


def test_dots_are_listed_once_their_vote_is_revealed_and_not_before(bob, bobs_work):
    data = personal_data(bob)

    assert [vote["round"] for vote in data["votes"]] == [bobs_work["closed"]]
    assert not {"vote.placed", "vote.removed"} & {change["type"] for change in data["changes"]}


def test_nothing_of_another_persons_is_in_it(bob, bobs_work):
    text = json.dumps(personal_data(bob))

    assert "Alice's own card" not in text


def test_tokens_are_named_by_their_first_characters_never_by_the_key(bob):
    token, secret = accounts.token_create(user=bob)

    data = personal_data(bob)

    assert data["tokens"][0]["key"] == token.token_key
    assert secret not in json.dumps(data)


def test_audit_entries_about_the_account_are_in_it(bob, alice):
    AuditEvent.objects.create(kind=AuditKind.REFUSED, user=bob, username="bob", path="/x/")
    AuditEvent.objects.create(kind=AuditKind.REFUSED, user=alice, username="alice", path="/y/")

    assert [entry["path"] for entry in personal_data(bob)["audit"]] == ["/x/"]


def test_the_api_answers_with_ones_own_data(client_for, bob, bobs_work):
    mine = client_for(bob).get("/api/me/data/")
    by_id = client_for(bob).get(f"/api/users/{bob.pk}/data/")

    assert mine.status_code == 200 and mine.json()["account"]["username"] == "bob"
    assert by_id.status_code == 200 and by_id.json()["account"]["username"] == "bob"


def test_another_persons_data_is_not_found_whether_they_exist_or_not(client_for, alice, bob):
    assert client_for(bob).get(f"/api/users/{alice.pk}/data/").status_code == 404
    assert client_for(bob).get("/api/users/987654321/data/").status_code == 404


def test_nobody_logged_in_gets_no_data(client_for, bob):
    assert client_for(None).get("/api/me/data/").status_code in (401, 403)


def test_the_command_prints_the_same_document(bob, bobs_work, capsys):
    call_command("export_personal_data", "bob")

    printed = json.loads(capsys.readouterr().out)
    assert printed["account"]["username"] == "bob"
    assert [card["text"] for card in printed["cards"]] == ["Size guide is hidden"]
