"""Opportunities as work in a cjm-map document (docs/map-format.md, `links[]` and
`opportunities[]`): written, checked, read back.

A link names an opportunity card and the pain point card it answers, by their keys. An
opportunity's owner is named by username; on import the owner is the member of that username in
the workshop the map goes into, or nobody. Both lists are optional: files written before them
read as maps without links or owners.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from workshops.models import CardLink, LaneKind, Opportunity, Workshop
from workshops.services.checks import refuse
from workshops.services.opportunities import set_work

USERNAME_MAX = 150
ENDS = {"opportunity": LaneKind.OPPORTUNITIES, "pain_point": LaneKind.PAIN_POINTS}


def export_links(journey_map, card_keys: dict) -> list[dict]:
    """The links whose both cards are exported (none of an unrevealed private card), each end
    still in its kind of lane (a card moved to another lane keeps its links on the board, but a
    file holds only those it can read back)."""
    links = CardLink.objects.filter(
        map=journey_map,
        opportunity__lane__kind=ENDS["opportunity"],
        pain_point__lane__kind=ENDS["pain_point"],
    ).order_by("pk")
    return [
        {"opportunity": card_keys[link.opportunity_id], "pain_point": card_keys[link.pain_point_id]}
        for link in links
        if link.opportunity_id in card_keys and link.pain_point_id in card_keys
    ]


def export_opportunities(journey_map, card_keys: dict) -> list[dict]:
    rows = Opportunity.objects.filter(
        card__map=journey_map, card__lane__kind=LaneKind.OPPORTUNITIES
    ).select_related("owner")
    return [
        {
            "card": card_keys[work.card_id],
            "owner": work.owner.username if work.owner else None,
            "status": work.status,
            "impact": work.impact,
            "effort": work.effort,
            "tickets": list(work.tickets),
        }
        for work in sorted(rows, key=lambda work: work.card_id)
        if work.card_id in card_keys
    ]


def _list(data: dict, name: str) -> list:
    items = data.get(name, [])
    if not isinstance(items, list):
        refuse(name, "Must be a list.")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            refuse(f"{name}[{index}]", "Must be an object.")
    return items


def _card(path: str, item: dict, field: str, card_kinds: dict, kind=None) -> str:
    key = item.get(field)
    if not isinstance(key, str) or key not in card_kinds:
        refuse(f"{path}.{field}", f"no card {key!r} in this file")
    if kind is not None and card_kinds[key] != kind:
        refuse(f"{path}.{field}", f"The card {key!r} is not in a lane of kind {kind}.")
    return key


def check_links(data: dict, card_kinds: dict) -> list[dict]:
    """`card_kinds`: {card key: the kind of its lane}. No duplicate, no pair both ways."""
    checked, pairs = [], set()
    for index, item in enumerate(_list(data, "links")):
        path = f"links[{index}]"
        pair = tuple(_card(path, item, field, card_kinds, kind) for field, kind in ENDS.items())
        if pair in pairs:
            refuse(f"{path}.pain_point", "This link is in the file twice.")
        if pair[::-1] in pairs:
            refuse(f"{path}.pain_point", "These two cards answer each other: a cycle.")
        pairs.add(pair)
        checked.append({"opportunity": pair[0], "pain_point": pair[1]})
    return checked


def check_opportunities(data: dict, card_kinds: dict, workshop: Workshop) -> list[dict]:
    checked, seen = [], set()
    for index, item in enumerate(_list(data, "opportunities")):
        path = f"opportunities[{index}]"
        card = _card(path, item, "card", card_kinds, LaneKind.OPPORTUNITIES)
        if card in seen:
            refuse(f"{path}.card", f"The card {card!r} has its work twice in this file.")
        seen.add(card)
        work = Opportunity()
        values = {f: item[f] for f in ("status", "impact", "effort", "tickets") if f in item}
        try:
            set_work(work, None, values)
        except ValidationError as error:  # named by its place in the file: opportunities[2].status
            named = {f"{path}.{name}": messages for name, messages in error.message_dict.items()}
            raise ValidationError(named) from None
        checked.append(
            {
                "card": card,
                "owner": _owner(f"{path}.owner", item.get("owner"), workshop),
                **{f: getattr(work, f) for f in ("status", "impact", "effort", "tickets")},
            }
        )
    return checked


def _owner(path: str, username, workshop: Workshop):
    if username is None:
        return None
    if not isinstance(username, str) or len(username) > USERNAME_MAX:
        refuse(path, "The owner is a username, or null.")
    members = get_user_model().objects.filter(memberships__workshop=workshop, username=username)
    return members.first()


def write_work(map, links: list[dict], opportunities: list[dict], cards: dict) -> None:
    """The map's links and opportunities become the file's (`cards`: key -> the card written).
    A restore keeps the cards' rows, and their links and work are set afresh."""
    CardLink.objects.filter(map=map).delete()
    Opportunity.objects.filter(card__map=map).delete()
    CardLink.objects.bulk_create(
        CardLink(
            map=map, opportunity=cards[link["opportunity"]], pain_point=cards[link["pain_point"]]
        )
        for link in links
    )
    Opportunity.objects.bulk_create(
        Opportunity(card=cards[item["card"]], **{k: v for k, v in item.items() if k != "card"})
        for item in opportunities
    )
