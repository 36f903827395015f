"""The board as a browser keeps it, for tests: static/js/store.js (how an event changes the
board) and voting-data.js (the rounds), with what a person sees in a form to compare
(Board.view, board_view for the server's board) and what no board may show
(Board.inconsistencies). tests/convergence_client.py keeps one per simulated tab.
"""


def by_position(item: dict) -> tuple:
    return item["position"], item["id"]


class Board:
    """The board as store.js keeps it: only snapshots and events change it."""

    def __init__(self, board: dict):
        self.load(board)

    def load(self, board: dict) -> None:
        skip = ("stages", "lanes", "cards", "evidence", "scores", "controls", "vote")
        self.map = {key: value for key, value in board.items() if key not in skip}
        self.revision = board["revision"]
        self.stages = sorted(board["stages"], key=by_position)
        self.lanes = sorted(board["lanes"], key=by_position)
        self.cards = {card["id"]: card for card in board["cards"]}
        self.cells: dict[tuple[int, int], list[int]] = {}
        for card in sorted(board["cards"], key=by_position):
            self.cell(card["stage"], card["lane"]).append(card["id"])
        self.controls = dict(board.get("controls") or {})
        self.private_mode = bool(board.get("private_mode"))
        self.vote = board.get("vote")

    def cell(self, stage: int, lane: int) -> list[int]:
        return self.cells.setdefault((stage, lane), [])

    def apply(self, event: dict) -> None:
        assert event["revision"] == self.revision + 1, (event["revision"], self.revision)
        self.revision = self.map["revision"] = event["revision"]
        handler = getattr(self, "on_" + event["event"].replace(".", "_"), None)
        assert handler is not None, f"no handler for {event['event']}"
        handler(event["payload"])

    # --- store.js's handlers

    def on_map_updated(self, p):
        self.map.update(p["map"])

    def on_stage_created(self, p):
        self.stages = _insert_axis(self.stages, p["stage"])
        self._restored(p.get("cards"))

    def on_stage_updated(self, p):
        self.stages = [p["stage"] if s["id"] == p["stage"]["id"] else s for s in self.stages]

    def on_stage_moved(self, p):
        self.stages = _reorder_axis(self.stages, p["stage_ids"])

    def on_stage_deleted(self, p):
        self.stages = [s for s in self.stages if s["id"] != p["stage"]["id"]]
        self._drop_cards(p.get("cards"))

    def on_lane_created(self, p):
        self.lanes = _insert_axis(self.lanes, p["lane"])
        self._restored(p.get("cards"))

    def on_lane_updated(self, p):
        self.lanes = [p["lane"] if lane["id"] == p["lane"]["id"] else lane for lane in self.lanes]

    def on_lane_moved(self, p):
        self.lanes = _reorder_axis(self.lanes, p["lane_ids"])

    def on_lane_deleted(self, p):
        self.lanes = [lane for lane in self.lanes if lane["id"] != p["lane"]["id"]]
        self._drop_cards(p.get("cards"))

    def on_card_created(self, p):
        self._place(p["card"])

    def on_card_updated(self, p):
        self.cards[p["card"]["id"]] = p["card"]

    def on_card_moved(self, p):
        self.cards[p["card"]["id"]] = p["card"]
        for side in (p["from"], p["to"]):
            self.cells[(side["stage"], side["lane"])] = list(side["card_ids"])

    def on_card_deleted(self, p):
        card = p["card"]
        self.cards.pop(card["id"], None)
        key = (card["stage"], card["lane"])
        self.cells[key] = [i for i in self.cell(*key) if i != card["id"]]

    def on_board_locked(self, p):  # controls.js
        self.controls["locked"] = p["locked"]

    on_board_unlocked = on_board_locked

    def on_timer_started(self, p):
        self.controls["timer"] = p["timer"]

    on_timer_paused = on_timer_reset = on_timer_started

    def on_follow_started(self, p):
        self.controls["follow"] = p["follow"]

    on_follow_stopped = on_follow_started

    def on_present_started(self, p):
        self.controls["present"] = p["present"]

    on_present_moved = on_present_started

    def on_present_stopped(self, p):
        self.controls.pop("present", None)

    # --- voting-data.js's

    def on_hidden(self, p):
        pass  # someone's secret change: a revision with nothing in it

    def on_vote_opened(self, p):
        self.vote = {**p["vote"], "mine": [], "dots_left": p["vote"]["dots_per_person"]}

    def on_vote_placed(self, p):
        if self.vote and self.vote.get("round") == p["round"]:
            self.vote.update(mine=p["mine"], dots_left=p["dots_left"])

    on_vote_removed = on_vote_placed

    def on_vote_closed(self, p):
        self.vote = {**(self.vote or {}), **p["vote"]}

    def on_private_started(self, p):
        self.private_mode = True

    def on_private_revealed(self, p):
        self.private_mode = False
        for card in p["cards"]:
            self.cards[card["id"]] = card
        for cell in p["cells"]:
            self.cells[(cell["stage"], cell["lane"])] = list(cell["card_ids"])

    # --- helpers, as store.js has them

    def _place(self, card):
        self.cards[card["id"]] = card
        ids = [i for i in self.cell(card["stage"], card["lane"]) if i != card["id"]]
        ids.insert(min(card["position"], len(ids)), card["id"])
        self.cells[(card["stage"], card["lane"])] = ids

    def _restored(self, cards):
        for card in sorted(cards or [], key=by_position):
            self._place(card)

    def _drop_cards(self, cards):
        for card in cards or []:
            self.cards.pop(card["id"], None)
        stages, lanes = {s["id"] for s in self.stages}, {lane["id"] for lane in self.lanes}
        for key in [k for k in self.cells if k[0] not in stages or k[1] not in lanes]:
            del self.cells[key]

    # --- what is compared

    def view(self) -> dict:
        """What a person sees, in a form to compare: orders as lists, not stored positions
        (a board learns a new order from card_ids and stage_ids, not every card's position)."""
        return {
            "revision": self.revision,
            "map": {key: self.map.get(key) for key in ("id", "title", "description")},
            "stages": [{k: s[k] for k in ("id", "title", "description")} for s in self.stages],
            "lanes": [{k: lane[k] for k in ("id", "title", "kind")} for lane in self.lanes],
            "cards": {i: _without(card, "position") for i, card in sorted(self.cards.items())},
            "cells": {f"{s}:{lane}": ids for (s, lane), ids in sorted(self.cells.items()) if ids},
            "controls": {
                "locked": bool(self.controls.get("locked")),
                "follow": bool(self.controls.get("follow")),
                "timer": self.controls.get("timer"),
                "present": self.controls.get("present"),
            },
            "private_mode": self.private_mode,
            "vote": _vote_view(self.vote, self.cards),
        }

    def inconsistencies(self) -> list[str]:
        """What no board may show: a card in no cell or two, a cell naming an unknown card or
        one of another cell, a cell of a stage or lane that has gone."""
        problems, seen = [], {}
        stages, lanes = {s["id"] for s in self.stages}, {lane["id"] for lane in self.lanes}
        for (stage, lane), ids in self.cells.items():
            if ids and (stage not in stages or lane not in lanes):
                problems.append(f"cell {stage}:{lane} of a stage or lane that has gone: {ids}")
            for card_id in ids:
                card = self.cards.get(card_id)
                if card is None or (card["stage"], card["lane"]) != (stage, lane):
                    problems.append(f"cell {stage}:{lane} names card {card_id}: {card}")
                if card_id in seen:
                    problems.append(f"card {card_id} in cells {seen[card_id]} and {stage}:{lane}")
                seen[card_id] = (stage, lane)
        problems += [f"card {i} in no cell" for i in self.cards if i not in seen]
        return problems


def _insert_axis(items, item):
    rest = [x for x in items if x["id"] != item["id"]]
    rest.insert(min(item["position"], len(rest)), item)
    return rest


def _reorder_axis(items, ids):
    by_id = {x["id"]: x for x in items}
    return [by_id[i] for i in ids if i in by_id]


def _without(mapping: dict, *keys) -> dict:
    return {key: value for key, value in mapping.items() if key not in keys}


def _vote_view(vote, cards) -> dict | None:
    """As voting-data.js reads it: my dots and the ranking without cards deleted since."""
    if not vote:
        return None
    view = {key: vote.get(key) for key in ("round", "status", "dots_per_person", "opened_by")}
    if vote.get("status") == "open":
        mine = sorted((e["card"], e["dots"]) for e in vote.get("mine") or [] if e["card"] in cards)
        view |= {"mine": mine, "dots_left": vote["dots_per_person"] - sum(d for _, d in mine)}
    else:
        view["ranking"] = [(r["card"], r["votes"]) for r in vote["ranking"] if r["card"] in cards]
    return view


def board_view(board: dict) -> dict:
    """The server's board (the nested map GET, a snapshot), in the form Board.view gives."""
    return Board(board).view()
