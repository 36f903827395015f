"""A metric's numbers are finite and bounded, and every change computed from them is a number
JSON can carry: 1e308 against a baseline of 1e-308 once overflowed to infinity, and the
evidence list, the piece and compare answered 500 for good."""

import pytest

from documents import versions
from documents.compare_measures import metrics
from documents.pdf.evidence import evidence_shown, key_metrics, shown_queryset
from evidence import fields
from evidence.models import Evidence, Kind


def metric_url(journey_map, suffix=""):
    return f"/api/maps/{journey_map.pk}/evidence/{suffix}"


def post_metric(client, journey_map, stage, **numbers):
    body = {"kind": "metric", "stage": stage.pk, "name": "Sign-ups", "value": 1, **numbers}
    return client.post(metric_url(journey_map), body, format="json")


@pytest.fixture
def stored_overflowing(bob, journey_map, stages):
    """A piece as an import before the bound could store it: past what a change can be."""
    return Evidence.objects.create(
        map=journey_map,
        stage=stages[0],
        kind=Kind.METRIC,
        name="Sign-ups",
        value=1e308,
        baseline=1e-308,
        added_by=bob,
    )


@pytest.mark.parametrize("field", ["value", "baseline", "target"])
def test_a_number_past_a_quadrillion_is_refused_naming_its_field(
    client_for, bob, journey_map, stages, field
):
    response = post_metric(client_for(bob), journey_map, stages[0], **{field: 1e308})

    assert response.status_code == 400
    assert "between" in response.json()[field][0]
    assert not Evidence.objects.exists()


def test_the_bound_holds_for_imported_cells_too():
    with pytest.raises(fields.Invalid):
        fields.number("2e15")
    assert fields.number("1 000 000 000 000 000") == 1e15


def test_a_tiny_baseline_is_kept_and_its_change_is_no_number(client_for, bob, journey_map, stages):
    response = post_metric(client_for(bob), journey_map, stages[0], value=1e15, baseline=1e-308)

    assert response.status_code == 201
    assert response.json()["change_percent"] is None


def test_a_stored_overflowing_piece_still_reads_changes_and_deletes(
    client_for, bob, journey_map, stored_overflowing
):
    client = client_for(bob)
    detail = metric_url(journey_map, f"{stored_overflowing.pk}/")

    listed = client.get(metric_url(journey_map))
    read = client.get(detail)
    patched = client.patch(detail, {"note": "Checked"}, format="json")
    deleted = client.delete(detail)

    assert listed.status_code == read.status_code == patched.status_code == 200
    assert read.json()["change_percent"] is None and read.json()["value"] == 1e308
    assert deleted.status_code == 204


def test_compare_with_an_overflowing_piece_answers(
    client_for, bob, journey_map, stages, stored_overflowing
):
    version = versions.version_save(actor=bob, map=journey_map, name="Before")

    response = client_for(bob).get(f"/api/maps/{journey_map.pk}/compare/?version={version.pk}")

    assert response.status_code == 200
    assert [row["change_percent"] for row in response.json()["metrics"]] == [0.0]


def test_a_metric_on_one_side_only_with_a_tiny_baseline_has_no_change():
    stage = {"key": "st-1", "title": "Awareness"}
    right = {
        "cards": [],
        "evidence": [
            {
                "kind": "metric",
                "stage": "st-1",
                "name": "Sign-ups",
                "value": 1e308,
                "baseline": 1e-308,
            }
        ],
    }

    (row,) = metrics({"cards": [], "evidence": []}, right, [(None, stage)])

    assert row["status"] == "added" and row["change_percent"] is None


def test_the_pdf_leaves_out_a_change_that_is_no_number(journey_map, stages, stored_overflowing):
    (piece,) = evidence_shown(shown_queryset(journey_map, []), cards_shown={})

    (row,) = key_metrics([piece], stages)

    assert row["ratio"] is None and row["change"] == ""


@pytest.mark.parametrize(
    ("start", "end", "change"),
    [(3, 4.5, 50.0), (0.84, 1.2, 42.9), (0, 5, None), (None, 5, None), (1e-308, 1e308, None)],
)
def test_change_percent(start, end, change):
    assert fields.change_percent(start, end) == change
