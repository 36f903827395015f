"""A new piece refused in plain words and whole (evidence/api/missing.py): the board's evidence
form hears of every missing or wrong field after one try, not one field per try."""

import pytest

from evidence.models import Evidence

pytestmark = pytest.mark.django_db


def post(client, journey_map, stage, body):
    return client.post(
        f"/api/maps/{journey_map.pk}/evidence/", {**body, "stage": stage.pk}, format="json"
    )


def test_a_metric_without_name_and_value_names_both_in_plain_words(
    client_for, bob, journey_map, stages
):
    response = post(client_for(bob), journey_map, stages[0], {"kind": "metric", "unit": "%"})
    assert response.status_code == 400
    assert response.json() == {
        "name": ["Say what is measured, for example “Lead form conversion”."],
        "value": ["Give the value, as a number."],
    }
    assert not Evidence.objects.exists()


def test_blank_and_null_read_as_missing_too(client_for, bob, journey_map, stages):
    response = post(
        client_for(bob), journey_map, stages[0], {"kind": "metric", "name": "  ", "value": None}
    )
    fields = response.json()
    assert fields["name"] == ["Say what is measured, for example “Lead form conversion”."]
    assert fields["value"] == ["Give the value, as a number."]


def test_a_wrong_type_and_a_rule_of_the_kind_are_told_together(
    client_for, bob, journey_map, stages
):
    # The value is not a number (the input's check) and the period is far too long (the kind's
    # rule, evidence/fields.py): one answer names both.
    body = {"kind": "metric", "name": "Conversion", "value": "lots", "period": "Q" * 5000}
    response = post(client_for(bob), journey_map, stages[0], body)
    fields = response.json()
    assert fields["value"] == ["Give the value as a number, such as 4.5 or 1200."]
    assert "period" in fields
    assert not Evidence.objects.exists()


def test_a_quote_and_a_recording_say_what_they_miss(client_for, bob, journey_map, stages):
    client = client_for(bob)
    quote = post(client, journey_map, stages[0], {"kind": "quote", "who": "Buyer"}).json()
    recording = post(client, journey_map, stages[0], {"kind": "recording"}).json()
    assert quote["text"] == ["Give the words that were said."]
    assert recording["url"] == ["Give the link to the recording, starting with https://."]


def test_a_complete_metric_is_still_attached(client_for, bob, journey_map, stages):
    body = {"kind": "metric", "name": "Lead form conversion", "value": 1.2, "unit": "%"}
    assert post(client_for(bob), journey_map, stages[0], body).status_code == 201
    assert Evidence.objects.count() == 1
