"""Convergence under faults: several sockets on one board, through the whole ASGI stack, make
every kind of change at random (cards, stages, lanes, the map, undo and redo, conflicting text
edits, dot votes and private cards, the lock, the timer, following and presenting) while they
drop off and come back (catching up by `sync`, or taking a fresh snapshot), send operations
again with the same id (after a lost answer, and at random), lose a live frame now and then,
and run into the rate limit.

Each client keeps its board as a browser does (tests/convergence_client.py); a reconnecting one
must catch up by what the connection brings. At the end every board must equal the server's
board as its person reads it (the nested map GET); the map's history must hold exactly one
event per acknowledged operation and none for a refused one; each acknowledged change must be
what was asked and must still be there unless a later change took it away; an undo must
reverse its own person's change, once; and no stale edit or undo may have overwritten what
someone wrote after it (convergence_checks.py).

A short run is part of the suite; a long one (docs/realtime.md, "Convergence under faults"):

    CJM_CONVERGENCE_STEPS=30000 .venv/bin/pytest tests/workshops/realtime/test_convergence.py

The seed is printed and named on failure; CJM_CONVERGENCE_SEED=<seed> replays the same steps
(as far as the timing of deliveries lets the same choices be made).
"""

import os
import random
import time

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.models import User
from django.test import Client

from tests.convergence_board import board_view
from tests.convergence_client import LiveClient
from tests.live import ORIGIN
from workshops import services
from workshops.models import JourneyMap, MapEvent, Role

from .convergence_checks import (
    answers_problems,
    differences,
    history_problems,
    last_writer_problems,
    lost_work_problems,
    stored,
)
from .convergence_steps import Steps, revision_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]

STEPS = int(os.environ.get("CJM_CONVERGENCE_STEPS", "300"))
SEED = os.environ.get("CJM_CONVERGENCE_SEED")


@pytest.fixture
def dave(db, alice, workshop):
    dave = User.objects.create_user("dave", password="password", first_name="Dave")
    services.membership_set(actor=alice, workshop=workshop, user=dave, role=Role.EDITOR)
    return dave


def tab(name, user, journey_map, rng, drop_rate):
    """A logged-in browser tab: its socket's headers, and an HTTP client for board_url."""
    http = Client()
    http.force_login(user)
    headers = [ORIGIN, (b"cookie", f"sessionid={http.cookies['sessionid'].value}".encode())]
    return LiveClient(name, user, headers, journey_map.pk, http, rng, drop_rate)


@pytest.mark.parametrize("frames", ["whole", "small"])
def test_every_board_converges_under_faults(
    frames, settings, alice, bob, carol, dave, journey_map, stages, lanes
):
    # A little above what the driver sends in a burst, so that rate_limited happens and is
    # answered by sending again after retry_after, without making the run crawl.
    settings.REALTIME_OPS_PER_SECOND, settings.REALTIME_OPS_BURST = 40, 4
    if frames == "small":
        # Snapshots and big events (a stage deleted with its cards) over HTTP, sync in parts.
        settings.REALTIME_MESSAGE_BYTES = 6000
    for number in range(12):
        services.card_create(
            actor=alice,
            map=journey_map,
            stage_id=stages[number % 3].pk,
            lane_id=lanes[["actions", "thoughts", "emotions", "pain_points"][number % 4]].pk,
            text=f"Before the workshop {number}",
        )
    seed = int(SEED) if SEED else random.randrange(2**32)
    print(f"convergence: seed {seed}, {STEPS} steps, frames {frames}")
    rng = random.Random(seed)
    people = [("a", alice), ("b1", bob), ("b2", bob), ("c", carol), ("d", dave)]
    clients = [
        tab(name, user, journey_map, random.Random(f"{seed}-{name}"), drop_rate=0.01)
        for name, user in people
    ]
    setup_revision = JourneyMap.objects.get(pk=journey_map.pk).revision
    setup = stored(journey_map)
    roles = {"a": Role.FACILITATOR, "c": Role.VIEWER}
    steps = Steps(rng, clients, {c.name: roles.get(c.name, Role.EDITOR) for c in clients})
    began = time.monotonic()
    try:
        async_to_sync(drive)(steps, journey_map.pk)
        check_everything(clients, journey_map, setup, setup_revision, steps)
    except BaseException as error:
        raise AssertionError(
            f"convergence failed with seed {seed} after {time.monotonic() - began:.1f} s: "
            f"CJM_CONVERGENCE_SEED={seed} CJM_CONVERGENCE_STEPS={STEPS} .venv/bin/pytest "
            f"'tests/workshops/realtime/test_convergence.py::"
            f"test_every_board_converges_under_faults[{frames}]'"
        ) from error
    print(f"convergence: {time.monotonic() - began:.1f} s; {steps.summary()}")


# --- the run --------------------------------------------------------------------------------


async def drive(steps: Steps, map_id: int) -> None:
    try:
        for client in steps.clients:
            await steps.connect(client)
        for _ in range(STEPS):
            await steps.step()
        await settle(steps, map_id)
    finally:
        for client in steps.clients:
            await client.disconnect()


async def settle(steps: Steps, map_id: int) -> None:
    """Everyone back, every operation answered, every board at the server's revision."""
    for client in steps.clients:
        if not client.connected:
            await steps.connect(client)
    while any(client.unanswered for client in steps.clients):
        for client in steps.clients:
            await client.until(lambda c=client: not c.unanswered, "answer to every operation")
        await steps.keep_or_take_conflicts()  # "keep mine" makes new operations
    target = await revision_of(map_id)
    for client in steps.clients:
        # The last live frame lost cannot show as a gap, nothing having come after it: such a
        # client asks. Every other one must get there by what it is sent (a gap it sees, it
        # must answer by itself).
        if client.board.revision < client.dropped_up_to and not client.ahead:
            await client.request_sync()
        await client.until(
            lambda c=client: c.board.revision == target and not c.ahead and not c.syncing,
            f"revision {target}",
        )


# --- the checks -----------------------------------------------------------------------------


def check_everything(clients, journey_map, setup, setup_revision: int, steps: Steps) -> None:
    history = list(MapEvent.objects.filter(map=journey_map).order_by("revision"))
    assert [e.revision for e in history] == list(range(1, len(history) + 1)), "holes in history"
    by_revision = {event.revision: event for event in history}
    problems = []
    for client in clients:
        problems += client.failures + client.mismatches
        problems += [f"{client.name}: {p}" for p in client.board.inconsistencies()]
        server = board_view(client.http.get(f"/api/maps/{journey_map.pk}/").json())
        problems += [f"{client.name}: {d}" for d in differences(client.board.view(), server)]
        problems += answers_problems(client, steps.roles[client.name], by_revision)
    problems += history_problems(clients, history, setup_revision)
    problems += last_writer_problems(journey_map, history, setup, setup_revision)
    problems += lost_work_problems(clients, history)
    assert not problems, "\n".join(problems[:40])
