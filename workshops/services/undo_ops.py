"""The operations that reverse changes to the board's content, by the names an inverse gives
them (restore.inverse). Most are the service's own body (`__wrapped__`: the undo is already a
map change); moves and deletions bring things back as near as they can go."""

from ..models import Card, Lane, Stage, Vote, VoteStatus
from ..serializers import CardSerializer, LaneSerializer, StageSerializer, card_data
from . import board, checks, maps, restore
from .pipeline import Change
from .positions import reorder
from .undo import UndoRefused, put_back, register


def _card_move(*, actor, map, card_id: int, stage_id: int, lane_id: int, position: int):
    # The cell may have fewer cards than it had: put the card back as near as it can go.
    others = Card.objects.filter(map=map, stage_id=stage_id, lane_id=lane_id).exclude(pk=card_id)
    return board.card_move.__wrapped__(
        actor=actor,
        map=map,
        card_id=card_id,
        stage_id=stage_id,
        lane_id=lane_id,
        position=min(position, others.count()),
    )


def _axis_move(model, service):
    def move(*, actor, map, position: int, **object_id):
        last = model.objects.filter(map=map).count() - 1
        return service.__wrapped__(actor=actor, map=map, position=min(position, last), **object_id)

    return move


def _deleting(service, cards_of):
    """A delete that undoes a create: never when it would take others' revealed dots with it.
    Dots of an open round are secret, so they neither block the undo nor show in its refusal;
    like any deletion during a vote, it gives them back to their voters."""

    def delete(*, actor, map, **object_id):
        cards = cards_of(map, **object_id)
        votes = Vote.objects.filter(card__in=cards, round__status=VoteStatus.REVEALED)
        if votes.exclude(voter=actor).exists():
            raise UndoRefused(
                "undo_conflict", "Not undone: it has others' dots from a revealed vote."
            )
        return service.__wrapped__(actor=actor, map=map, **object_id)

    return delete


def _card_restore(*, actor, map, rows: list):
    saved = put_back(map, rows, Card, "the card")
    checks.within_size_limits(map)
    card = saved[0]
    cell = list(Card.objects.filter(map=map, stage_id=card.stage_id, lane_id=card.lane_id))
    Card.objects.bulk_update(reorder(cell, card, min(card.position, len(cell) - 1)), ["position"])
    card = Card.objects.select_related("author").get(pk=card.pk)
    payload = {"card": card_data(card), **restore.brought_back(saved)}
    undo = restore.inverse("card.delete", {"card_id": card.pk}, *restore.card_keys(card))
    return Change("card.created", payload, undo)


def _axis_restore(model, name: str, serializer):
    def restore_axis(*, actor, map, rows: list):
        saved = put_back(map, rows, model, f"the {name}")
        checks.within_size_limits(map)
        obj = saved[0]
        siblings = list(model.objects.filter(map=map))
        at = min(obj.position, len(siblings) - 1)
        model.objects.bulk_update(reorder(siblings, obj, at), ["position"])
        cards = Card.objects.filter(pk__in=[o.pk for o in saved if isinstance(o, Card)])
        payload = {
            name: serializer(obj).data,
            **restore.brought_back(saved),
            "cards": CardSerializer(cards.select_related("author"), many=True).data,
        }
        undo = restore.inverse(f"{name}.delete", {f"{name}_id": obj.pk}, [f"{name}:{obj.pk}"])
        return Change(f"{name}.created", payload, undo)

    return restore_axis


def register_board_operations() -> None:
    """Called once, when the app is ready (workshops/apps.py)."""
    operations = {
        "map.update": maps.map_update.__wrapped__,
        "card.update": board.card_update.__wrapped__,
        "card.move": _card_move,
        "card.delete": _deleting(
            board.card_delete, lambda map, card_id: Card.objects.filter(map=map, pk=card_id)
        ),
        "card.restore": _card_restore,
        "stage.update": board.stage_update.__wrapped__,
        "stage.move": _axis_move(Stage, board.stage_move),
        "stage.delete": _deleting(
            board.stage_delete, lambda map, stage_id: Card.objects.filter(map=map, stage=stage_id)
        ),
        "stage.restore": _axis_restore(Stage, "stage", StageSerializer),
        "lane.update": board.lane_update.__wrapped__,
        "lane.move": _axis_move(Lane, board.lane_move),
        "lane.delete": _deleting(
            board.lane_delete, lambda map, lane_id: Card.objects.filter(map=map, lane=lane_id)
        ),
        "lane.restore": _axis_restore(Lane, "lane", LaneSerializer),
    }
    for op, operation in operations.items():
        register(op, operation)
