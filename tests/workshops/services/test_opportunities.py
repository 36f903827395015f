"""An opportunity is work: an owner who is a member, a status, impact and effort, ticket links
recognised by their tracker; each set through one map change that undo sets back."""

import pytest
from django.core.exceptions import ValidationError

from workshops import services
from workshops.models import Card, MapEvent, Opportunity
from workshops.services import change_undo
from workshops.services.opportunities import opportunity_update


@pytest.fixture
def idea(bob, journey_map, stages, lanes):
    event = services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[2].pk,
        lane_id=lanes["opportunities"].pk,
        text="Add a size guide",
    )
    return Card.objects.get(pk=event.payload["card"]["id"])


def test_an_editor_gives_an_opportunity_an_owner_status_scores_and_a_ticket(bob, journey_map, idea):
    event = opportunity_update(
        actor=bob,
        map=journey_map,
        card_id=idea.pk,
        owner=bob.pk,
        status="in_progress",
        impact=5,
        effort=2,
        tickets=["https://acme.atlassian.net/browse/SHOP-142"],
    )

    assert event.type == "opportunity.updated"
    work = event.payload["opportunity"]
    assert work["owner_name"] == "Bob"
    assert (work["status"], work["status_label"]) == ("in_progress", "In progress")
    assert (work["impact"], work["effort"]) == (5, 2)
    assert work["tickets"] == [
        {
            "url": "https://acme.atlassian.net/browse/SHOP-142",
            "tracker": "jira",
            "name": "Jira",
            "key": "SHOP-142",
        }
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "someday"}, "status"),
        ({"impact": 6}, "impact"),
        ({"effort": 0}, "effort"),
        ({"impact": True}, "impact"),
        ({"tickets": ["javascript:alert(1)"]}, "tickets"),
        ({"tickets": "https://github.com/acme/shop/issues/1"}, "tickets"),
        ({"owner": "bob"}, "owner"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_work_is_refused_naming_its_field_and_nothing_changes(
    bob, journey_map, idea, changes, field
):
    before = MapEvent.objects.filter(map=journey_map).count()

    with pytest.raises(ValidationError) as refused:
        opportunity_update(actor=bob, map=journey_map, card_id=idea.pk, **{"impact": 2, **changes})

    assert field in refused.value.message_dict
    assert not Opportunity.objects.exists()
    assert MapEvent.objects.filter(map=journey_map).count() == before


def test_an_owner_who_is_not_a_member_is_refused(bob, mallory, journey_map, idea):
    with pytest.raises(ValidationError) as refused:
        opportunity_update(actor=bob, map=journey_map, card_id=idea.pk, owner=mallory.pk)

    assert "not a member" in refused.value.message_dict["owner"][0]


def test_only_an_opportunity_card_is_work(bob, journey_map, card):
    with pytest.raises(ValidationError) as refused:
        opportunity_update(actor=bob, map=journey_map, card_id=card.pk, status="planned")

    assert "card" in refused.value.message_dict


def test_undo_sets_the_work_back(alice, bob, journey_map, idea):
    opportunity_update(actor=bob, map=journey_map, card_id=idea.pk, owner=alice.pk, impact=3)
    opportunity_update(actor=bob, map=journey_map, card_id=idea.pk, status="shipped", impact=4)

    change_undo(actor=bob, map=journey_map)

    work = Opportunity.objects.get()
    assert (work.owner, work.status, work.impact) == (alice, "idea", 3)


def test_a_deleted_opportunity_comes_back_with_its_work(alice, bob, journey_map, idea):
    opportunity_update(
        actor=bob, map=journey_map, card_id=idea.pk, owner=alice.pk, tickets=["https://x.io/1"]
    )
    services.card_delete(actor=bob, map=journey_map, card_id=idea.pk)

    event = change_undo(actor=bob, map=journey_map)

    assert Opportunity.objects.get().tickets == ["https://x.io/1"]
    assert event.payload["opportunities"][0]["owner"] == alice.pk
