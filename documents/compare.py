"""Two boards side by side: this quarter and the last, the current state and the future one.

Works on two export documents (mapfile/): a map's, or a saved version's snapshot. Stages pair
by title (ignoring case), then by position; lanes by kind and title, then by kind. In each cell,
cards pair by their origin when both sides come from the same map (a map and its versions;
a card found in another cell has "moved"), then by how alike their texts are; a pair that
differs is "changed". Emotion is compared per
stage, metrics per stage by name.
"""

import difflib
from dataclasses import dataclass

from evidence.models import Kind
from workshops.access import map_for
from workshops.models import LaneKind
from workshops.services.checks import refuse

from . import mapfile
from .curve import mean, score_y, smooth_path
from .mapfile.format import CARD_FIELDS
from .numbers import quantity, signed, signed_percent
from .versions import version_for

SIMILAR = 0.6  # difflib ratio from which two cards read as one card, edited
STAGE_WIDTH, CURVE_HEIGHT = 100, 100


@dataclass
class Side:
    """One of the two boards: its document and how the page names it."""

    label: str
    document: dict


# --- choosing the two sides -----------------------------------------------------------------


def side_of_map(journey_map) -> Side:
    return Side(label=f"{journey_map.title} (now)", document=mapfile.map_export(journey_map))


def sides(user, journey_map, *, with_map=None, version=None) -> tuple[Side, Side]:
    """(left, right): a version of this map and the map now, or this map and another map of
    the same workshop. Either one unknown to the user: 404."""
    if (with_map is None) == (version is None):
        refuse("with", "Compare with one other map, or with one version.")
    if version is not None:
        found = version_for(user, journey_map, version)
        return (
            Side(label=f"{found.name} (revision {found.revision})", document=found.snapshot),
            side_of_map(journey_map),
        )
    other = map_for(user, with_map)
    if other.workshop_id != journey_map.workshop_id:
        refuse("with", "Compare with a map of the same workshop.")
    return Side(label=journey_map.title, document=mapfile.map_export(journey_map)), Side(
        label=other.title, document=mapfile.map_export(other)
    )


# --- the comparison -------------------------------------------------------------------------


def compare_boards(left: dict, right: dict) -> dict:
    """What changed from `left` to `right`, stage by stage and lane by lane."""
    stages = _pair(left["stages"], right["stages"], _stage_keys)
    lanes = _pair(left["lanes"], right["lanes"], _lane_keys)
    moves = _moves(left, right) if _same_source(left, right) else None
    rows = [
        {
            **_axis_row(lane),
            "kind": (lane[1] or lane[0])["kind"],
            "cells": [_cell(left, right, stage, lane, moves) for stage in stages],
        }
        for lane in lanes
    ]
    emotions = _emotions(left, right, stages)
    return {
        "stages": [_axis_row(stage) for stage in stages],
        "lanes": rows,
        "emotions": emotions,
        "curve": _curve(emotions),
        "metrics": _metrics(left, right, stages),
        "counts": _counts(rows),
    }


def _same_source(left: dict, right: dict) -> bool:
    source = [document.get("source", {}).get("map") for document in (left, right)]
    return source[0] is not None and source[0] == source[1]


def _stage_keys(stage: dict) -> tuple:
    return (stage["title"].casefold(),)


def _lane_keys(lane: dict) -> tuple:
    return (lane["kind"], lane["title"].casefold())


def _pair(lefts: list, rights: list, key) -> list[tuple]:
    """(left, right) pairs, one side None when only the other has it, in the right's order
    with what only the left has at its old place."""
    match = {}
    free = list(range(len(rights)))
    for i, item in enumerate(lefts):  # same name first
        j = next((j for j in free if key(rights[j]) == key(item)), None)
        if j is not None:
            match[i] = j
            free.remove(j)
    for i, item in enumerate(lefts):  # then the same place (a stage), or the same kind (a lane)
        if i in match:
            continue
        j = next((j for j in free if _loosely(key, item, rights[j], i, j)), None)
        if j is not None:
            match[i] = j
            free.remove(j)
    return _ordered(lefts, rights, match)


def _loosely(key, left: dict, right: dict, i: int, j: int) -> bool:
    if key is _lane_keys:
        return left["kind"] == right["kind"] and left["kind"] != LaneKind.TEXT
    return i == j


def _ordered(lefts, rights, match: dict) -> list[tuple]:
    pairs = [(None, right) for right in rights]
    back = {j: i for i, j in match.items()}
    for j, right in enumerate(rights):
        if j in back:
            pairs[j] = (lefts[back[j]], right)
    for i in sorted(set(range(len(lefts))) - set(match), reverse=True):
        before = [match[k] for k in match if k < i]
        at = max(before) + 1 if before else 0
        pairs.insert(at, (lefts[i], None))
    return pairs


def _axis_row(pair: tuple) -> dict:
    left, right = pair
    status = (
        "added"
        if left is None
        else "removed"
        if right is None
        else "renamed"
        if left["title"].casefold() != right["title"].casefold()
        else "same"
    )
    return {
        "title": (right or left)["title"],
        "old_title": left["title"] if left else "",
        "status": status,
        "left": left and left["key"],
        "right": right and right["key"],
    }


def _cards_in(document: dict, stage: dict | None, lane: dict | None) -> list[dict]:
    if stage is None or lane is None:
        return []
    return [
        card
        for card in document["cards"]
        if card["stage"] == stage["key"] and card["lane"] == lane["key"]
    ]


@dataclass
class Moves:
    """Where each card of the left side was, and which cards the right side still has: a map
    and its version know their cards by origin, so a card in another cell has moved."""

    was_in: dict  # origin -> ("Stage / Lane", the card) on the left
    kept: set  # origins on the right


def _moves(left: dict, right: dict) -> Moves:
    titles = {item["key"]: item["title"] for item in left["stages"] + left["lanes"]}
    return Moves(
        was_in={
            card["origin"]: (f"{titles[card['stage']]} / {titles[card['lane']]}", card)
            for card in left["cards"]
            if card.get("origin") is not None
        },
        kept={card.get("origin") for card in right["cards"]} - {None},
    )


def _cell(left: dict, right: dict, stage: tuple, lane: tuple, moves: Moves | None) -> dict:
    olds = _cards_in(left, stage[0], lane[0])
    news = _cards_in(right, stage[1], lane[1])
    pairs = _match_cards(olds, news, moves is not None)
    paired_old = {id(old) for old, _ in pairs}
    paired_new = {id(new) for _, new in pairs}
    unpaired = [new for new in news if id(new) not in paired_new]
    moved_in = [new for new in unpaired if moves and new.get("origin") in moves.was_in]
    return {
        "added": [_card(c) for c in unpaired if c not in moved_in],
        "removed": [
            _card(c)
            for c in olds
            if id(c) not in paired_old and not (moves and c.get("origin") in moves.kept)
        ],
        "moved": [_move(c, *moves.was_in[c["origin"]]) for c in moved_in],
        "changed": [_change(old, new) for old, new in pairs if _differs(old, new)],
        "same": [_card(new) for old, new in pairs if not _differs(old, new)],
    }


def _move(card: dict, where: str, before: dict) -> dict:
    return {**_change(before, card), "from": where}


def _match_cards(olds: list, news: list, by_origin: bool) -> list[tuple]:
    pairs, free = [], list(news)
    if by_origin:
        for old in olds:
            new = next(
                (
                    n
                    for n in free
                    if old.get("origin") is not None and n.get("origin") == old["origin"]
                ),
                None,
            )
            if new is not None:
                pairs.append((old, new))
                free.remove(new)
    rest = [old for old in olds if all(old is not o for o, _ in pairs)]
    scored = sorted(
        ((_alike(old, new), i, j) for i, old in enumerate(rest) for j, new in enumerate(free)),
        reverse=True,
    )
    used_old, used_new = set(), set()
    for score, i, j in scored:  # the most alike first, each card once
        if score >= SIMILAR and i not in used_old and j not in used_new:
            pairs.append((rest[i], free[j]))
            used_old.add(i)
            used_new.add(j)
    return pairs


def _alike(old: dict, new: dict) -> float:
    return difflib.SequenceMatcher(None, old["text"].casefold(), new["text"].casefold()).ratio()


def _differs(old: dict, new: dict) -> bool:
    return any(old.get(name) != new.get(name) for name in CARD_FIELDS)


def _card(card: dict) -> dict:
    return {name: card.get(name) for name in CARD_FIELDS}


def _change(old: dict, new: dict) -> dict:
    return {
        "before": _card(old),
        "after": _card(new),
        "fields": [name for name in CARD_FIELDS if old.get(name) != new.get(name)],
    }


def _counts(rows: list) -> dict:
    counts = {"added": 0, "removed": 0, "moved": 0, "changed": 0, "same": 0}
    for row in rows:
        for cell in row["cells"]:
            for status in counts:
                counts[status] += len(cell[status])
    return counts


# --- emotion --------------------------------------------------------------------------------


def _stage_emotion(document: dict, stage: dict | None):
    if stage is None:
        return None
    feeling = {lane["key"] for lane in document["lanes"] if lane["kind"] == LaneKind.EMOTIONS}
    scores = [
        card["emotion_score"]
        for card in document["cards"]
        if card["stage"] == stage["key"]
        and card["lane"] in feeling
        and card["emotion_score"] is not None
    ]
    found = mean(scores)
    return None if found is None else round(found, 2)


def _emotions(left: dict, right: dict, stages: list) -> list[dict]:
    rows = []
    for old, new in stages:
        before, after = _stage_emotion(left, old), _stage_emotion(right, new)
        change = None if before is None or after is None else round(after - before, 2)
        rows.append(
            {
                "stage": (new or old)["title"],
                "left": before,
                "right": after,
                "change": change,
                "left_text": _feeling(before),
                "right_text": _feeling(after),
                "change_text": _feeling(change),
                "text": f"{_feeling(before)} → {_feeling(after)}",
            }
        )
    return rows


def _feeling(value) -> str:
    return "none" if value is None else signed(value)


def _curve(emotions: list[dict]) -> dict:
    """Both curves in one drawing, as the board draws one (static/js/curve.js)."""

    def points(side):
        return [
            {
                "x": _x(i),
                "y": _y(row[side]),
                # The left side's marks are diamonds: the two sides differ in shape, not hue.
                "diamond": f"M{_x(i):g} {_y(row[side]) - 5:g}l5 5l-5 5l-5-5z",
            }
            for i, row in enumerate(emotions)
            if row[side] is not None
        ]

    left, right = points("left"), points("right")
    return {
        "width": max(len(emotions), 1) * STAGE_WIDTH,
        "height": CURVE_HEIGHT,
        "zero": CURVE_HEIGHT / 2,
        "left": left,
        "right": right,
        "stages": [{"x": _x(i), "title": row["stage"]} for i, row in enumerate(emotions)],
        "left_path": smooth_path(left) if len(left) > 1 else "",
        "right_path": smooth_path(right) if len(right) > 1 else "",
    }


def _x(index: int) -> float:
    return index * STAGE_WIDTH + STAGE_WIDTH / 2


def _y(score: float) -> float:
    # The board's box: 100 high, +2 at 10 and -2 at 90, as static/js/curve.js draws it.
    return round(score_y(score, top=10, bottom=CURVE_HEIGHT - 10), 2)


# --- metrics --------------------------------------------------------------------------------


def _stage_metrics(document: dict, stage: dict | None) -> dict:
    """The stage's metrics by name (ignoring case); the later piece of a name wins."""
    if stage is None:
        return {}
    card_stage = {card["key"]: card["stage"] for card in document["cards"]}
    found = {}
    for piece in document.get("evidence", []):
        where = piece.get("stage") or card_stage.get(piece.get("card"))
        if piece["kind"] == Kind.METRIC and where == stage["key"]:
            found[piece["name"].casefold()] = piece
    return found


def _metrics(left: dict, right: dict, stages: list) -> list[dict]:
    rows = []
    for old, new in stages:
        before, after = _stage_metrics(left, old), _stage_metrics(right, new)
        for name in [*before, *(n for n in after if n not in before)]:
            rows.append(_metric_row((new or old)["title"], before.get(name), after.get(name)))
    return rows


def _metric_row(stage: str, before: dict | None, after: dict | None) -> dict:
    """Left value -> right value; a metric on one side only shows its own baseline -> value."""
    piece = after or before
    if before and after:
        start, end, status = before["value"], after["value"], "both"
    else:
        start, end = piece.get("baseline"), piece["value"]
        status = "added" if after else "removed"
    change = None
    if start not in (None, 0) and end is not None:
        change = round((end - start) / abs(start) * 100, 1)
    unit = piece.get("unit", "")
    return {
        "stage": stage,
        "name": piece["name"],
        "unit": unit,
        "status": status,
        "before": start,
        "after": end,
        "change_percent": change,
        "text": _metric_text(start, end, unit, change),
    }


def _metric_text(start, end, unit: str, change) -> str:
    text = (
        f"{quantity(start, unit)} → {quantity(end, unit)}"
        if start is not None
        else quantity(end, unit)
    )
    return f"{text} ({signed_percent(change / 100)})" if change is not None else text


# --- the PDF's comparison section -----------------------------------------------------------


def for_export(user, journey_map, query) -> dict | None:
    """The comparison the PDF options ask for: compare=<map id> or compare_version=<id>."""
    chosen = {
        name: query.get(name)
        for name in ("compare", "compare_version")
        if str(query.get(name) or "").strip()
    }
    if not chosen:
        return None
    if len(chosen) > 1:
        refuse("compare", "Compare with one map or one version, not both.")
    ((name, raw),) = chosen.items()
    if not str(raw).strip().isdigit():
        refuse(name, "Give the id of a map or version as a whole number.")
    found = {"with_map": int(raw)} if name == "compare" else {"version": int(raw)}
    left, right = sides(user, journey_map, **found)
    result = compare_boards(left.document, right.document)
    return {
        "left": left.label,
        "right": right.label,
        "result": result,
        "by_stage": changes_by_stage(result),
    }


def changes_by_stage(result: dict) -> list[dict]:
    """The changed cells of a comparison, stage by stage: for a printed list, not a grid."""
    stages = []
    for index, stage in enumerate(result["stages"]):
        lanes = [
            {"lane": lane["title"], **lane["cells"][index]}
            for lane in result["lanes"]
            if any(lane["cells"][index][k] for k in ("added", "removed", "moved", "changed"))
        ]
        if lanes or stage["status"] != "same":
            stages.append({**stage, "lanes": lanes})
    return stages
