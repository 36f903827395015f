"""What test_convergence.py checks once the run has settled, each a function that returns its
problems (one line each): every answer fits its operation, the history holds exactly what was
acknowledged, the database holds what the history says last, and nothing a person wrote was
lost to someone else's stale edit or undo."""

from collections import Counter, defaultdict

from workshops.models import Card, Lane, MapEvent, Role, Stage

EVENT_OF = {
    "card.create": "card.created",
    "card.update": "card.updated",
    "card.move": "card.moved",
    "card.delete": "card.deleted",
    "stage.create": "stage.created",
    "stage.update": "stage.updated",
    "stage.move": "stage.moved",
    "stage.delete": "stage.deleted",
    "lane.create": "lane.created",
    "lane.update": "lane.updated",
    "lane.move": "lane.moved",
    "lane.delete": "lane.deleted",
    "map.update": "map.updated",
    "board.lock": "board.locked",
    "board.unlock": "board.unlocked",
    "timer.start": "timer.started",
    "timer.pause": "timer.paused",
    "timer.reset": "timer.reset",
    "follow.start": "follow.started",
    "follow.stop": "follow.stopped",
    "present.start": "present.started",
    "present.goto": "present.moved",
    "present.stop": "present.stopped",
    "vote.open": "vote.opened",
    "vote.place": "vote.placed",
    "vote.remove": "vote.removed",
    "vote.close": "vote.closed",
    "private.start": "private.started",
    "private.reveal": "private.revealed",
}
TEXT_FIELDS = ("text", "channel", "title", "description")
# The fields a person writes and the server guards against stale edits and undo (conflicts.py,
# undo.py's keys): the texts of each kind, and which cell a card is in.
GUARDED = {
    "card": ("text", "channel", "stage", "lane"),
    "stage": ("title", "description"),
    "lane": ("title",),
    "map": ("title", "description"),
}
FIELDS = {
    "card": (Card, ["stage", "lane", "text", "channel", "emotion_score", "severity", "private"]),
    "stage": (Stage, ["title", "description"]),
    "lane": (Lane, ["title", "kind"]),
}


# --- answers --------------------------------------------------------------------------------


def answers_problems(client, role, by_revision) -> list[str]:
    """Every answer fits its operation; every acknowledged one made the change it asked for."""
    problems = []
    for op_id, reply in client.replies.items():
        message = client.sent[op_id]
        if reply["type"] == "ack":
            problem = intent_problem(message, by_revision[reply["revision"]])
            seen = client.own_events.get(op_id, reply["revision"])
            if seen != reply["revision"]:
                problem = f"acked at {reply['revision']}, its event seen at {seen}"
        else:
            problem = refusal_problem(role, message, reply, by_revision)
        if problem:
            problems.append(f"{client.name} {message}: {problem}")
    return problems


def refusal_problem(role, message, reply, by_revision) -> str | None:
    kind, code = message["type"], reply["code"]
    data = message.get("data") or {}
    voting = kind in ("vote.place", "vote.remove")
    allowed = {
        "invalid": bool(reply.get("message")),
        "conflict": "base_revision" in data and any(f in data for f in TEXT_FIELDS),
        "undo_conflict": kind in ("undo", "redo"),
        "nothing_to_undo": kind == "undo",
        "nothing_to_redo": kind == "redo",
        "forbidden": role == Role.VIEWER and not voting,
        "locked": role != Role.FACILITATOR and not voting,
    }
    if not allowed.get(code):
        return f"refused with {code}, which it may not be"
    if code == "conflict":
        return conflict_problem(message, reply, by_revision)
    return None


def conflict_problem(message, reply, by_revision) -> str | None:
    """A conflict names the value someone wrote after the edit's base, at the revision they
    wrote it."""
    if reply["revision"] <= message["data"]["base_revision"]:
        return f"conflict at {reply['revision']}, not after the edit's base"
    event = by_revision.get(reply["revision"])
    name = message["type"].split(".")[0]
    pk = (message.get("data") or {}).get(name)
    payload = event.payload if event else {}
    candidates = [payload.get(name), *(payload.get("cards") or [])]
    found = [c for c in candidates if isinstance(c, dict) and (name == "map" or c.get("id") == pk)]
    if not found:
        return f"conflict names revision {reply['revision']}, which did not change it: {event}"
    if found[0].get(reply["field"]) != reply["current"]:
        return f"conflict says {reply['current']!r}, revision {reply['revision']} wrote {found[0]}"
    return None


def intent_problem(message: dict, event) -> str | None:
    """Whether the acknowledged operation's event is the change it asked for."""
    kind, data, p = message["type"], message.get("data") or {}, event.payload
    if kind in ("undo", "redo"):
        marker = p.get("undo")
        ok = isinstance(marker, dict) and marker.get("kind") == kind
        return None if ok else f"its event {event.type} {p} is no {kind}"
    if event.type != EVENT_OF[kind]:
        return f"made {event.type}"
    name = kind.split(".")[0]
    subject = p.get(name)
    if kind.endswith((".create", ".update")):
        values = {k: v for k, v in data.items() if k not in ("base_revision", name)}
        if kind == "card.create":
            values |= {"text": data.get("text", "")}
        wrong = {k: v for k, v in values.items() if subject.get(k) != v}
        return f"asked {wrong}, made {subject}" if wrong else None
    if kind == "card.move":
        placed = (subject["stage"], subject["lane"], p["to"]["card_ids"].index(subject["id"]))
        asked = (data["stage"], data["lane"], data["position"])
        return None if placed == asked else f"asked {asked}, made {placed}"
    if kind in ("stage.move", "lane.move"):
        at = p[f"{name}_ids"].index(data[name])
        return None if at == data["position"] else f"moved to {at}"
    if kind.endswith(".delete"):
        return None if subject["id"] == data[name] else f"deleted {subject['id']}"
    if kind in ("present.start", "present.goto") and "stage" in data:
        at = p["present"]["stage"]
        return None if at == data["stage"] else f"presents stage {at}"
    if kind == "timer.start" and "duration" in data:
        return None if p["timer"]["duration"] == data["duration"] else f"made {p['timer']}"
    return None


# --- the history ----------------------------------------------------------------------------


def history_problems(clients, history, setup_revision: int) -> list[str]:
    """Exactly one event per acknowledged operation, none for a refused one; each undo and
    redo reverses its own person's change, and nothing is reversed twice."""
    acked = {
        (client.user.pk, op_id): reply["revision"]
        for client in clients
        for op_id, reply in client.replies.items()
        if reply["type"] == "ack"
    }
    ours = [event for event in history if event.revision > setup_revision]
    made = Counter((event.actor_id, event.op_id) for event in ours)
    problems = [f"{key} made {n} events" for key, n in made.items() if n > 1]
    problems += [f"event {e.revision} {e.type} without an op id" for e in ours if not e.op_id]
    events = {(event.actor_id, event.op_id): event.revision for event in ours}
    if events != acked:
        problems.append(f"events and acks differ: {differences(events, acked)[:10]}")
    by_revision = {event.revision: event for event in history}
    reversed_ = Counter()
    for event in ours:
        if isinstance(undo := event.payload.get("undo"), dict):
            reversed_[undo["of"]] += 1
            target = by_revision[undo["of"]]
            target_undo = target.payload.get("undo") or {}
            if target.actor_id != event.actor_id:
                problems.append(f"{event.revision} reversed someone else's {target.revision}")
            elif undo["kind"] == "redo" and target_undo.get("kind") != "undo":
                problems.append(f"redo {event.revision} of {target.revision}, not an undo")
            elif undo["kind"] == "undo" and target.type != undo["event"]:
                problems.append(f"undo {event.revision} says {undo['event']}, was {target.type}")
    problems += [f"revision {r} reversed {n} times" for r, n in reversed_.items() if n > 1]
    return problems


def stored(journey_map) -> dict:
    """{(kind, id): fields} of the map's cards, stages and lanes, as the database holds them."""
    rows = {}
    for name, (model, names) in FIELDS.items():
        columns = {f"{n}_id" if n in ("stage", "lane") else n: n for n in names}
        for row in model.objects.filter(map=journey_map).values("id", *columns):
            rows[(name, row["id"])] = {columns[c]: row[c] for c in columns}
    return rows


def last_writer_problems(journey_map, history, setup: dict, setup_revision: int) -> list[str]:
    """What the history says last of each card, stage and lane (after the board as it was set
    up) is what the database holds: nothing acknowledged went missing, nothing came from
    nowhere."""
    last = dict(setup)
    for event in history[setup_revision:]:
        p, gone = event.payload, event.type.endswith(".deleted")
        for name in FIELDS:
            if isinstance(p.get(name), dict):
                last[(name, p[name]["id"])] = None if gone else p[name]
        for card in p.get("cards") or []:
            last[("card", card["id"])] = None if gone else card
    now = stored(journey_map)
    problems = []
    for key in sorted(now.keys() | {k for k, v in last.items() if v}):
        row, said = now.get(key), last.get(key)
        if row is None or said is None:
            problems.append(f"{key}: stored {row}, the history says {said}")
        elif wrong := {f: (v, said[f]) for f, v in row.items() if v != said[f]}:
            problems.append(f"{key}: stored and said differ: {wrong}")
    return problems


# --- nothing lost ---------------------------------------------------------------------------


def lost_work_problems(clients, history: list[MapEvent]) -> list[str]:
    """Replay the history field by field: no acknowledged edit based on a revision overwrote a
    value written after it (that is a conflict), and no undo or redo overwrote or deleted what
    someone else wrote after the change it reverses (that is an undo_conflict)."""
    based = {
        reply["revision"]: message["data"]["base_revision"]
        for client in clients
        for op_id, reply in client.replies.items()
        if reply["type"] == "ack"
        and "base_revision" in (message := client.sent[op_id]).get("data", {})
    }
    fields = FieldHistory()
    problems = []
    for event in history:
        base = based.get(event.revision)
        undo = event.payload.get("undo")
        for key, old, new in fields.changes(event):
            if base is not None and old is not None and old.revision > base:
                problems.append(
                    f"{event.revision} {event.type} (based on {base}) overwrote {key}, "
                    f"written at {old.revision}: {old.value!r} -> {new!r}"
                )
            if isinstance(undo, dict):
                problems += fields.undo_problems(event, undo["of"], key)
        fields.apply(event)
    return problems


class Written:
    def __init__(self, value, revision: int, actor: int | None):
        self.value, self.revision, self.actor = value, revision, actor


class FieldHistory:
    """Each guarded field's value, and every write of it (revision and who), as the history
    tells. A deleted object keeps its fields: brought back, it has the same values."""

    def __init__(self):
        self.now: dict[tuple, Written] = {}
        self.writes: dict[tuple, list[Written]] = defaultdict(list)

    @staticmethod
    def objects(event):
        p = event.payload
        for name in GUARDED:
            if isinstance(p.get(name), dict):
                yield name, p[name]
        for card in p.get("cards") or []:
            yield "card", card

    def fields_of(self, event):
        """(key, its value in the event) of each guarded field of each object it names."""
        for name, obj in self.objects(event):
            for field in GUARDED[name]:
                if field in obj:
                    yield (name, obj["id"], field), obj[field]

    def changes(self, event):
        """(key, what it was or None, its new value) for each guarded field the event writes,
        and for a deletion each field of what it deletes (its new value None)."""
        gone = event.type.endswith(".deleted")
        for key, value in self.fields_of(event):
            old = self.now.get(key)
            if gone:
                yield key, old, None
            elif old is None or old.value != value:
                yield key, old, value

    def apply(self, event) -> None:
        gone = event.type.endswith(".deleted")
        for key, value in self.fields_of(event):
            old = self.now.get(key)
            if gone and old is None:
                # From before the history (a template's stages and lanes): its values, and
                # brought back, its revisions (0) come back with it; no one wrote it here.
                self.now[key] = Written(value, 0, None)
            elif not gone and (old is None or old.value != value):
                written = Written(value, event.revision, event.actor_id)
                self.now[key] = written
                self.writes[key].append(written)

    def undo_problems(self, event, target: int, key) -> list[str]:
        """An undo (or redo) of revision `target` that writes or deletes `key` after someone
        else wrote it since `target`."""
        others = [
            w
            for w in self.writes[key]
            if target < w.revision < event.revision and w.actor != event.actor_id
        ]
        return [
            f"{event.revision} {event.payload['undo']['kind']} of {target} overwrote {key}, "
            f"which {w.actor} wrote at {w.revision}: {w.value!r}"
            for w in others[-1:]
        ]


def differences(mine, theirs, path: str = "", names=("client", "server")) -> list[str]:
    """Where two nested values differ, one line each."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        found = []
        for key in sorted(mine.keys() | theirs.keys(), key=str):
            where = f"{path}/{key}"
            if key not in mine:
                found.append(f"{where}: only the {names[1]}'s: {theirs[key]!r}")
            elif key not in theirs:
                found.append(f"{where}: only the {names[0]}'s: {mine[key]!r}")
            else:
                found += differences(mine[key], theirs[key], where, names)
        return found
    if mine != theirs:
        return [f"{path or '/'}: {names[0]} {mine!r}, {names[1]} {theirs!r}"]
    return []
