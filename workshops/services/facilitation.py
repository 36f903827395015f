"""The facilitator's board controls: lock, countdown timer, follow me, present mode.

Each is a map change like any other (services.pipeline.map_change): the facilitator role is
checked, the revision bumps, the change enters the history and reaches every open board. The
state lives in JourneyMap.controls under the keys `locked`, `timer`, `follow` and `present`;
other keys there belong to other features and are never touched here.

These changes are not undoable: they steer the session, not the map's content, and undoing a
timer start an hour later would mean nothing.

The timer needs no server tick. It is stored as {"duration", "remaining", "ends_at"}: running
while `ends_at` is set and in the future, paused (or reset) when it is null, with `remaining`
the seconds left when it stopped. Events carry the server's `now`, so that boards count down
from the server's clock rather than trusting their own. A timer that ran out shows "Time's up"
for TIME_UP_SHOWN_SECONDS, then leaves every board: boards clear it themselves at that moment
(no event is needed), and a board opened later is sent the controls without it
(`shown_controls`), while the stored timer stays for a reset.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from ..models import Role, Stage
from .checks import boolean, is_whole_number, refuse
from .pipeline import Change, map_change

TIMER_MIN_SECONDS = 1
TIMER_MAX_SECONDS = 4 * 60 * 60
# How long "Time's up" stays on the boards; static/js/controls.js has the same number.
TIME_UP_SHOWN_SECONDS = 8


def _now_data(now: datetime) -> str:
    return now.isoformat().replace("+00:00", "Z")


# --- lock -----------------------------------------------------------------------------------


@map_change(Role.FACILITATOR)
def board_set_lock(*, actor, map, locked: bool):
    """Lock the board (read-only for everyone but facilitators) or unlock it."""
    boolean("locked", locked)
    if bool(map.controls.get("locked")) == locked:
        refuse("locked", "The board is already locked." if locked else "The board is not locked.")
    _set(map, locked=locked)
    return Change("board.locked" if locked else "board.unlocked", {"locked": locked})


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


def shown_controls(controls: dict, now: datetime) -> dict:
    """The controls as a board is sent them at `now`: a timer that ran out more than
    TIME_UP_SHOWN_SECONDS ago is over for everyone, fresh loads included."""
    timer = controls.get("timer")
    ends_at = _ends_at(timer) if timer else None
    if ends_at is None or now < ends_at + timedelta(seconds=TIME_UP_SHOWN_SECONDS):
        return controls
    return {key: value for key, value in controls.items() if key != "timer"}


def _ends_at(timer: dict) -> datetime | None:
    return datetime.fromisoformat(timer["ends_at"]) if timer.get("ends_at") else None


def _duration(value) -> int:
    if not is_whole_number(value):
        refuse("duration", "The duration is a whole number of seconds.")
    if not TIMER_MIN_SECONDS <= value <= TIMER_MAX_SECONDS:
        refuse(
            "duration",
            f"The duration must be from {TIMER_MIN_SECONDS} second to "
            f"{TIMER_MAX_SECONDS // 3600} hours ({TIMER_MAX_SECONDS} seconds).",
        )
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
    return Change("timer.started", {"timer": timer, "now": _now_data(now)})


def _resumable(timer: dict | None) -> dict:
    if timer is None:
        refuse("duration", "There is no timer to resume: give a duration.")
    if timer["ends_at"]:
        refuse("duration", "The timer is already running.")
    if timer["remaining"] <= 0:
        refuse("duration", "The timer has run out: give a duration, or reset it first.")
    return timer


@map_change(Role.FACILITATOR)
def timer_pause(*, actor, map):
    """Stop the countdown, keeping the time left."""
    now = timezone.now()
    timer = timer_state(map.controls.get("timer"), now)
    if not timer or not timer["ends_at"]:
        refuse("timer", "The timer is not running.")
    left = (_ends_at(timer) - now).total_seconds()
    timer = {**timer, "remaining": round(max(left, 0), 3), "ends_at": None}
    _set(map, timer=timer)
    return Change("timer.paused", {"timer": timer, "now": _now_data(now)})


@map_change(Role.FACILITATOR)
def timer_reset(*, actor, map):
    """Stop the countdown and set it back to its whole duration."""
    now = timezone.now()
    timer = map.controls.get("timer")
    if not timer:
        refuse("timer", "There is no timer to reset.")
    timer = {"duration": timer["duration"], "remaining": timer["duration"], "ends_at": None}
    _set(map, timer=timer)
    return Change("timer.reset", {"timer": timer, "now": _now_data(now)})


# --- follow the facilitator ---------------------------------------------------------------


@map_change(Role.FACILITATOR)
def follow_set(*, actor, map, follow: bool):
    """Ask everyone to follow the facilitator's view, or let them roam again."""
    boolean("follow", follow)
    _set(map, follow=follow)
    return Change("follow.started" if follow else "follow.stopped", {"follow": follow})


def follow_start(*, actor, map, op_id: str = ""):
    return follow_set(actor=actor, map=map, op_id=op_id, follow=True)


def follow_stop(*, actor, map, op_id: str = ""):
    return follow_set(actor=actor, map=map, op_id=op_id, follow=False)


# --- present mode ---------------------------------------------------------------------------


def _stage_of(map, stage_id) -> Stage:
    stage = None
    if is_whole_number(stage_id):
        stage = Stage.objects.filter(map=map, pk=stage_id).first()
    if stage is None:
        refuse("stage", f"No stage {stage_id} on this map.")
    return stage


@map_change(Role.FACILITATOR)
def present_start(*, actor, map, stage_id: int | None = None):
    """Start the walkthrough, at `stage_id` or at the first stage."""
    if stage_id is None:
        stage = Stage.objects.filter(map=map).first()
        if stage is None:
            refuse("stage", "The map has no stages to present.")
    else:
        stage = _stage_of(map, stage_id)
    _set(map, present={"stage": stage.pk})
    return Change("present.started", {"present": {"stage": stage.pk}})


@map_change(Role.FACILITATOR)
def present_goto(*, actor, map, stage_id: int):
    """Show another stage to everyone in the walkthrough."""
    if not map.controls.get("present"):
        refuse("stage", "The map is not being presented; start presenting first.")
    stage = _stage_of(map, stage_id)
    _set(map, present={"stage": stage.pk})
    return Change("present.moved", {"present": {"stage": stage.pk}})


@map_change(Role.FACILITATOR)
def present_stop(*, actor, map):
    """End the walkthrough for everyone."""
    if not map.controls.get("present"):
        refuse("present", "The map is not being presented.")
    _set(map, present=None)
    return Change("present.stopped", {"present": None})


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
