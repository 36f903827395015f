"""The facilitator's board controls: lock, timer, follow, present mode
(workshops/services/facilitation.py), and the lock as every path to a map sees it."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from evidence import services as evidence_services
from evidence.models import Evidence
from workshops import services
from workshops.models import Card, JourneyMap, MapEvent
from workshops.services import facilitation

LOCKED = "The facilitator has locked the board."
QUOTE = {"kind": "quote", "text": "I keep items in the cart as a wishlist.", "who": "Buyer"}


def fresh(journey_map) -> JourneyMap:
    return JourneyMap.objects.get(pk=journey_map.pk)


@pytest.fixture
def locked_map(alice, journey_map):
    facilitation.board_lock(actor=alice, map=journey_map)
    return journey_map


class Clock:
    """Stands in for django.utils.timezone.now inside workshops.facilitation."""

    def __init__(self, monkeypatch):
        self.now = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
        monkeypatch.setattr(facilitation.timezone, "now", lambda: self.now)

    def advance(self, seconds: float):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


# --- lock -----------------------------------------------------------------------------------


def test_facilitator_locks_the_board_as_a_recorded_change(alice, journey_map):
    before = journey_map.revision
    event = facilitation.board_lock(actor=alice, map=journey_map)
    assert (event.type, event.payload) == ("board.locked", {"locked": True})
    assert event.revision == before + 1
    assert fresh(journey_map).controls["locked"] is True
    assert MapEvent.objects.filter(map=journey_map, type="board.locked").count() == 1


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_participants_cannot_lock_the_board(request, who, journey_map):
    with pytest.raises(PermissionDenied):
        facilitation.board_lock(actor=request.getfixturevalue(who), map=journey_map)
    assert fresh(journey_map).controls == {}
    assert fresh(journey_map).revision == journey_map.revision


def test_editor_cannot_add_card_while_locked(bob, locked_map, stages, lanes):
    revision = fresh(locked_map).revision
    with pytest.raises(services.BoardLocked, match=LOCKED):
        services.card_create(
            actor=bob,
            map=locked_map,
            stage_id=stages[0].pk,
            lane_id=lanes["actions"].pk,
            text="Compares prices",
        )
    assert not Card.objects.filter(map=locked_map).exists()
    assert fresh(locked_map).revision == revision


def test_facilitator_still_edits_a_locked_board(alice, locked_map, stages, lanes):
    event = services.card_create(
        actor=alice,
        map=locked_map,
        stage_id=stages[0].pk,
        lane_id=lanes["actions"].pk,
        text="Compares prices",
    )
    assert event.type == "card.created"


def test_editor_edits_again_once_unlocked(alice, bob, locked_map, stages, lanes):
    event = facilitation.board_unlock(actor=alice, map=locked_map)
    assert (event.type, fresh(locked_map).controls["locked"]) == ("board.unlocked", False)
    services.card_create(
        actor=bob,
        map=locked_map,
        stage_id=stages[0].pk,
        lane_id=lanes["actions"].pk,
        text="Compares prices",
    )
    assert Card.objects.filter(map=locked_map).count() == 1


def test_locking_a_locked_board_is_refused(alice, locked_map):
    with pytest.raises(ValidationError, match="already locked"):
        facilitation.board_lock(actor=alice, map=locked_map)


def test_lock_keeps_other_features_controls(alice, journey_map):
    JourneyMap.objects.filter(pk=journey_map.pk).update(controls={"private": True})
    facilitation.board_lock(actor=alice, map=journey_map)
    facilitation.timer_start(actor=alice, map=journey_map, duration=60)
    assert fresh(journey_map).controls["private"] is True


def test_a_service_may_opt_out_of_the_lock(bob, locked_map):
    @services.map_change(while_locked=True)
    def wave(*, actor, map):
        return services.Change("test.waved", {})

    assert wave(actor=bob, map=locked_map).type == "test.waved"


def test_locked_rest_card_changes_answer_423_and_change_nothing(
    client_for, bob, card, alice, journey_map, stages, lanes
):
    facilitation.board_lock(actor=alice, map=journey_map)
    api = client_for(bob)
    base = f"/api/maps/{journey_map.pk}/cards/"
    answers = [
        api.post(
            base, {"stage": stages[1].pk, "lane": lanes["actions"].pk, "text": "x"}, format="json"
        ),
        api.patch(f"{base}{card.pk}/", {"text": "Changed"}, format="json"),
        api.post(
            f"{base}{card.pk}/move/",
            {"stage": stages[2].pk, "lane": lanes["actions"].pk, "position": 0},
            format="json",
        ),
        api.delete(f"{base}{card.pk}/"),
    ]
    for answer in answers:
        assert answer.status_code == 423, answer.content
        assert answer.json() == {"code": "locked", "detail": LOCKED}
    card.refresh_from_db()
    assert (card.text, card.stage_id, Card.objects.filter(map=journey_map).count()) == (
        "Adds items to the cart",
        stages[0].pk,
        1,
    )


def test_editor_cannot_attach_evidence_while_locked(client_for, bob, locked_map, stages):
    answer = client_for(bob).post(
        f"/api/maps/{locked_map.pk}/evidence/", {**QUOTE, "stage": stages[0].pk}, format="json"
    )
    assert answer.status_code == 423
    assert answer.json()["detail"] == LOCKED
    with pytest.raises(services.BoardLocked):
        evidence_services.evidence_attach(actor=bob, map=locked_map, stage_id=stages[0].pk, **QUOTE)
    assert not Evidence.objects.filter(map=locked_map).exists()


def test_rest_lock_refusal_of_a_viewer_is_still_403(client_for, carol, locked_map, stages, lanes):
    answer = client_for(carol).post(
        f"/api/maps/{locked_map.pk}/cards/",
        {"stage": stages[0].pk, "lane": lanes["actions"].pk, "text": "x"},
        format="json",
    )
    assert answer.status_code == 403


def test_board_answer_shows_the_controls(client_for, carol, locked_map):
    board = client_for(carol).get(f"/api/maps/{locked_map.pk}/").json()
    assert board["controls"]["locked"] is True


# --- timer ----------------------------------------------------------------------------------


def test_timer_start_sends_when_it_ends_and_the_server_time(alice, journey_map, clock):
    event = facilitation.timer_start(actor=alice, map=journey_map, duration=300)
    assert event.type == "timer.started"
    timer, now = event.payload["timer"], datetime.fromisoformat(event.payload["now"])
    assert now == clock.now
    assert datetime.fromisoformat(timer["ends_at"]) == clock.now + timedelta(seconds=300)
    assert (timer["duration"], timer["remaining"]) == (300, 300)
    assert fresh(journey_map).controls["timer"] == timer


def test_pause_keeps_the_time_left_and_resume_goes_on_from_it(alice, journey_map, clock):
    facilitation.timer_start(actor=alice, map=journey_map, duration=300)
    clock.advance(100)
    paused = facilitation.timer_pause(actor=alice, map=journey_map).payload["timer"]
    assert (paused["remaining"], paused["ends_at"]) == (200, None)
    clock.advance(1000)  # time passes while paused: nothing counts down
    resumed = facilitation.timer_start(actor=alice, map=journey_map).payload["timer"]
    assert resumed["remaining"] == 200
    assert datetime.fromisoformat(resumed["ends_at"]) == clock.now + timedelta(seconds=200)


def test_reset_sets_the_whole_duration_back_and_stops(alice, journey_map, clock):
    facilitation.timer_start(actor=alice, map=journey_map, duration=300)
    clock.advance(42)
    event = facilitation.timer_reset(actor=alice, map=journey_map)
    assert event.payload["timer"] == {"duration": 300, "remaining": 300, "ends_at": None}
    assert not facilitation.timer_running(fresh(journey_map).controls["timer"], clock.now)


def test_a_timer_is_not_running_once_it_reaches_zero(alice, journey_map, clock):
    facilitation.timer_start(actor=alice, map=journey_map, duration=2)
    timer = fresh(journey_map).controls["timer"]
    assert facilitation.timer_running(timer, clock.now)
    clock.advance(2)
    assert not facilitation.timer_running(timer, clock.now)
    assert facilitation.timer_state(timer, clock.now)["remaining"] == 0
    with pytest.raises(ValidationError, match="not running"):
        facilitation.timer_pause(actor=alice, map=journey_map)
    with pytest.raises(ValidationError, match="run out"):
        facilitation.timer_start(actor=alice, map=journey_map)


@pytest.mark.parametrize("duration", [0, -5, 4 * 3600 + 1, 2.5, "60", True])
def test_bad_durations_are_refused(alice, journey_map, duration):
    with pytest.raises(ValidationError) as refused:
        facilitation.timer_start(actor=alice, map=journey_map, duration=duration)
    assert "duration" in refused.value.message_dict
    assert "timer" not in fresh(journey_map).controls
    assert fresh(journey_map).revision == journey_map.revision


@pytest.mark.parametrize("duration", [1, 4 * 3600])
def test_durations_from_one_second_to_four_hours_are_taken(alice, journey_map, duration):
    assert (
        facilitation.timer_start(actor=alice, map=journey_map, duration=duration).payload["timer"][
            "duration"
        ]
        == duration
    )


def test_resume_without_a_paused_timer_is_refused(alice, journey_map):
    with pytest.raises(ValidationError, match="no timer to resume"):
        facilitation.timer_start(actor=alice, map=journey_map)


def test_editor_cannot_drive_the_timer(alice, bob, journey_map):
    with pytest.raises(PermissionDenied):
        facilitation.timer_start(actor=bob, map=journey_map, duration=60)
    facilitation.timer_start(actor=alice, map=journey_map, duration=60)
    for service in (facilitation.timer_pause, facilitation.timer_reset):
        with pytest.raises(PermissionDenied):
            service(actor=bob, map=journey_map)
    assert fresh(journey_map).controls["timer"]["ends_at"] is not None


# --- follow and present -----------------------------------------------------------------------


def test_facilitator_asks_everyone_to_follow_and_stops(alice, bob, journey_map):
    assert facilitation.follow_start(actor=alice, map=journey_map).type == "follow.started"
    assert fresh(journey_map).controls["follow"] is True
    with pytest.raises(PermissionDenied):
        facilitation.follow_stop(actor=bob, map=journey_map)
    assert facilitation.follow_stop(actor=alice, map=journey_map).payload == {"follow": False}


def test_present_starts_at_the_first_stage_and_moves(alice, journey_map, stages):
    event = facilitation.present_start(actor=alice, map=journey_map)
    assert event.payload == {"present": {"stage": stages[0].pk}}
    event = facilitation.present_goto(actor=alice, map=journey_map, stage_id=stages[1].pk)
    assert (event.type, fresh(journey_map).controls["present"]) == (
        "present.moved",
        {"stage": stages[1].pk},
    )
    facilitation.present_stop(actor=alice, map=journey_map)
    assert "present" not in fresh(journey_map).controls


def test_present_goto_a_stage_of_another_map_is_refused(alice, workshop, journey_map):
    other = services.map_create(actor=alice, workshop=workshop, title="Other", template="b2b")
    facilitation.present_start(actor=alice, map=journey_map)
    revision = fresh(journey_map).revision
    with pytest.raises(ValidationError, match="No stage"):
        facilitation.present_goto(actor=alice, map=journey_map, stage_id=other.stages.first().pk)
    assert fresh(journey_map).revision == revision


def test_participants_cannot_present(bob, carol, journey_map):
    for person in (bob, carol):
        with pytest.raises(PermissionDenied):
            facilitation.present_start(actor=person, map=journey_map)
    assert "present" not in fresh(journey_map).controls


def test_goto_without_presenting_is_refused(alice, journey_map, stages):
    with pytest.raises(ValidationError, match="not being presented"):
        facilitation.present_goto(actor=alice, map=journey_map, stage_id=stages[1].pk)


# --- time's up, for a moment ------------------------------------------------------------------


def test_times_up_shows_for_a_moment_then_the_timer_is_gone(alice, journey_map, clock):
    facilitation.timer_start(actor=alice, map=journey_map, duration=60)
    controls = fresh(journey_map).controls
    clock.advance(60 + facilitation.TIME_UP_SHOWN_SECONDS - 1)
    assert facilitation.shown_controls(controls, clock.now)["timer"] == controls["timer"]
    clock.advance(1)
    assert "timer" not in facilitation.shown_controls(controls, clock.now)


def test_a_paused_or_reset_timer_stays_shown(alice, journey_map, clock):
    facilitation.timer_start(actor=alice, map=journey_map, duration=60)
    facilitation.timer_pause(actor=alice, map=journey_map)
    clock.advance(3600)
    assert "timer" in facilitation.shown_controls(fresh(journey_map).controls, clock.now)
    facilitation.timer_reset(actor=alice, map=journey_map)
    assert "timer" in facilitation.shown_controls(fresh(journey_map).controls, clock.now)


def test_clearing_the_timer_keeps_the_other_controls(alice, journey_map, clock):
    facilitation.board_lock(actor=alice, map=journey_map)
    facilitation.timer_start(actor=alice, map=journey_map, duration=5)
    clock.advance(3600)
    assert facilitation.shown_controls(fresh(journey_map).controls, clock.now) == {"locked": True}


def test_a_board_opened_after_times_up_has_no_timer(
    client, client_for, alice, carol, journey_map, clock
):
    facilitation.timer_start(actor=alice, map=journey_map, duration=30)
    clock.advance(30 + facilitation.TIME_UP_SHOWN_SECONDS)
    board = client_for(carol).get(f"/api/maps/{journey_map.pk}/").json()
    client.force_login(carol)
    page = client.get(f"/maps/{journey_map.pk}/")
    assert "timer" not in board["controls"]
    assert "timer" not in page.context["board"]["controls"]
    # Stored as it stopped: the facilitator may still reset it to its whole duration.
    assert fresh(journey_map).controls["timer"]["duration"] == 30
    reset = facilitation.timer_reset(actor=alice, map=journey_map)
    assert reset.payload["timer"]["remaining"] == 30


def test_boards_clear_times_up_after_as_many_seconds_as_the_server():
    script = (Path(settings.BASE_DIR) / "static/js/controls.js").read_text()
    seconds = re.search(r"const TIME_UP_SHOWN_SECONDS = (\d+);", script)
    assert int(seconds.group(1)) == facilitation.TIME_UP_SHOWN_SECONDS
