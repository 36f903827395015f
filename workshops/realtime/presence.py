"""Who is on a board, as one socket sees it.

Presence lives in the channel-layer group, not in a process: each socket announces itself to the
map's group when it joins and says goodbye when it leaves, each process heartbeats the states of
its sockets on the map every few seconds, and every socket keeps the peers it has heard from and
forgets those silent for too long. So it works the same with one Daphne process and the in-memory
layer as with several behind Redis, and a crashed process's people drop off by themselves.

Heartbeats go out per process, not per socket: with a hundred sockets on a board, per-socket
heartbeats would be a hundred times a hundred messages every period.
"""

# This process's sockets on each map: channel name -> presence state.
_local: dict[int, dict[str, dict]] = {}
_last_beat: dict[int, float] = {}


def join(map_id: int, channel: str, state: dict) -> None:
    _local.setdefault(map_id, {})[channel] = state


def leave(map_id: int, channel: str) -> None:
    sockets = _local.get(map_id, {})
    sockets.pop(channel, None)
    if not sockets:
        _local.pop(map_id, None)
        _last_beat.pop(map_id, None)


def local_states(map_id: int) -> dict[str, dict]:
    return dict(_local.get(map_id, {}))


def is_spokesman(map_id: int, channel: str) -> bool:
    """The oldest socket of this process on the map speaks for the process."""
    return next(iter(_local.get(map_id, {})), None) == channel


def beat_due(map_id: int, now: float, every: float) -> bool:
    """True for the first socket of this process to ask once `every` seconds have passed."""
    if now - _last_beat.get(map_id, float("-inf")) < every:
        return False
    _last_beat[map_id] = now
    return True


def initials(name: str) -> str:
    words = name.split()
    return "".join(word[0] for word in words[:2]).upper() or "?"


def person(user) -> dict:
    """How one user shows up in the presence list (without what they are editing)."""
    name = user.get_full_name() or user.username
    return {"id": user.pk, "name": name, "initials": initials(name)}


class Peers:
    """The sockets on a board that this socket has heard from, by channel name."""

    def __init__(self):
        self._state: dict[str, dict] = {}
        self._heard: dict[str, float] = {}

    def heard(self, channel: str, state: dict, now: float) -> bool:
        """Note a peer's hello or heartbeat; True when the visible list changed."""
        if self._state.get(channel) == state:
            # The common case, a heartbeat with nothing new: cheap, as every socket hears every
            # other socket's heartbeats.
            self._heard[channel] = now
            return False
        before = self.users()
        self._state[channel] = state
        self._heard[channel] = now
        return self.users() != before

    def heard_all(self, states: dict[str, dict], now: float) -> bool:
        changed = False
        for channel, state in states.items():
            changed = self.heard(channel, state, now) or changed
        return changed

    def left(self, channel: str) -> bool:
        if channel not in self._state:
            return False
        before = self.users()
        self._state.pop(channel, None)
        self._heard.pop(channel, None)
        return self.users() != before

    def expire(self, now: float, ttl: float) -> bool:
        """Forget peers not heard from for `ttl` seconds (their tab or process has gone)."""
        stale = [channel for channel, at in self._heard.items() if now - at > ttl]
        if not stale:
            return False
        before = self.users()
        for channel in stale:
            self._state.pop(channel)
            self._heard.pop(channel)
        return self.users() != before

    def users(self) -> list[dict]:
        """One entry per user, even with several tabs open; editing is any tab's card."""
        merged: dict[int, dict] = {}
        for state in self._state.values():
            entry = merged.setdefault(state["id"], dict(state))
            if entry.get("editing") is None:
                entry["editing"] = state.get("editing")
        return sorted(merged.values(), key=lambda entry: (entry["name"].lower(), entry["id"]))
