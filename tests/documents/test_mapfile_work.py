"""Links and opportunities' work in the map file and in versions: they survive the file's round
trip and a restore; a file from before them still reads; a bad link in a file is refused by its
place in the file."""

import json

import pytest
from django.core.exceptions import ValidationError

from documents import mapfile, versions
from documents.compare import compare_boards
from workshops import services
from workshops.models import Card, CardLink, JourneyMap, Opportunity
from workshops.services.links import link_create, link_delete
from workshops.services.opportunities import opportunity_update


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def add(user, journey_map, stage, lane, text):
    event = services.card_create(
        actor=user, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
    )
    return Card.objects.get(pk=event.payload["card"]["id"])


@pytest.fixture
def planned(alice, bob, journey_map, stages, lanes):
    """A size guide, owned by Alice and planned, answers a pain point two stages earlier."""
    pain = add(bob, journey_map, stages[1], lanes["pain_points"], "No size guide")
    idea = add(bob, journey_map, stages[3], lanes["opportunities"], "Add a size guide")
    link_create(actor=bob, map=journey_map, opportunity_id=idea.pk, pain_point_id=pain.pk)
    opportunity_update(
        actor=bob,
        map=journey_map,
        card_id=idea.pk,
        owner=alice.pk,
        status="planned",
        impact=5,
        effort=2,
        tickets=["https://linear.app/acme/issue/ENG-7"],
    )
    return journey_map


def exported(journey_map) -> dict:
    return json.loads(json.dumps(mapfile.map_export(journey_map)))


def work_of(journey_map: JourneyMap):
    links = [
        (link.opportunity.text, link.pain_point.text)
        for link in CardLink.objects.filter(map=journey_map)
    ]
    work = [
        (
            w.card.text,
            w.owner.username if w.owner else None,
            w.status,
            w.impact,
            w.effort,
            w.tickets,
        )
        for w in Opportunity.objects.filter(card__map=journey_map)
    ]
    return links, work


def test_the_file_names_each_link_and_opportunity_by_card_keys(planned):
    document = exported(planned)

    keys = {card["text"]: card["key"] for card in document["cards"]}
    assert document["links"] == [
        {"opportunity": keys["Add a size guide"], "pain_point": keys["No size guide"]}
    ]
    assert document["opportunities"][0] | {"card": None} == {
        "card": None,
        "owner": "alice",
        "status": "planned",
        "impact": 5,
        "effort": 2,
        "tickets": ["https://linear.app/acme/issue/ENG-7"],
    }


def test_links_and_work_survive_the_file_round_trip(alice, workshop, planned):
    copy_ = mapfile.map_import(actor=alice, workshop=workshop, data=exported(planned))

    assert work_of(copy_) == work_of(planned)
    assert work_of(copy_)[0] == [("Add a size guide", "No size guide")]
    assert mapfile.without_origins(exported(copy_))["links"] == exported(planned)["links"]


def test_a_file_from_before_links_reads_as_a_map_without_them(alice, workshop, planned):
    document = exported(planned)
    del document["links"], document["opportunities"]

    copy_ = mapfile.map_import(actor=alice, workshop=workshop, data=document)

    assert work_of(copy_) == ([], [])


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (lambda d: d["links"].append(dict(d["links"][0])), "links[1].pain_point"),
        (
            lambda d: d["links"].append(
                {"opportunity": d["links"][0]["pain_point"], "pain_point": "cd-404"}
            ),
            "links[1].opportunity",
        ),
        (lambda d: d["links"][0].update(pain_point="cd-404"), "links[0].pain_point"),
        (lambda d: d["opportunities"][0].update(status="someday"), "opportunities[0].status"),
        (lambda d: d["opportunities"][0].update(impact=7), "opportunities[0].impact"),
        (
            lambda d: d["opportunities"][0].update(tickets=["javascript:x"]),
            "opportunities[0].tickets",
        ),
    ],
)
def test_a_bad_link_or_work_in_a_file_is_refused_by_its_place(
    alice, workshop, planned, change, place
):
    document = exported(planned)
    change(document)
    maps = JourneyMap.objects.count()

    with pytest.raises(ValidationError) as refused:
        mapfile.map_import(actor=alice, workshop=workshop, data=document)

    assert place in refused.value.message_dict
    assert JourneyMap.objects.count() == maps


def test_an_owner_who_is_no_member_comes_in_as_nobody(alice, bob, planned):
    idea = Card.objects.get(text="Add a size guide")
    opportunity_update(actor=bob, map=planned, card_id=idea.pk, owner=bob.pk)
    other = services.workshop_create(actor=alice, name="Another workshop")

    copy_ = mapfile.map_import(actor=alice, workshop=other, data=exported(planned))

    assert Opportunity.objects.get(card__map=copy_).owner is None


def test_restoring_a_version_brings_its_links_and_work_back(alice, bob, planned):
    saved = versions.version_save(actor=bob, map=planned, name="Planned")
    before = work_of(planned)
    link_delete(actor=bob, map=planned, link_id=CardLink.objects.get().pk)
    idea = Card.objects.get(text="Add a size guide")
    opportunity_update(actor=bob, map=planned, card_id=idea.pk, status="dropped", owner=None)

    event = versions.version_restore(actor=bob, map=planned, version=saved)

    assert work_of(planned) == before
    assert len(event.payload["board"]["links"]) == 1
    assert event.payload["board"]["opportunities"][idea.pk]["status"] == "planned"


def test_compare_shows_the_links_made_and_the_work_changed_since_a_version(bob, planned):
    saved = versions.version_save(actor=bob, map=planned, name="Planned")
    link_delete(actor=bob, map=planned, link_id=CardLink.objects.get().pk)
    idea = Card.objects.get(text="Add a size guide")
    opportunity_update(actor=bob, map=planned, card_id=idea.pk, status="shipped")

    found = compare_boards(saved.snapshot, exported(planned))["links"]

    assert found["removed"] == [{"opportunity": "Add a size guide", "pain_point": "No size guide"}]
    assert found["added"] == []
    assert found["work"] == [
        {"text": "Add a size guide", "status": ("planned", "shipped"), "owner": ("alice", "alice")}
    ]


def test_a_card_moved_out_of_its_lane_still_exports_a_file_that_reads_back(
    alice, bob, workshop, planned, lanes
):
    idea = Card.objects.get(text="Add a size guide")
    services.card_move(
        actor=bob,
        map=planned,
        card_id=idea.pk,
        stage_id=idea.stage_id,
        lane_id=lanes["actions"].pk,
        position=0,
    )

    document = exported(planned)
    copy_ = mapfile.map_import(actor=alice, workshop=workshop, data=document)

    assert document["links"] == [] and document["opportunities"] == []
    assert work_of(copy_) == ([], [])
