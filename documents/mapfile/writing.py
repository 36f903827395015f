"""Writing a checked document: a new map from a file (import, duplicate), or the content of a
version back into its map (restore). Pictures are decoded and stored before the map is locked.
"""

from django.db import transaction

from evidence import images
from evidence.models import Evidence
from workshops.access import require_role
from workshops.models import Card, JourneyMap, Lane, MapState, Role, Stage, Workshop
from workshops.services.checks import choice, text, within_size_limits
from workshops.services.maps import map_data
from workshops.services.pipeline import Change, map_change

from .comments import write_comments
from .reading import InFile, Plan, check_document
from .work import write_work


def map_import(
    *,
    actor,
    workshop: Workshop,
    data,
    title: str | None = None,
    state: str | None = None,
    event_extra: dict | None = None,
) -> JourneyMap:
    """A new map from a document: all of it, as one `map.created` change, or nothing."""
    require_role(actor, workshop, Role.FACILITATOR)
    plan = check_document(data, workshop)
    if title is not None:
        with InFile("map"):
            plan.map["title"] = text("title", title, max_length=200, required=True)
    if state is not None:
        with InFile("map"):
            plan.map["state"] = choice("state", state, MapState)
    stored = store_pictures(plan)
    try:
        with transaction.atomic():
            journey_map = JourneyMap.objects.create(workshop=workshop, **plan.map)
            _fill(
                actor=actor,
                map=journey_map,
                plan=plan,
                stored=stored,
                extra=event_extra or {"imported": True},
            )
    except BaseException:
        discard_pictures(stored)
        raise
    journey_map.refresh_from_db()
    return journey_map


@map_change(role=Role.FACILITATOR)
def _fill(*, actor, map, plan: Plan, stored: dict, extra: dict):
    write_content(map, plan, stored, actor=actor)
    return Change("map.created", {"map": map_data(map), **extra})


def store_pictures(plan: Plan) -> dict:
    """Decoding and storing is slow: done before the map is locked. Evidence key -> stored."""
    stored = {}
    try:
        for piece in plan.evidence:
            if piece["picture"] is not None:
                stored[piece["key"]] = images.store(piece["picture"])
    except BaseException:
        discard_pictures(stored)
        raise
    return stored


def discard_pictures(stored: dict) -> None:
    for picture in stored.values():
        images.discard(picture)


def write_content(map: JourneyMap, plan: Plan, stored: dict, *, actor, reuse: bool = False) -> None:
    """Write the plan's stages, lanes, cards and evidence into the map. With `reuse`, rows
    named by `origin` are updated in place (a restore keeps their identity); rows the plan
    does not name are deleted; without it, everything is new."""
    stages = _write_axis(Stage, map, plan.stages, ("title", "description"), reuse)
    lanes = _write_axis(Lane, map, plan.lanes, ("title",), reuse, kind=True)
    cards = _write_cards(map, plan.cards, stages, lanes, actor=actor, reuse=reuse)
    within_size_limits(map)  # a file, a copy or a version is held to the map's limits too
    _write_evidence(map, plan.evidence, stages, cards, stored, actor=actor)
    write_comments(map, plan.comments, stages, cards, reuse=reuse)
    write_work(map, plan.links, plan.opportunities, cards)


def _write_texts(obj, item: dict, names: tuple, revision: int) -> None:
    """Set the texts; a changed one is stamped, so an edit begun before is a conflict."""
    for name in names:
        if obj.pk and getattr(obj, name) != item[name]:
            obj.field_revisions[name] = revision
        setattr(obj, name, item[name])


def _write_axis(
    model, map, items: list[dict], names: tuple, reuse: bool, kind: bool = False
) -> dict:
    existing = {obj.pk: obj for obj in model.objects.filter(map=map)} if reuse else {}
    keyed = {}
    for position, item in enumerate(items):
        obj = existing.pop(item["origin"], None) or model(map=map)
        _write_texts(obj, item, names, map.revision + 1)
        if kind:
            obj.kind = item["kind"]
        obj.position = position
        obj.save()
        keyed[item["key"]] = obj
    model.objects.filter(pk__in=existing).delete()
    return keyed


def _write_cards(map, items: list[dict], stages: dict, lanes: dict, *, actor, reuse: bool) -> dict:
    existing = {c.pk: c for c in Card.objects.filter(map=map, private=False)} if reuse else {}
    keyed, cells = {}, {}
    for item in items:
        card = existing.pop(item["origin"], None) or Card(map=map, author=actor)
        card.stage, card.lane = stages[item["stage"]], lanes[item["lane"]]
        _write_texts(card, item, ("text", "channel"), map.revision + 1)
        card.emotion_score, card.severity = item["emotion_score"], item["severity"]
        cell = cells.setdefault((item["stage"], item["lane"]), [])
        card.position = len(cell)
        cell.append(card)
        card.save()
        keyed[item["key"]] = card
    Card.objects.filter(pk__in=existing).delete()
    return keyed


def _write_evidence(map, items: list[dict], stages: dict, cards: dict, stored: dict, *, actor):
    pieces = []
    for item in items:
        place = (
            {"card": cards[item["card"]]} if "card" in item else {"stage": stages[item["stage"]]}
        )
        piece = Evidence(map=map, kind=item["kind"], added_by=actor, **place, **item["values"])
        if item["key"] in stored:
            picture = stored[item["key"]]
            piece.image.name, piece.thumbnail.name = picture.image, picture.thumbnail
            piece.width, piece.height = picture.width, picture.height
        pieces.append(piece)
    Evidence.objects.bulk_create(pieces)
