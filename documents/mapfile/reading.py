"""Reading an uploaded cjm-map document and checking it whole, with every rule the services
hold single changes to, each refusal named by its place in the file (`cards[3].text`).
"""

import base64
import binascii
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from evidence import fields as evidence_fields
from evidence import images
from evidence.models import Kind
from workshops.models import Card, Lane, LaneKind, MapState, Workshop
from workshops.services.board import CARD_TEXT_LIMITS, set_card_numbers
from workshops.services.checks import choice, refuse, set_texts, text
from workshops.services.workshops import DESCRIPTION_MAX

from .comments import check_comment
from .format import CARD_FIELDS, FORMAT, MAX_BYTES, VERSION
from .work import check_links, check_opportunities


def read_document(raw: bytes) -> dict:
    """The document in an uploaded file: within the size limit, and JSON."""
    check_size(len(raw))
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        refuse("file", f"Not a JSON file: {error}.")


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        refuse(
            "file",
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB.",
        )


@dataclass
class Plan:
    """A checked document, ready to be written."""

    map: dict
    stages: list[dict]
    lanes: list[dict]
    cards: list[dict]
    evidence: list[dict] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    opportunities: list[dict] = field(default_factory=list)


def check_document(data, workshop: Workshop, *, mask: bool = True) -> Plan:
    """Every rule the services hold single changes to, named by its place in the file; `mask`
    masks personal data in the evidence text (evidence/masking.py), as the map to fill does."""
    if not isinstance(data, dict):
        refuse("file", "The file must hold one JSON object.")
    _check_header(data)
    stages = _items(data, "stages", _check_stage)
    lanes = _items(data, "lanes", _check_lane)
    lane_kinds = {lane["key"]: lane["kind"] for lane in lanes}
    stage_keys = {stage["key"] for stage in stages}
    cards = _items(
        data, "cards", lambda path, item: _check_card(path, item, stage_keys, lane_kinds)
    )
    card_keys = {card["key"] for card in cards}
    evidence = _items(
        data,
        "evidence",
        lambda path, item: _check_evidence(path, item, stage_keys, card_keys, mask=mask),
        required=False,
    )
    comments = _items(
        data,
        "comments",
        lambda path, item: _check_comment(path, item, stage_keys, card_keys, workshop),
        required=False,  # files from before comments have none
    )
    card_kinds = {card["key"]: lane_kinds[card["lane"]] for card in cards}  # files from before
    links = check_links(data, card_kinds)  # links and opportunities have none of either
    opportunities = check_opportunities(data, card_kinds, workshop)
    return Plan(
        map=_check_map(data.get("map"), workshop),
        stages=stages,
        lanes=lanes,
        cards=cards,
        evidence=evidence,
        comments=comments,
        links=links,
        opportunities=opportunities,
    )


def _check_header(data: dict):
    if data.get("format") != FORMAT:
        refuse("format", f"Not a journey map file: format must be {FORMAT!r}.")
    version = data.get("version")
    if type(version) is not int or version != VERSION:  # true == 1 in Python, not here
        refuse(
            "version",
            f"version {version} is not supported; this server reads version {VERSION}."
            if version is not None
            else "The version is missing.",
        )


def _items(data: dict, name: str, check, *, required: bool = True) -> list[dict]:
    if name not in data and not required:
        return []
    items = data.get(name)
    if not isinstance(items, list):
        refuse(name, f"Missing: {name} must be a list." if items is None else "Must be a list.")
    checked, keys = [], set()
    for index, item in enumerate(items):
        path = f"{name}[{index}]"
        if not isinstance(item, dict):
            refuse(path, "Must be an object.")
        clean = check(path, item)
        if clean["key"] in keys:
            refuse(f"{path}.key", f"The key {clean['key']!r} is used twice in {name}.")
        keys.add(clean["key"])
        checked.append(clean)
    return checked


def _required(path: str, item: dict, name: str):
    if name not in item:
        refuse(f"{path}.{name}", "This field is missing.")
    return item[name]


def _key(path: str, item: dict) -> str:
    key = _required(path, item, "key")
    if not isinstance(key, str) or not key.strip() or len(key) > 100:
        refuse(f"{path}.key", "A key is a short piece of text, like 'st-1'.")
    return key


def _origin(item: dict):
    origin = item.get("origin")
    return origin if isinstance(origin, int) and not isinstance(origin, bool) else None


class InFile:
    """Re-raise a service's field error under its place in the file: `cards[3].text`."""

    def __init__(self, path: str):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            raise ValidationError(
                {f"{self.path}.{name}": messages for name, messages in error.message_dict.items()}
            ) from None
        return False


def _check_map(item, workshop: Workshop) -> dict:
    if not isinstance(item, dict):
        refuse("map", "Missing: the map's title, description, state and persona.")
    title = _required("map", item, "title")
    with InFile("map"):
        title = text("title", title, max_length=200, required=True)
        description = text("description", item.get("description", ""), max_length=DESCRIPTION_MAX)
        state = choice("state", item.get("state", MapState.CURRENT), MapState)
    return {
        "title": title,
        "description": description,
        "state": state,
        "persona": _persona(item.get("persona"), workshop),
    }


def _persona(name, workshop: Workshop):
    if name in (None, ""):
        return None
    found = workshop.personas.filter(name__iexact=name).first() if isinstance(name, str) else None
    if found is None:
        refuse(
            "map.persona",
            f"No persona {name!r} in this workshop: add it first, or leave persona out.",
        )
    return found


def _check_stage(path: str, item: dict) -> dict:
    key, title = _key(path, item), _required(path, item, "title")
    with InFile(path):
        title = text("title", title, max_length=200, required=True)
        description = text("description", item.get("description", ""), max_length=DESCRIPTION_MAX)
    return {"key": key, "origin": _origin(item), "title": title, "description": description}


def _check_lane(path: str, item: dict) -> dict:
    key, title = _key(path, item), _required(path, item, "title")
    with InFile(path):
        title = text("title", title, max_length=200, required=True)
        kind = choice("kind", item.get("kind", LaneKind.TEXT), LaneKind)
    return {"key": key, "origin": _origin(item), "title": title, "kind": kind}


def _reference(path: str, item: dict, name: str, keys) -> str:
    ref = _required(path, item, name)
    if not isinstance(ref, str) or ref not in keys:
        refuse(f"{path}.{name}", f"no {name} {ref!r} in this file")
    return ref


def _check_card(path: str, item: dict, stage_keys: set, lane_kinds: dict) -> dict:
    key = _key(path, item)
    stage = _reference(path, item, "stage", stage_keys)
    lane = _reference(path, item, "lane", lane_kinds)
    card = Card(lane=Lane(kind=lane_kinds[lane]))
    with InFile(path):
        set_texts(
            card,
            {"text": item.get("text", ""), "channel": item.get("channel", "")},
            CARD_TEXT_LIMITS,
        )
        set_card_numbers(
            card, {"emotion_score": item.get("emotion_score"), "severity": item.get("severity")}
        )
    return {
        "key": key,
        "origin": _origin(item),
        "stage": stage,
        "lane": lane,
        **{name: getattr(card, name) for name in CARD_FIELDS},
    }


def _check_evidence(path: str, item: dict, stage_keys: set, card_keys: set, *, mask) -> dict:
    key = _key(path, item)
    kind = _required(path, item, "kind")
    if kind not in Kind.values:
        refuse(f"{path}.kind", f"Unknown kind {kind!r}; one of {', '.join(Kind.values)}.")
    if ("card" in item) == ("stage" in item):
        refuse(path, "A piece of evidence is on a stage or on a card: give one of the two.")
    place = (
        {"card": _reference(path, item, "card", card_keys)}
        if "card" in item
        else {"stage": _reference(path, item, "stage", stage_keys)}
    )
    names = (*evidence_fields.COMMON, *evidence_fields.FIELDS[kind])
    with InFile(path):
        values = evidence_fields.clean(kind, {n: item[n] for n in names if n in item}, mask=mask)
    picture = _check_picture(f"{path}.image", item.get("image")) if kind == Kind.IMAGE else None
    return {
        "key": key,
        "origin": _origin(item),
        "kind": kind,
        **place,
        "values": values,
        "picture": picture,
    }


def _check_comment(path: str, item: dict, stage_keys: set, card_keys: set, workshop) -> dict:
    key = _key(path, item)
    if ("card" in item) == ("stage" in item):
        refuse(path, "A comment is on a stage or on a card: give one of the two.")
    place = (
        {"card": _reference(path, item, "card", card_keys)}
        if "card" in item
        else {"stage": _reference(path, item, "stage", stage_keys)}
    )
    return {"key": key, **check_comment(path, item, place, workshop)}


def _check_picture(path: str, image) -> images.PreparedImage:
    """The same checks as an upload: by content, size, pixels; then re-encoded clean."""
    if not isinstance(image, dict) or not isinstance(image.get("data"), str):
        refuse(path, 'An image piece needs its picture: {"content_type": ..., "data": base64}.')
    if image.get("content_type") not in images.CONTENT_TYPES.values():
        refuse(
            f"{path}.content_type",
            f"Not an accepted image type: {image.get('content_type')!r}"
            f"; use {', '.join(images.CONTENT_TYPES.values())}.",
        )
    try:
        data = base64.b64decode(image["data"], validate=True)
    except (binascii.Error, ValueError):
        refuse(f"{path}.data", "Not valid base64.")
    with InFile(path.rsplit(".", 1)[0]):
        prepared = images.prepare(ContentFile(data, name="import"))
    if images.content_type(prepared.image.name) != image["content_type"]:
        refuse(
            f"{path}.content_type",
            f"Says {image['content_type']} but the data is "
            f"{images.content_type(prepared.image.name)}.",
        )
    return prepared
