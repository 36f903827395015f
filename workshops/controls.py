"""The facilitator's board controls: lock, countdown timer, follow me, present mode.

Each is a map change like any other (workshops.services.map_change): the facilitator role is
checked, the revision bumps, the change enters the history and reaches every open board. The
state lives in JourneyMap.controls under the keys `locked`, `timer`, `follow` and `present`;
other keys there belong to other features and are never touched here.

These changes are not undoable: they steer the session, not the map's content, and undoing a
timer start an hour later would mean nothing.

The timer needs no server tick. It is stored as {"duration", "remaining", "ends_at"}: running
while `ends_at` is set and in the future, paused (or reset) when it is null, with `remaining`
the seconds left when it stopped. Events carry the server's `now`, so that boards count down
from the server's clock rather than trusting their own.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Role, Stage
from .services import map_change

TIMER_MIN_SECONDS = 1
TIMER_MAX_SECONDS = 4 * 60 * 60


def _invalid(field: str, message: str):
    raise ValidationError({field: [message]})


def _now_data(now: datetime) -> str:
    return now.isoformat().replace("+00:00", "Z")


# --- lock -----------------------------------------------------------------------------------


@map_change(Role.FACILITATOR)
def board_set_lock(*, actor, map, locked: bool):
    """Lock the board (read-only for everyone but facilitators) or unlock it."""
    if not isinstance(locked, bool):
        _invalid("locked", "Must be true or false.")
    if bool(map.controls.get("locked")) == locked:
        _invalid("locked", "The board is already locked." if locked else "The board is not locked.")
    _set(map, locked=locked)
    return ("board.locked" if locked else "board.unlocked"), {"locked": locked}


def board_lock(*, actor, map, op_id: str = ""):
    return board_set_lock(actor=actor, map=map, op_id=op_id, locked=True)


def board_unlock(*, actor, map, op_id: str = ""):
    return board_set_lock(actor=actor, map=map, op_id=op_id, locked=False)


# --- timer ----------------------------------------------------------------------------------


def timer_state(timer: dict | None, now: datetime) -> dict | None:
    """The timer as it stands at `now`: one that has run out is stopped at zero."""
    if not timer:
        return None
    ends_at = _ends_at(timer)
    if ends_at is None or ends_at > now:
        return dict(timer)
    return {**timer, "remaining": 0, "ends_at": None}


def timer_running(timer: dict | None, now: datetime) -> bool:
    state = timer_state(timer, now)
    return bool(state and state["ends_at"])


def _ends_at(timer: dict) -> datetime | None:
    return datetime.fromisoformat(timer["ends_at"]) if timer.get("ends_at") else None


def _duration(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _invalid("duration", "The duration is a whole number of seconds.")
    if not TIMER_MIN_SECONDS <= value <= TIMER_MAX_SECONDS:
        _invalid("duration", f"The duration must be from {TIMER_MIN_SECONDS} second to "
                             f"{TIMER_MAX_SECONDS // 3600} hours ({TIMER_MAX_SECONDS} seconds).")
    return value


@map_change(Role.FACILITATOR)
def timer_start(*, actor, map, duration: int | None = None):
    """Start a countdown of `duration` seconds, or, without one, resume the paused timer."""
    now = timezone.now()
    if duration is None:
        timer = _resumable(timer_state(map.controls.get("timer"), now))
        duration, remaining = timer["duration"], timer["remaining"]
    else:
        duration = remaining = _duration(duration)
    ends_at = now + timedelta(seconds=remaining)
    timer = {"duration": duration, "remaining": remaining, "ends_at": _now_data(ends_at)}
    _set(map, timer=timer)
    return "timer.started", {"timer": timer, "now": _now_data(now)}


def _resumable(timer: dict | None) -> dict:
    if timer is None:
        _invalid("duration", "There is no timer to resume: give a duration.")
    if timer["ends_at"]:
        _invalid("duration", "The timer is already running.")
    if timer["remaining"] <= 0:
        _invalid("duration", "The timer has run out: give a duration, or reset it first.")
    return timer


@map_change(Role.FACILITATOR)
def timer_pause(*, actor, map):
    """Stop the countdown, keeping the time left."""
    now = timezone.now()
    timer = timer_state(map.controls.get("timer"), now)
    if not timer or not timer["ends_at"]:
        _invalid("timer", "The timer is not running.")
    left = (_ends_at(timer) - now).total_seconds()
    timer = {**timer, "remaining": round(max(left, 0), 3), "ends_at": None}
    _set(map, timer=timer)
    return "timer.paused", {"timer": timer, "now": _now_data(now)}


@map_change(Role.FACILITATOR)
def timer_reset(*, actor, map):
    """Stop the countdown and set it back to its whole duration."""
    now = timezone.now()
    timer = map.controls.get("timer")
    if not timer:
        _invalid("timer", "There is no timer to reset.")
    timer = {"duration": timer["duration"], "remaining": timer["duration"], "ends_at": None}
    _set(map, timer=timer)
    return "timer.reset", {"timer": timer, "now": _now_data(now)}


# --- follow the facilitator ---------------------------------------------------------------


@map_change(Role.FACILITATOR)
def follow_set(*, actor, map, follow: bool):
    """Ask everyone to follow the facilitator's view, or let them roam again."""
    if not isinstance(follow, bool):
        _invalid("follow", "Must be true or false.")
    _set(map, follow=follow)
    return ("follow.started" if follow else "follow.stopped"), {"follow": follow}


def follow_start(*, actor, map, op_id: str = ""):
    return follow_set(actor=actor, map=map, op_id=op_id, follow=True)


def follow_stop(*, actor, map, op_id: str = ""):
    return follow_set(actor=actor, map=map, op_id=op_id, follow=False)


# --- present mode ---------------------------------------------------------------------------


def _stage_of(map, stage_id) -> Stage:
    stage = None
    if isinstance(stage_id, int) and not isinstance(stage_id, bool):
        stage = Stage.objects.filter(map=map, pk=stage_id).first()
    if stage is None:
        _invalid("stage", f"No stage {stage_id} on this map.")
    return stage


@map_change(Role.FACILITATOR)
def present_start(*, actor, map, stage_id: int | None = None):
    """Start the walkthrough, at `stage_id` or at the first stage."""
    if stage_id is None:
        stage = Stage.objects.filter(map=map).first()
        if stage is None:
            _invalid("stage", "The map has no stages to present.")
    else:
        stage = _stage_of(map, stage_id)
    _set(map, present={"stage": stage.pk})
    return "present.started", {"present": {"stage": stage.pk}}


@map_change(Role.FACILITATOR)
def present_goto(*, actor, map, stage_id: int):
    """Show another stage to everyone in the walkthrough."""
    if not map.controls.get("present"):
        _invalid("stage", "The map is not being presented; start presenting first.")
    stage = _stage_of(map, stage_id)
    _set(map, present={"stage": stage.pk})
    return "present.moved", {"present": {"stage": stage.pk}}


@map_change(Role.FACILITATOR)
def present_stop(*, actor, map):
    """End the walkthrough for everyone."""
    if not map.controls.get("present"):
        _invalid("present", "The map is not being presented.")
    _set(map, present=None)
    return "present.stopped", {"present": None}


def _set(map, **values) -> None:
    """Change only our own keys of map.controls; None removes a key."""
    controls = dict(map.controls)
    for key, value in values.items():
        if value is None:
            controls.pop(key, None)
        else:
            controls[key] = value
    map.controls = controls
    map.save(update_fields=["controls"])
