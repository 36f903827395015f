"""The cast of tests/conftest.py, and a second workshop Mallory runs, whose texts Alice's team
must never find."""

import pytest

from evidence import services as evidence_services
from workshops import services


@pytest.fixture
def write_card(journey_map, stages, lanes):
    """Make a card through the services, as the board does; returns its id."""

    def write(text, *, actor, lane="pain_points", stage=0, on=None):
        on = on or journey_map
        lane_ids = {lane.kind: lane.pk for lane in on.lanes.all()}
        stage_ids = [stage.pk for stage in on.stages.all()]
        event = services.card_create(
            actor=actor, map=on, stage_id=stage_ids[stage], lane_id=lane_ids[lane], text=text
        )
        return event.payload["card"]["id"]

    return write


@pytest.fixture
def attach():
    """Attach evidence through the services; returns its id."""

    def attach(map, *, actor, **fields):
        event = evidence_services.evidence_attach(actor=actor, map=map, **fields)
        return event.payload["evidence"]["id"]

    return attach


@pytest.fixture
def other_map(mallory):
    """Mallory's own workshop and map: nobody of Alice's workshop is a member."""
    workshop = services.workshop_create(actor=mallory, name="Mallory's secrets")
    return services.map_create(
        actor=mallory, workshop=workshop, title="Rival plans", template="b2c"
    )
