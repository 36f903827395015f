"""The executive summary's opportunities section: each opportunity with its owner and status,
its ticket by tracker and key, and the pain point it answers. Rendered for real and read back
with pdftotext."""

import subprocess

import pytest

from documents import pdf
from documents.pdf.gather import gather
from workshops import services
from workshops.models import Card
from workshops.services.links import link_create
from workshops.services.opportunities import opportunity_update

pytestmark = pytest.mark.django_db


def add(user, journey_map, stage, lane, text):
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
    )
    return Card.objects.get(pk=event.payload["card"]["id"])


@pytest.fixture
def planned(alice, bob, journey_map, stages, lanes):
    pain = add(bob, journey_map, stages[1], lanes["pain_points"], "No size guide")
    guide = add(bob, journey_map, stages[3], lanes["opportunities"], "Size guide on product pages")
    add(bob, journey_map, stages[4], lanes["opportunities"], "Chatbot for sizes")
    link_create(actor=bob, map=journey_map, opportunity_id=guide.pk, pain_point_id=pain.pk)
    opportunity_update(
        actor=bob,
        map=journey_map,
        card_id=guide.pk,
        owner=alice.pk,
        status="in_progress",
        impact=5,
        effort=2,
        tickets=["https://acme.atlassian.net/browse/SHOP-142"],
    )
    return journey_map


def test_the_summary_lists_the_work_furthest_along_first(planned):
    rows = gather(planned)["opportunities"]["rows"]

    assert [(row["text"], row["owner"], row["status_label"]) for row in rows] == [
        ("Size guide on product pages", "Alice", "In progress"),
        ("Chatbot for sizes", "Nobody yet", "Idea"),
    ]
    assert rows[0]["answers"] == ["No size guide"]


def test_the_pdf_prints_the_opportunities_with_owner_status_and_ticket(planned, tmp_path):
    path = tmp_path / "map.pdf"
    path.write_bytes(pdf.render_pdf(planned))
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = " ".join(text.split())

    assert "Opportunities" in text
    assert "Size guide on product pages" in text
    assert "Alice In progress" in text
    assert "Jira SHOP-142" in text
    assert "Answers: No size guide" in text
