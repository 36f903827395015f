"""The workshop's opportunities page lists every opportunity of its maps, filtered and sorted
by the same filters as the API, and says which filter it could not read."""

import pytest

from workshops import services
from workshops.models import Card
from workshops.services.opportunities import opportunity_update


@pytest.fixture
def opportunities(alice, bob, journey_map, stages, lanes):
    def add(text, stage):
        event = services.card_create(
            actor=bob,
            map=journey_map,
            stage_id=stages[stage].pk,
            lane_id=lanes["opportunities"].pk,
            text=text,
        )
        return Card.objects.get(pk=event.payload["card"]["id"])

    guide, chat = add("Size guide on every product", 1), add("Chatbot", 2)
    opportunity_update(
        actor=bob,
        map=journey_map,
        card_id=guide.pk,
        owner=alice.pk,
        status="in_progress",
        tickets=["https://acme.atlassian.net/browse/SHOP-142"],
    )
    return guide, chat


def test_a_member_sees_every_opportunity_with_its_owner_and_ticket(
    client, carol, workshop, opportunities
):
    client.force_login(carol)

    page = client.get(f"/workshops/{workshop.pk}/opportunities/").content.decode()

    assert "Size guide on every product" in page and "Chatbot" in page
    assert "In progress" in page and "Alice" in page
    assert (
        '<span class="ticket-tracker">Jira</span> <span class="ticket-key">SHOP-142</span>' in page
    )


def test_the_page_filters_by_status(client, carol, workshop, opportunities):
    client.force_login(carol)

    page = client.get(f"/workshops/{workshop.pk}/opportunities/?status=idea").content.decode()

    assert "Chatbot" in page
    assert "Size guide on every product" not in page


def test_a_filter_it_cannot_read_is_named_and_everything_listed(
    client, carol, workshop, opportunities
):
    client.force_login(carol)

    answer = client.get(f"/workshops/{workshop.pk}/opportunities/?quadrant=north")

    assert answer.status_code == 200
    assert "Quadrant: Unknown quadrant" in answer.content.decode()
    assert "Chatbot" in answer.content.decode()


def test_someone_outside_the_workshop_cannot_see_it(client, mallory, workshop, opportunities):
    client.force_login(mallory)

    answer = client.get(f"/workshops/{workshop.pk}/opportunities/")

    assert answer.status_code in (403, 404)
    assert b"Chatbot" not in answer.content


def test_the_workshop_page_links_to_its_opportunities(client, carol, workshop):
    client.force_login(carol)

    page = client.get(f"/workshops/{workshop.pk}/").content.decode()

    assert f'href="/workshops/{workshop.pk}/opportunities/"' in page
