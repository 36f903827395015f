"""Dot voting and private brainstorming: the facilitator's workshop rounds.

Both are map changes (map_change: revision, history, broadcast). Their secrets are kept by
realtime/secrecy.py: a dot is its voter's alone until the vote closes, a private card its
author's alone until the reveal.

Rules:
- Only a facilitator opens and closes a vote, and starts and reveals private brainstorming.
- Everyone on the workshop votes, viewers too: a dot is an opinion, not an edit of the map.
- One open vote per map; 1 to 20 dots each; several may go on one card. Only cards in pain
  points and opportunities lanes take dots. A card deleted meanwhile takes its dots with it, and
  its voters have them to place again. A dot stays on a card moved to another lane.
- Dots may be placed on a locked board: facilitators often lock the map for a vote.
- A card made while private brainstorming is on is private. Revealing makes them all public at
  once; it is also the only way to end private brainstorming, so no card stays hidden for good.
- Votes and private brainstorming do not overlap: private cards could not take dots, and a
  ranking must not name a hidden card.
"""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone

from ..access import role_of
from ..models import Card, LaneKind, Role, Vote, VoteRound, VoteStatus
from ..realtime.secrecy import OWNER
from ..serializers import CardSerializer, display_name
from .checks import is_whole_number, refuse, whole_number
from .pipeline import Change, map_change
from .positions import cell_ids

DOTS_RANGE = range(1, 21)
VOTE_LANES = (LaneKind.PAIN_POINTS, LaneKind.OPPORTUNITIES)


def _facilitator_only(actor, map, what: str) -> None:
    if role_of(actor, map.workshop) != Role.FACILITATOR:
        raise PermissionDenied(f"Only a facilitator can {what}.")


# --- dot voting -----------------------------------------------------------------------------


def open_round(map) -> VoteRound | None:
    return VoteRound.objects.filter(map=map, status=VoteStatus.OPEN).first()


def _round_for_dots(map, round_id) -> VoteRound:
    """The round a dot goes to or comes from: it must be this map's, and still open."""
    if not is_whole_number(round_id):
        refuse("round", "Must be the id of a vote round of this map.")
    found = VoteRound.objects.filter(map=map, pk=round_id).first()
    if found is None:
        refuse("round", f"No vote round {round_id} on this map.")
    if found.status != VoteStatus.OPEN:
        refuse("round", "This vote is closed: its dots can no longer change.")
    return found


def _votable_card(map, actor, card_id) -> Card:
    if not is_whole_number(card_id):
        refuse("card", "Must be the id of a card of this map.")
    card = Card.objects.visible_to(actor).select_related("lane").filter(map=map, pk=card_id).first()
    if card is None:
        refuse("card", f"No card {card_id} on this map.")
    if card.lane.kind not in VOTE_LANES:
        refuse("card", "Only pain points and opportunities take dots.")
    return card


def my_dots(vote_round: VoteRound, voter) -> dict:
    """What a voter alone may know during a vote: where their dots are, how many are left."""
    counts = Counter(vote_round.votes.filter(voter=voter).values_list("card_id", flat=True))
    mine = [{"card": card, "dots": n} for card, n in sorted(counts.items())]
    return {
        "round": vote_round.pk,
        "mine": mine,
        "dots_left": vote_round.dots_per_person - sum(counts.values()),
    }


def ranking(vote_round: VoteRound) -> list[dict]:
    """The cards with dots, most first; ties by the card's id, so everyone sees one order."""
    rows = vote_round.votes.values("card").annotate(votes=Count("id")).order_by("-votes", "card")
    return [{"card": row["card"], "votes": row["votes"]} for row in rows]


def round_data(vote_round: VoteRound) -> dict:
    """The round as everyone may see it."""
    data = {
        "round": vote_round.pk,
        "status": vote_round.status,
        "dots_per_person": vote_round.dots_per_person,
        "opened_by": display_name(vote_round.opened_by),
        "opened_at": _iso(vote_round.opened_at),
        "closed_at": _iso(vote_round.closed_at),
    }
    if vote_round.status == VoteStatus.REVEALED:
        data["ranking"] = ranking(vote_round)
    return data


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None  # the history stores plain JSON


@map_change(role=Role.VIEWER)
def vote_open(*, actor, map, dots_per_person: int):
    _facilitator_only(actor, map, "open a vote")
    dots = whole_number("dots_per_person", dots_per_person, DOTS_RANGE, "Dots per person")
    if open_round(map):
        refuse("vote", "A vote is already open on this map: close it first.")
    if map.controls.get("private"):
        refuse("vote", "Reveal the private cards before opening a vote.")
    vote_round = VoteRound.objects.create(map=map, dots_per_person=dots, opened_by=actor)
    return Change("vote.opened", {"vote": round_data(vote_round)})


@map_change(role=Role.VIEWER, while_locked=True)  # a locked board is often locked to vote
def vote_place(*, actor, map, round_id: int, card_id: int):
    vote_round = _round_for_dots(map, round_id)
    card = _votable_card(map, actor, card_id)
    used = vote_round.votes.filter(voter=actor).count()
    if used >= vote_round.dots_per_person:
        refuse(
            "card",
            f"You have placed all {vote_round.dots_per_person} of your dots: take one back first.",
        )
    Vote.objects.create(round=vote_round, card=card, voter=actor)
    return Change("vote.placed", {"card": card.pk, **my_dots(vote_round, actor), OWNER: actor.pk})


@map_change(role=Role.VIEWER, while_locked=True)  # a locked board is often locked to vote
def vote_remove(*, actor, map, round_id: int, card_id: int):
    vote_round = _round_for_dots(map, round_id)
    if not is_whole_number(card_id):
        refuse("card", "Must be the id of a card of this map.")
    dot = vote_round.votes.filter(voter=actor, card_id=card_id).last()
    if dot is None:
        refuse("card", "You have no dot on this card.")
    dot.delete()
    return Change("vote.removed", {"card": card_id, **my_dots(vote_round, actor), OWNER: actor.pk})


@map_change(role=Role.VIEWER)
def vote_close(*, actor, map, round_id: int):
    _facilitator_only(actor, map, "close a vote")
    vote_round = open_round(map)
    if vote_round is None or vote_round.pk != round_id:
        refuse("round", "This vote is not open: it is closed already, or was never opened.")
    vote_round.status, vote_round.closed_at = VoteStatus.REVEALED, timezone.now()
    vote_round.save(update_fields=["status", "closed_at"])
    return Change("vote.closed", {"vote": round_data(vote_round)})


def latest_ranking(map) -> dict[int, int]:
    """Dots per card in the map's last revealed vote (for the PDF summary)."""
    last = VoteRound.objects.filter(map=map, status=VoteStatus.REVEALED).order_by("-closed_at")
    last = last.first()
    return {row["card"]: row["votes"] for row in ranking(last)} if last else {}


# --- private brainstorming ------------------------------------------------------------------


def _set_private(map, on: bool) -> None:
    # Only our key: the other controls (lock, timer, follow...) belong to their own services.
    map.controls = {**map.controls, "private": on}
    map.save(update_fields=["controls"])


@map_change(role=Role.VIEWER)
def private_start(*, actor, map):
    _facilitator_only(actor, map, "start private brainstorming")
    if map.controls.get("private"):
        refuse("private", "Private brainstorming is already on.")
    if open_round(map):
        refuse("private", "Close the vote before starting private brainstorming.")
    _set_private(map, True)
    return Change("private.started", {"private": True})


@map_change(role=Role.VIEWER)
def private_reveal(*, actor, map):
    _facilitator_only(actor, map, "reveal the cards")
    if not map.controls.get("private"):
        refuse("private", "Private brainstorming is not on: there is nothing to reveal.")
    cards = list(Card.objects.filter(map=map, private=True).select_related("author"))
    Card.objects.filter(pk__in=[card.pk for card in cards]).update(private=False)
    for card in cards:
        card.private = False
    _set_private(map, False)
    payload = {
        "private": False,
        "cards": CardSerializer(cards, many=True).data,
        "cells": _cells_of(map, cards),
    }
    return Change("private.revealed", payload)


def _cells_of(map, cards) -> list[dict]:
    """The order of each cell that gained cards, now that all of them may be seen."""
    cells = sorted({(card.stage_id, card.lane_id) for card in cards})
    return [
        {"stage": stage, "lane": lane, "card_ids": cell_ids(map, stage=stage, lane=lane)}
        for stage, lane in cells
    ]


# --- what a board shows of them -------------------------------------------------------------


def board_state(map, viewer) -> dict:
    """The workshop rounds as `viewer` may see them: whether private brainstorming is on, and
    the last vote (with their own dots while open, the ranking once revealed)."""
    last = VoteRound.objects.filter(map=map).select_related("opened_by").first()
    vote = None
    if last is not None:
        vote = round_data(last)
        if last.status == VoteStatus.OPEN:
            vote |= my_dots(last, viewer)
    return {"private_mode": bool(map.controls.get("private")), "vote": vote}
