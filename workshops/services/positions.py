"""Places among siblings: stages in a map, lanes in a map, cards in a cell. Moves always apply:
positions are recomputed on the server, dense from 0, whatever the client thought they were."""

from ..models import Card


def reorder(items: list, moved, position: int) -> list:
    """Put `moved` at `position` among `items` and renumber them densely; return the changed."""
    ordered = [item for item in items if item.pk != moved.pk]
    ordered.insert(position, moved)
    changed = []
    for index, item in enumerate(ordered):
        if item.position != index or item.pk == moved.pk:
            item.position = index
            changed.append(item)
    return changed


def close_gap(model, **siblings) -> None:
    """Renumber what is left after one of them went."""
    items = list(model.objects.filter(**siblings).order_by("position", "id"))
    for index, item in enumerate(items):
        item.position = index
    model.objects.bulk_update(items, ["position"])


def cell(map, stage, lane) -> list[Card]:
    return list(Card.objects.filter(map=map, stage=stage, lane=lane).order_by("position", "id"))


def cell_ids(map, *, stage, lane) -> list[int]:
    return list(
        Card.objects.filter(map=map, stage=stage, lane=lane)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
