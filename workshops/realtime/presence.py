"""Who is on a board: the people of this process's sockets and of the other processes' hubs.

Presence lives in the map's channel-layer group, not in one process: each process's hub
(hub.py) says what its sockets are (`presence.beat`, with all of them at once) when they change
and every few seconds, and asks the others to say theirs when it starts. A hub keeps what each
other hub said last and forgets a hub silent for too long, so a crashed process's people drop
off by themselves; its own sockets it knows at first hand. One list is drawn from both and sent
to every local socket, encoded once.
"""


def initials(name: str) -> str:
    words = name.split()
    return "".join(word[0] for word in words[:2]).upper() or "?"


def person(user) -> dict:
    """How one user shows up in the presence list (without what they are editing)."""
    name = user.get_full_name() or user.username
    return {"id": user.pk, "name": name, "initials": initials(name)}


class Peers:
    """The sockets of the other processes' hubs on one board, as each hub last told."""

    def __init__(self):
        self._states: dict[str, dict[str, dict]] = {}  # hub channel -> socket key -> state
        self._heard: dict[str, float] = {}

    def heard(self, hub: str, states: dict[str, dict], now: float) -> bool:
        """Note a hub's beat (all of its sockets); True when what it says changed."""
        self._heard[hub] = now
        if self._states.get(hub) == states:
            return False  # the common case: a heartbeat with nothing new
        self._states[hub] = states
        return True

    def forget(self, hub: str) -> bool:
        self._heard.pop(hub, None)
        return self._states.pop(hub, None) is not None

    def expire(self, now: float, ttl: float) -> bool:
        """Forget hubs not heard from for `ttl` seconds (their process has gone)."""
        stale = [hub for hub, at in self._heard.items() if now - at > ttl]
        changed = False
        for hub in stale:
            changed = self.forget(hub) or changed
        return changed

    def states(self):
        for sockets in self._states.values():
            yield from sockets.values()

    def sockets_of(self, user_id: int) -> int:
        return sum(1 for state in self.states() if state["id"] == user_id)


def users(states) -> list[dict]:
    """One entry per user, even with several tabs open; editing is any tab's card."""
    merged: dict[int, dict] = {}
    for state in states:
        entry = merged.setdefault(state["id"], dict(state))
        if entry.get("editing") is None:
            entry["editing"] = state.get("editing")
    return sorted(merged.values(), key=lambda entry: (entry["name"].lower(), entry["id"]))
