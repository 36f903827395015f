"""Two boards side by side: this quarter and the last, the current state and the future one.

Works on two export documents (mapfile/): a map's, or a saved version's snapshot. Stages pair
by title (ignoring case), then by position; lanes by kind and title, then by kind. In each cell,
cards pair by their origin when both sides come from the same map (a map and its versions;
a card found in another cell has "moved"), then by how alike their texts are; a pair that
differs is "changed". Emotion is compared per stage, metrics per stage by name, and each
stage's evidence piece by piece (compare_measures.py).
"""

import difflib
from dataclasses import dataclass

from workshops.access import map_for
from workshops.models import ID_MAX, LaneKind
from workshops.services.checks import refuse

from . import mapfile
from .compare_links import links
from .compare_measures import curve, emotions, evidence, metrics
from .mapfile.format import CARD_FIELDS
from .versions import version_for

SIMILAR = 0.6  # difflib ratio from which two cards read as one card, edited


@dataclass
class Side:
    """One of the two boards: its document and how the page names it."""

    label: str
    document: dict


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
    feelings = emotions(left, right, stages)
    return {
        "stages": [_axis_row(stage) for stage in stages],
        "lanes": rows,
        "emotions": feelings,
        "curve": curve(feelings),
        "metrics": metrics(left, right, stages),
        "evidence": evidence(left, right, stages, same_source=moves is not None),
        "counts": _counts(rows),
        "links": links(left, right),
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
    text = str(raw).strip()
    # ASCII digits within the ids' 64 bits: "²" is a digit to Python, and a longer number
    # would overflow the query.
    if not (text.isascii() and text.isdigit()) or int(text) > ID_MAX:
        refuse(name, "Give the id of a map or version as a whole number.")
    found = {"with_map": int(text)} if name == "compare" else {"version": int(text)}
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
