"""The random steps of test_convergence.py: what each person does next on the board as they see
it (ids they hold may be stale, positions out of range, texts based on an old revision), the
faults (dropping off, sending again, asking for old events). convergence_checks.py says what
each answer may be."""

from collections import Counter

from channels.db import database_sync_to_async

from workshops.models import JourneyMap, Role

WORDS = [
    "Adds items to the cart as a wishlist",
    "Returns three times before buying",
    "Uses site search right before purchase",
    "Skips the homepage content",
    "Falls back to the main navigation",
    "Clicks “Buy Policy”",
    "Fills the lead form",
    "Zoë compares prices ☕",
    "Reads reviews",
]
LANE_KINDS = [
    "touchpoints",
    "actions",
    "thoughts",
    "emotions",
    "pain_points",
    "opportunities",
    "backstage",
    "kpis",
    "text",
]
VOTE_LANES = {"pain_points", "opportunities"}
HOT = 3  # most cards go to the first three stages and lanes


class Steps:
    """The run's choices, from one seeded random generator."""

    def __init__(self, rng, clients, roles: dict):
        self.rng, self.clients, self.roles = rng, clients, roles
        self.done = Counter()
        self.seen = {"card": set(), "stage": set(), "lane": set()}  # for stale ids
        self.drafts = {client.name: {} for client in clients}  # (kind, id) -> base revision
        self.handled = set()  # conflicts already kept or given up
        self.edited: list[int] = []  # the cards edited last, by anyone: where edits collide

    # --- one step

    async def step(self) -> None:
        # A viewer mostly watches: they vote, and now and then try what their board offers not.
        weights = [0.5 if self.roles[c.name] == Role.VIEWER else 1 for c in self.clients]
        client = self.rng.choices(self.clients, weights)[0]
        await self.keep_or_take_conflicts()
        if not client.connected:
            if self.rng.random() < 0.6:
                await self.connect(client)
            elif client.board is not None:
                await self.operate(client, wait=False)  # made offline, sent on reconnecting
            return
        self.note(client.board)
        chance = self.rng.random()
        if chance < 0.02:
            await self.drop_off(client)
        elif chance < 0.05:
            await self.resend(client)
        elif chance < 0.065:
            self.done["old sync"] += 1
            revision = client.board.revision
            await client.request_sync(since=max(0, revision - self.rng.randint(0, 40)))
        elif chance < 0.095 and self.roles[client.name] != Role.VIEWER:
            await self.start_editing(client)
        elif chance < 0.13:
            self.done["settle"] += 1
            for other in self.clients:
                await other.until(lambda o=other: not o.unanswered, "answers", closed_ok=True)
        else:
            await self.operate(client, wait=self.rng.random() < 0.6)
        if len(client.unanswered) > 4:
            oldest = next(iter(client.unanswered))
            await client.until(lambda: oldest not in client.unanswered, oldest, closed_ok=True)

    async def connect(self, client, mode: str | None = None) -> None:
        """Back on the board, and caught up by what the connection brings (the snapshot, or
        `sync`), at least to where the server was: not waiting for a later event to show a gap."""
        mode = mode or self.rng.choice(["fresh", "browser", "catch_up"])
        self.done[f"connect {mode}"] += 1
        server = await revision_of(client.map_id)
        await client.connect(mode)
        await client.until(
            lambda: client.board and not client.first_snapshot and client.board.revision >= server,
            f"catching up to {server} ({mode})",
        )

    async def drop_off(self, client) -> None:
        """Gone, now and then with operations just sent whose answers it will never read."""
        for _ in range(self.rng.choice([0, 0, 1, 2])):
            self.done["sent, then dropped off"] += 1
            await self.operate(client, wait=False)
        self.done["drop off"] += 1
        await client.disconnect()

    async def resend(self, client) -> None:
        acked = sorted(i for i, reply in client.replies.items() if reply["type"] == "ack")
        acked = [op_id for op_id in acked if op_id not in client.unanswered]
        if acked:
            self.done["resend"] += 1
            await client.resend(self.rng.choice(acked))

    async def start_editing(self, client) -> None:
        """Presence says what one edits; the text sent later is based on this revision."""
        board = client.board
        card = self.rng.choice(sorted(board.cards)) if board.cards else None
        if card is not None:
            self.drafts[client.name][("card", card)] = board.revision
        self.done["editing"] += 1
        await client.send({"type": "editing", "card": card})

    async def keep_or_take_conflicts(self) -> None:
        """Someone else changed the text: keep mine (again, based on the conflict's revision)
        or take theirs (nothing sent), as the board's conflict dialog offers."""
        for client in self.clients:
            for op_id, reply in list(client.replies.items()):
                if reply.get("code") != "conflict" or (client.name, op_id) in self.handled:
                    continue
                self.handled.add((client.name, op_id))
                if self.rng.random() < 0.5:
                    message = client.sent[op_id]
                    self.done["kept mine"] += 1
                    data = {**message["data"], "base_revision": reply["revision"]}
                    await client.operate(message["type"], data)

    async def operate(self, client, wait: bool) -> None:
        operation = self.operation(client)
        if operation is None:
            return
        self.done[operation[0]] += 1
        op_id = await client.operate(*operation)
        if wait:
            await client.until(lambda: op_id not in client.unanswered, op_id, closed_ok=True)

    def note(self, board) -> None:
        self.seen["card"].update(board.cards)
        self.seen["stage"].update(s["id"] for s in board.stages)
        self.seen["lane"].update(lane["id"] for lane in board.lanes)

    def summary(self) -> str:
        stats = Counter()
        codes = Counter()
        for client in self.clients:
            stats.update(client.stats)
            codes.update(r.get("code", "ack") for r in client.replies.values())
        return f"steps {dict(self.done)}; clients {dict(stats)}; answers {dict(codes)}"

    # --- what to do, on the board as this person sees it

    def operation(self, client):
        board, role, rng = client.board, self.roles[client.name], self.rng
        options = []
        vote = board.vote if board.vote and board.vote.get("status") == "open" else None
        if role == Role.VIEWER:
            # Refused (forbidden): a viewer's board offers no editing, but a message may come.
            options += [(1, lambda b: self.card_update(client, b)), (0.5, lambda b: ("undo", None))]
        else:
            crowded = len(board.cards) > 45
            some = 1 if board.cards else 0
            options += [
                (3 if crowded else 14, self.card_create),
                (14 * some, lambda b: self.card_update(client, b)),
                (12 * some, self.card_move),
                ((18 if crowded else 6) * some, lambda b: ("card.delete", {"card": self.card(b)})),
                (2 if len(board.stages) < 9 else 0, lambda b: self.axis_create(b, "stage")),
                (3, lambda b: self.axis_update(client, b, "stage")),
                (2, lambda b: self.axis_move(b, "stage")),
                (1 if len(board.stages) > 3 else 0, lambda b: self.axis_delete(b, "stage")),
                (2 if len(board.lanes) < 10 else 0, lambda b: self.axis_create(b, "lane")),
                (3, lambda b: self.axis_update(client, b, "lane")),
                (2, lambda b: self.axis_move(b, "lane")),
                (1 if len(board.lanes) > 3 else 0, lambda b: self.axis_delete(b, "lane")),
                (3, lambda b: self.map_update(client, b)),
                (10, lambda b: ("undo", None)),
                (4, lambda b: ("redo", None)),
            ]
        if vote:
            options += [(5, lambda b: self.dot("vote.place", b)), (2, self.dot_back)]
        if role == Role.FACILITATOR:
            locked = bool(board.controls.get("locked"))
            lock = "board.unlock" if locked else "board.lock"
            options.append((10 if locked else 1.5, lambda b: (lock, None)))
            if board.private_mode:
                options.append((2, lambda b: ("private.reveal", None)))
            elif vote:
                options.append((4, lambda b: ("vote.close", {"round": vote["round"]})))
            else:
                dots = rng.randint(1, 4)
                options.append((3, lambda b: ("private.start", None)))
                options.append((3, lambda b: ("vote.open", {"dots_per_person": dots})))
            options += self.steering(board)
        weights, makers = zip(*options, strict=True)
        return rng.choices(makers, weights)[0](board)

    def steering(self, board) -> list:
        """The facilitator's other controls; pausing, resetting or stopping what is not on is
        refused (invalid), as a stale board may try."""
        follow = "follow.stop" if board.controls.get("follow") else "follow.start"
        return [
            (1, self.timer_start),
            (1, lambda b: ("timer.pause", None)),
            (0.5, lambda b: ("timer.reset", None)),
            (1, lambda b: (follow, None)),
            (1.5 if board.controls.get("present") else 0.5, self.present),
        ]

    def timer_start(self, board):
        if self.rng.random() < 0.3:
            return "timer.start", None  # resume the paused timer
        # Hours, so that no timer runs out during a run: a board stops showing one that has.
        return "timer.start", {"duration": self.rng.randint(3 * 3600, 4 * 3600)}

    def present(self, board):
        stage = self.pick("stage", [item["id"] for item in board.stages])
        if not board.controls.get("present"):
            return "present.start", {"stage": stage} if self.rng.random() < 0.7 else None
        if self.rng.random() < 0.25:
            return "present.stop", None
        return "present.goto", {"stage": stage}

    def pick(self, kind: str, items: list):
        if not items or self.rng.random() < 0.03:  # an id this person saw, maybe gone since
            return self.rng.choice(sorted(self.seen[kind] or {1}))
        return self.rng.choice(items)

    def place(self, board, kind: str):
        """A stage or lane to put a card in: mostly the first few, so that cells fill up and
        orders within them matter."""
        items = board.stages if kind == "stage" else board.lanes
        return self.pick(kind, items[:HOT] if self.rng.random() < 0.8 else items)

    def card(self, board):
        return self.pick("card", sorted(board.cards))

    def text(self) -> str:
        return f"{self.rng.choice(WORDS)} {self.rng.randrange(10_000)}"

    def base(self, client, key) -> dict:
        """The revision an edit is based on: when its editor started, now, a while ago, or
        none (no conflict check)."""
        revision = client.board.revision
        draft = self.drafts[client.name].pop(key, None)
        base = draft if draft is not None else self.rng.choice([None, revision, revision - 5])
        return {} if base is None else {"base_revision": max(0, base)}

    def card_create(self, board):
        rng = self.rng
        stage, lane = self.place(board, "stage"), self.place(board, "lane")
        stage_id = stage["id"] if isinstance(stage, dict) else stage
        lane_id = lane["id"] if isinstance(lane, dict) else lane
        kind = lane.get("kind") if isinstance(lane, dict) else None
        data = {"stage": stage_id, "lane": lane_id, "text": self.text()}
        size = len(board.cells.get((stage_id, lane_id), []))
        chance = rng.random()
        if chance < 0.4:
            data["position"] = rng.randint(0, size)
        elif chance < 0.43:
            data["position"] = size + rng.randint(3, 6)
        if kind == "emotions" and rng.random() < 0.6:
            data["emotion_score"] = rng.randint(-2, 2)
        elif kind == "pain_points" and rng.random() < 0.6:
            data["severity"] = rng.randint(1, 3)
        elif rng.random() < 0.03:
            data["emotion_score"] = 1  # refused but in an emotions lane
        if rng.random() < 0.2:
            data["channel"] = rng.choice(["web", "app", "store", "phone", ""])
        return "card.create", data

    def busy_card(self, board):
        """Often a card someone has just edited or moved, as people in a room do: edits based
        on an older revision then meet a newer text (a conflict), an undo others' changes."""
        recent = [i for i in self.edited if i in board.cards]
        card_id = self.rng.choice(recent) if recent and self.rng.random() < 0.4 else None
        card_id = self.card(board) if card_id is None else card_id
        self.edited = [*self.edited, card_id][-4:]
        return card_id

    def card_update(self, client, board):
        rng = self.rng
        card_id = self.busy_card(board)
        card = board.cards.get(card_id, {})
        lane = next((lane for lane in board.lanes if lane["id"] == card.get("lane")), {})
        data = {"card": card_id}
        if rng.random() < 0.15:
            data["channel"] = rng.choice(["web", "app", "e-mail"])
        if lane.get("kind") == "emotions" and rng.random() < 0.3:
            data["emotion_score"] = rng.choice([None, -2, -1, 0, 1, 2])
        if lane.get("kind") == "pain_points" and rng.random() < 0.3:
            data["severity"] = rng.choice([None, 1, 2, 3])
        if len(data) == 1 or rng.random() < 0.7:
            data["text"] = self.text()
        return "card.update", {**data, **self.base(client, ("card", card_id))}

    def card_move(self, board):
        rng = self.rng
        card_id = self.busy_card(board)
        card = board.cards.get(card_id)
        if card is not None and rng.random() < 0.4:
            stage, lane = card["stage"], card["lane"]  # a reorder within its cell
        else:
            stage, lane = self.place(board, "stage"), self.place(board, "lane")
            stage, lane = [x["id"] if isinstance(x, dict) else x for x in (stage, lane)]
        cell = board.cells.get((stage, lane), [])
        last = len(cell) - 1 if card_id in cell else len(cell)
        position = rng.randint(0, max(0, last)) if rng.random() < 0.97 else last + 2
        return "card.move", {"card": card_id, "stage": stage, "lane": lane, "position": position}

    def axis(self, board, kind: str):
        return board.stages if kind == "stage" else board.lanes

    def axis_create(self, board, kind: str):
        rng = self.rng
        data = {"title": self.text()[:60]}
        if rng.random() < 0.5:
            data["position"] = rng.randint(0, len(self.axis(board, kind)))
        if kind == "stage" and rng.random() < 0.3:
            data["description"] = self.text()
        if kind == "lane":
            data["kind"] = rng.choice(LANE_KINDS) if rng.random() < 0.97 else "colour"
        return f"{kind}.create", data

    def axis_update(self, client, board, kind: str):
        rng = self.rng
        pk = self.pick(kind, [item["id"] for item in self.axis(board, kind)])
        data = {kind: pk}
        if rng.random() < 0.7:
            data["title"] = self.text()[:60] if rng.random() < 0.97 else ""
        if kind == "stage" and (rng.random() < 0.4 or len(data) == 1):
            data["description"] = self.text()
        if kind == "lane" and (rng.random() < 0.3 or len(data) == 1):
            data["kind"] = rng.choice(LANE_KINDS)
        return f"{kind}.update", {**data, **self.base(client, (kind, pk))}

    def axis_move(self, board, kind: str):
        items = self.axis(board, kind)
        pk = self.pick(kind, [item["id"] for item in items])
        return f"{kind}.move", {kind: pk, "position": self.rng.randint(0, max(0, len(items) - 1))}

    def axis_delete(self, board, kind: str):
        ids = [item["id"] for item in self.axis(board, kind)]
        return f"{kind}.delete", {kind: self.pick(kind, ids)}

    def map_update(self, client, board):
        data = {"title": self.text()[:60]} if self.rng.random() < 0.7 else {}
        if not data or self.rng.random() < 0.4:
            data["description"] = self.text()
        return "map.update", {**data, **self.base(client, ("map", None))}

    def dot(self, kind: str, board):
        lanes = {lane["id"] for lane in board.lanes if lane["kind"] in VOTE_LANES}
        cards = sorted(i for i, card in board.cards.items() if card["lane"] in lanes)
        card = self.rng.choice(cards) if cards else self.card(board)
        return kind, {"round": board.vote["round"], "card": card}

    def dot_back(self, board):
        mine = [entry["card"] for entry in board.vote.get("mine") or []]
        if not mine:
            return self.dot("vote.remove", board)
        return "vote.remove", {"round": board.vote["round"], "card": self.rng.choice(mine)}


@database_sync_to_async
def revision_of(map_id: int) -> int:
    return JourneyMap.objects.values_list("revision", flat=True).get(pk=map_id)
