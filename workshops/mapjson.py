"""A journey map as a JSON document (docs/map-format.md): export, check and import.

The same document is a map's saved version (versions.py) and one side of a comparison
(compare.py). Stages, lanes, cards and evidence refer to each other by keys local to the file
("st-1", "ln-2", "cd-3"), never by database ids; `origin` says which row each came from, so a
version can be restored onto the same rows and compared card by card.

Unrevealed private cards (private brainstorming) are someone's own until revealed: they are
never exported, and so never versioned, duplicated or compared.
"""

import base64
import binascii
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from evidence import fields as evidence_fields
from evidence import images
from evidence.models import Evidence, Kind

from . import services
from .access import require_role
from .models import Card, JourneyMap, Lane, LaneKind, MapState, Role, Stage, Workshop

FORMAT = "cjm-map"
VERSION = 1
MAX_BYTES = 25 * 1024 * 1024
CARD_FIELDS = ("text", "emotion_score", "severity", "channel")


# --- export ---------------------------------------------------------------------------------


def map_export(map: JourneyMap) -> dict:
    """The map as a cjm-map document, evidence and pictures included."""
    journey_map = JourneyMap.objects.with_board().get(pk=map.pk)
    stages = list(journey_map.stages.all())
    lanes = list(journey_map.lanes.all())
    stage_keys = {stage.pk: f"st-{n}" for n, stage in enumerate(stages, start=1)}
    lane_keys = {lane.pk: f"ln-{n}" for n, lane in enumerate(lanes, start=1)}
    cards = _export_order([c for c in journey_map.cards.all() if not c.private], stages, lanes)
    card_keys = {card.pk: f"cd-{n}" for n, card in enumerate(cards, start=1)}
    return {
        "format": FORMAT,
        "version": VERSION,
        "source": {"map": journey_map.pk, "revision": journey_map.revision,
                   "exported_at": timezone.now().isoformat()},
        "map": _export_map(journey_map),
        "stages": [{"key": stage_keys[s.pk], "origin": s.pk, "title": s.title,
                    "description": s.description} for s in stages],
        "lanes": [{"key": lane_keys[l.pk], "origin": l.pk, "title": l.title, "kind": l.kind}
                  for l in lanes],
        "cards": [{"key": card_keys[c.pk], "origin": c.pk, "stage": stage_keys[c.stage_id],
                   "lane": lane_keys[c.lane_id], **{f: getattr(c, f) for f in CARD_FIELDS}}
                  for c in cards],
        "evidence": _export_evidence(journey_map, stage_keys, card_keys),
    }


def _export_map(journey_map: JourneyMap) -> dict:
    return {"origin": journey_map.pk, "title": journey_map.title,
            "description": journey_map.description, "state": journey_map.state,
            "persona": journey_map.persona.name if journey_map.persona_id else None}


def _export_order(cards: list, stages: list, lanes: list) -> list:
    """Cards stage by stage, lane by lane, in their order within the cell."""
    stage_index = {stage.pk: i for i, stage in enumerate(stages)}
    lane_index = {lane.pk: i for i, lane in enumerate(lanes)}
    return sorted(cards, key=lambda c: (stage_index[c.stage_id], lane_index[c.lane_id],
                                        c.position, c.pk))


def _export_evidence(journey_map, stage_keys: dict, card_keys: dict) -> list:
    pieces = Evidence.objects.filter(map=journey_map).order_by("created_at", "id")
    exported = []
    for piece in pieces:
        if piece.card_id is not None and piece.card_id not in card_keys:
            continue  # on a private card
        place = ({"card": card_keys[piece.card_id]} if piece.card_id
                 else {"stage": stage_keys[piece.stage_id]})
        key = f"ev-{len(exported) + 1}"
        exported.append({"key": key, "origin": piece.pk, "kind": piece.kind, **place,
                         **_evidence_values(piece)})
    return exported


def _evidence_values(piece: Evidence) -> dict:
    values = {name: getattr(piece, name)
              for name in (*evidence_fields.COMMON, *evidence_fields.FIELDS[piece.kind])}
    values["collected_on"] = piece.collected_on.isoformat() if piece.collected_on else None
    if piece.kind == Kind.IMAGE:
        with piece.image.open("rb") as handle:
            data = handle.read()
        values["image"] = {"content_type": images.content_type(piece.image.name),
                           "data": base64.b64encode(data).decode("ascii")}
    return values


def without_origins(document: dict) -> dict:
    """The document less what differs between two exports of the same content by design:
    `source` (map id, revision, time of export) and each item's `origin` (database ids)."""
    strip = {"origin"}
    return {
        key: ([{k: v for k, v in item.items() if k not in strip} for item in value]
              if isinstance(value, list) else
              {k: v for k, v in value.items() if k not in strip} if key == "map" else value)
        for key, value in document.items() if key != "source"
    }


# --- reading and checking -------------------------------------------------------------------


def read_document(raw: bytes) -> dict:
    """The document in an uploaded file: within the size limit, and JSON."""
    check_size(len(raw))
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        _fail("file", f"Not a JSON file: {error}.")


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        _fail("file", f"The file is {size / 1024 / 1024:.1f} MB; the limit is "
                      f"{MAX_BYTES // 1024 // 1024} MB.")


def _fail(path: str, message: str):
    raise ValidationError({path: [message]})


@dataclass
class Plan:
    """A checked document, ready to be written."""

    map: dict
    stages: list[dict]
    lanes: list[dict]
    cards: list[dict]
    evidence: list[dict] = field(default_factory=list)


def check_document(data, workshop: Workshop) -> Plan:
    """Every rule the services hold single changes to, named by its place in the file."""
    if not isinstance(data, dict):
        _fail("file", "The file must hold one JSON object.")
    _check_header(data)
    stages = _items(data, "stages", _check_stage)
    lanes = _items(data, "lanes", _check_lane)
    lane_kinds = {lane["key"]: lane["kind"] for lane in lanes}
    stage_keys = {stage["key"] for stage in stages}
    cards = _items(data, "cards", lambda path, item: _check_card(path, item, stage_keys,
                                                                  lane_kinds))
    card_keys = {card["key"] for card in cards}
    evidence = _items(data, "evidence", lambda path, item: _check_evidence(
        path, item, stage_keys, card_keys), required=False)
    return Plan(map=_check_map(data.get("map"), workshop), stages=stages, lanes=lanes,
                cards=cards, evidence=evidence)


def _check_header(data: dict):
    if data.get("format") != FORMAT:
        _fail("format", f"Not a journey map file: format must be {FORMAT!r}.")
    version = data.get("version")
    if type(version) is not int or version != VERSION:  # true == 1 in Python, not here
        _fail("version", f"version {version} is not supported; this server reads version "
                         f"{VERSION}." if version is not None else "The version is missing.")


def _items(data: dict, name: str, check, *, required: bool = True) -> list[dict]:
    if name not in data and not required:
        return []
    items = data.get(name)
    if not isinstance(items, list):
        _fail(name, f"Missing: {name} must be a list." if items is None else "Must be a list.")
    checked, keys = [], set()
    for index, item in enumerate(items):
        path = f"{name}[{index}]"
        if not isinstance(item, dict):
            _fail(path, "Must be an object.")
        clean = check(path, item)
        if clean["key"] in keys:
            _fail(f"{path}.key", f"The key {clean['key']!r} is used twice in {name}.")
        keys.add(clean["key"])
        checked.append(clean)
    return checked


def _required(path: str, item: dict, name: str):
    if name not in item:
        _fail(f"{path}.{name}", "This field is missing.")
    return item[name]


def _key(path: str, item: dict) -> str:
    key = _required(path, item, "key")
    if not isinstance(key, str) or not key.strip() or len(key) > 100:
        _fail(f"{path}.key", "A key is a short piece of text, like 'st-1'.")
    return key


def _origin(item: dict):
    origin = item.get("origin")
    return origin if isinstance(origin, int) and not isinstance(origin, bool) else None


class _At:
    """Re-raise a service's field error under its place in the file: `cards[3].text`."""

    def __init__(self, path: str):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            raise ValidationError({f"{self.path}.{name}": messages
                                   for name, messages in error.message_dict.items()}) from None
        return False


def _check_map(item, workshop: Workshop) -> dict:
    if not isinstance(item, dict):
        _fail("map", "Missing: the map's title, description, state and persona.")
    title = _required("map", item, "title")
    with _At("map"):
        title = services._text("title", title, max_length=200, required=True)
        description = services._text("description", item.get("description", ""),
                                     max_length=services.DESCRIPTION_MAX)
        state = services._choice("state", item.get("state", MapState.CURRENT), MapState)
    return {"title": title, "description": description, "state": state,
            "persona": _persona(item.get("persona"), workshop)}


def _persona(name, workshop: Workshop):
    if name in (None, ""):
        return None
    found = workshop.personas.filter(name__iexact=name).first() if isinstance(name, str) else None
    if found is None:
        _fail("map.persona", f"No persona {name!r} in this workshop: add it first, or leave "
                             f"persona out.")
    return found


def _check_stage(path: str, item: dict) -> dict:
    key, title = _key(path, item), _required(path, item, "title")
    with _At(path):
        title = services._text("title", title, max_length=200, required=True)
        description = services._text("description", item.get("description", ""),
                                     max_length=services.DESCRIPTION_MAX)
    return {"key": key, "origin": _origin(item), "title": title, "description": description}


def _check_lane(path: str, item: dict) -> dict:
    key, title = _key(path, item), _required(path, item, "title")
    with _At(path):
        title = services._text("title", title, max_length=200, required=True)
        kind = services._choice("kind", item.get("kind", LaneKind.TEXT), LaneKind)
    return {"key": key, "origin": _origin(item), "title": title, "kind": kind}


def _reference(path: str, item: dict, name: str, keys) -> str:
    ref = _required(path, item, name)
    if not isinstance(ref, str) or ref not in keys:
        _fail(f"{path}.{name}", f"no {name} {ref!r} in this file")
    return ref


def _check_card(path: str, item: dict, stage_keys: set, lane_kinds: dict) -> dict:
    key = _key(path, item)
    stage = _reference(path, item, "stage", stage_keys)
    lane = _reference(path, item, "lane", lane_kinds)
    card = Card(lane=Lane(kind=lane_kinds[lane]))
    with _At(path):
        services._set_texts(card, {"text": item.get("text", ""),
                                   "channel": item.get("channel", "")}, services.CARD_TEXT_LIMITS)
        services._card_extras(card, {"emotion_score": item.get("emotion_score"),
                                     "severity": item.get("severity")})
    return {"key": key, "origin": _origin(item), "stage": stage, "lane": lane,
            **{name: getattr(card, name) for name in CARD_FIELDS}}


def _check_evidence(path: str, item: dict, stage_keys: set, card_keys: set) -> dict:
    key = _key(path, item)
    kind = _required(path, item, "kind")
    if kind not in Kind.values:
        _fail(f"{path}.kind", f"Unknown kind {kind!r}; one of {', '.join(Kind.values)}.")
    if ("card" in item) == ("stage" in item):
        _fail(path, "A piece of evidence is on a stage or on a card: give one of the two.")
    place = ({"card": _reference(path, item, "card", card_keys)} if "card" in item
             else {"stage": _reference(path, item, "stage", stage_keys)})
    names = (*evidence_fields.COMMON, *evidence_fields.FIELDS[kind])
    with _At(path):
        values = evidence_fields.clean(kind, {n: item[n] for n in names if n in item})
    picture = _check_picture(f"{path}.image", item.get("image")) if kind == Kind.IMAGE else None
    return {"key": key, "origin": _origin(item), "kind": kind, **place, "values": values,
            "picture": picture}


def _check_picture(path: str, image) -> images.PreparedImage:
    """The same checks as an upload: by content, size, pixels; then re-encoded clean."""
    if not isinstance(image, dict) or not isinstance(image.get("data"), str):
        _fail(path, "An image piece needs its picture: {\"content_type\": ..., \"data\": base64}.")
    if image.get("content_type") not in images.CONTENT_TYPES.values():
        _fail(f"{path}.content_type", f"Not an accepted image type: {image.get('content_type')!r}"
                                      f"; use {', '.join(images.CONTENT_TYPES.values())}.")
    try:
        data = base64.b64decode(image["data"], validate=True)
    except (binascii.Error, ValueError):
        _fail(f"{path}.data", "Not valid base64.")
    with _At(path.rsplit(".", 1)[0]):
        prepared = images.prepare(ContentFile(data, name="import"))
    if images.content_type(prepared.image.name) != image["content_type"]:
        _fail(f"{path}.content_type", f"Says {image['content_type']} but the data is "
                                      f"{images.content_type(prepared.image.name)}.")
    return prepared


# --- writing --------------------------------------------------------------------------------


def map_import(*, actor, workshop: Workshop, data, title: str | None = None,
               state: str | None = None, event_extra: dict | None = None) -> JourneyMap:
    """A new map from a document: all of it, as one `map.created` change, or nothing."""
    require_role(actor, workshop, Role.FACILITATOR)
    plan = check_document(data, workshop)
    if title is not None:
        with _At("map"):
            plan.map["title"] = services._text("title", title, max_length=200, required=True)
    if state is not None:
        with _At("map"):
            plan.map["state"] = services._choice("state", state, MapState)
    stored = store_pictures(plan)
    try:
        with transaction.atomic():
            journey_map = JourneyMap.objects.create(workshop=workshop, **plan.map)
            _fill(actor=actor, map=journey_map, plan=plan, stored=stored,
                  extra=event_extra or {"imported": True})
    except BaseException:
        discard_pictures(stored)
        raise
    journey_map.refresh_from_db()
    return journey_map


@services.map_change(role=Role.FACILITATOR)
def _fill(*, actor, map, plan: Plan, stored: dict, extra: dict):
    write_content(map, plan, stored, actor=actor)
    return "map.created", {"map": services._map_data(map), **extra}


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


def write_content(map: JourneyMap, plan: Plan, stored: dict, *, actor,
                  reuse: bool = False) -> None:
    """Write the plan's stages, lanes, cards and evidence into the map. With `reuse`, rows
    named by `origin` are updated in place (a restore keeps their identity); rows the plan
    does not name are deleted; without it, everything is new."""
    stages = _write_axis(Stage, map, plan.stages, ("title", "description"), reuse)
    lanes = _write_axis(Lane, map, plan.lanes, ("title",), reuse, kind=True)
    cards = _write_cards(map, plan.cards, stages, lanes, actor=actor, reuse=reuse)
    _write_evidence(map, plan.evidence, stages, cards, stored, actor=actor)


def _set_texts(obj, item: dict, names: tuple, revision: int) -> None:
    """Set the texts; a changed one is stamped, so an edit begun before is a conflict."""
    for name in names:
        if obj.pk and getattr(obj, name) != item[name]:
            obj.field_revisions[name] = revision
        setattr(obj, name, item[name])


def _write_axis(model, map, items: list[dict], names: tuple, reuse: bool,
                kind: bool = False) -> dict:
    existing = {obj.pk: obj for obj in model.objects.filter(map=map)} if reuse else {}
    keyed = {}
    for position, item in enumerate(items):
        obj = existing.pop(item["origin"], None) or model(map=map)
        _set_texts(obj, item, names, map.revision + 1)
        if kind:
            obj.kind = item["kind"]
        obj.position = position
        obj.save()
        keyed[item["key"]] = obj
    model.objects.filter(pk__in=existing).delete()
    return keyed


def _write_cards(map, items: list[dict], stages: dict, lanes: dict, *, actor,
                 reuse: bool) -> dict:
    existing = {c.pk: c for c in Card.objects.filter(map=map, private=False)} if reuse else {}
    keyed, cells = {}, {}
    for item in items:
        card = existing.pop(item["origin"], None) or Card(map=map, author=actor)
        card.stage, card.lane = stages[item["stage"]], lanes[item["lane"]]
        _set_texts(card, item, ("text", "channel"), map.revision + 1)
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
        place = ({"card": cards[item["card"]]} if "card" in item
                 else {"stage": stages[item["stage"]]})
        piece = Evidence(map=map, kind=item["kind"], added_by=actor, **place, **item["values"])
        if item["key"] in stored:
            picture = stored[item["key"]]
            piece.image.name, piece.thumbnail.name = picture.image, picture.thumbnail
            piece.width, piece.height = picture.width, picture.height
        pieces.append(piece)
    Evidence.objects.bulk_create(pieces)
