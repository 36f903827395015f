"""Every opportunity of a workshop's maps, as its page and the REST API list them: filtered by
status, owner, stage and impact/effort quadrant, sorted. A read filter, no writes: the work of
one opportunity is set in services/opportunities.py."""

from dataclasses import dataclass

from .models import Card, LaneKind, Opportunity, OpportunityStatus
from .services.checks import is_whole_number, refuse
from .services.opportunities import opportunity_data

HIGH = 3  # from 3 of 5 up, impact or effort is high: a 2x2 on a scale of 1 to 5

QUADRANTS = {
    "quick_win": "Quick win (high impact, low effort)",
    "big_bet": "Big bet (high impact, high effort)",
    "fill_in": "Fill-in (low impact, low effort)",
    "money_pit": "Money pit (low impact, high effort)",
    "unscored": "Not scored yet",
}
SORTS = {
    "stage": "Map and stage",
    "status": "Status",
    "owner": "Owner",
    "impact": "Impact, highest first",
    "effort": "Effort, lowest first",
}
STATUS_ORDER = {status: n for n, status in enumerate(OpportunityStatus.values)}


def quadrant(impact: int | None, effort: int | None) -> str:
    if impact is None or effort is None:
        return "unscored"
    if impact >= HIGH:
        return "big_bet" if effort >= HIGH else "quick_win"
    return "money_pit" if effort >= HIGH else "fill_in"


@dataclass(frozen=True)
class Filters:
    status: str = ""
    owner: int | None = None  # a user id; 0: nobody owns it
    stage: str = ""  # a stage's title, in any map
    quadrant: str = ""
    sort: str = "stage"


def read_filters(query) -> Filters:
    """The filters of a query string (a dict of strings); a bad one is refused naming it."""
    status = query.get("status", "")
    if status and status not in OpportunityStatus.values:
        refuse(
            "status", f"Unknown status {status!r}; one of {', '.join(OpportunityStatus.values)}."
        )
    kind = query.get("quadrant", "")
    if kind and kind not in QUADRANTS:
        refuse("quadrant", f"Unknown quadrant {kind!r}; one of {', '.join(QUADRANTS)}.")
    sort = query.get("sort", "") or "stage"
    if sort not in SORTS:
        refuse("sort", f"Unknown order {sort!r}; one of {', '.join(SORTS)}.")
    return Filters(
        status, _owner(query.get("owner", "")), query.get("stage", "").strip(), kind, sort
    )


def _owner(value: str) -> int | None:
    if value in ("", None):
        return None
    owner = int(value) if isinstance(value, str) and value.isdigit() and len(value) < 19 else None
    if not is_whole_number(owner):
        refuse("owner", "The owner is a member's id, or 0 for opportunities nobody owns.")
    return owner


def opportunities_of(workshop, user, filters: Filters = Filters()) -> list[dict]:
    """The opportunities of the workshop's maps in use that `user` sees, as rows."""
    cards = (
        Card.objects.visible_to(user)
        .filter(map__workshop=workshop, map__archived_at__isnull=True, private=False)
        .filter(lane__kind=LaneKind.OPPORTUNITIES)
        .select_related("map", "stage")
        .prefetch_related("answers__pain_point")
    )
    work = {
        row.card_id: row
        for row in Opportunity.objects.filter(card__in=cards).select_related("owner")
    }
    rows = [_row(card, work.get(card.pk) or Opportunity(card=card)) for card in cards]
    return _sorted([row for row in rows if _passes(row, filters)], filters.sort)


def _row(card: Card, work: Opportunity) -> dict:
    return {
        "card": card.pk,
        "text": card.text,
        "map": {"id": card.map_id, "title": card.map.title},
        "stage": {"id": card.stage_id, "title": card.stage.title, "position": card.stage.position},
        **opportunity_data(work),  # owner, status, scores, tickets: as the board has them
        "quadrant": quadrant(work.impact, work.effort),
        "answers": [
            {"id": link.pain_point_id, "text": link.pain_point.text}
            for link in card.answers.all()
            if not link.pain_point.private
        ],
        "url": f"/maps/{card.map_id}/#card-{card.pk}",
    }


def _passes(row: dict, filters: Filters) -> bool:
    return (
        (not filters.status or row["status"] == filters.status)
        and (filters.owner is None or (row["owner"] or 0) == filters.owner)
        and (not filters.stage or row["stage"]["title"].lower() == filters.stage.lower())
        and (not filters.quadrant or row["quadrant"] == filters.quadrant)
    )


def _sorted(rows: list[dict], sort: str) -> list[dict]:
    place = lambda row: (row["map"]["title"].lower(), row["stage"]["position"], row["card"])  # noqa: E731
    keys = {
        "stage": place,
        "status": lambda row: (STATUS_ORDER[row["status"]], *place(row)),
        "owner": lambda row: (not row["owner_name"], row["owner_name"].lower(), *place(row)),
        "impact": lambda row: (-(row["impact"] or 0), *place(row)),
        "effort": lambda row: (row["effort"] or 6, *place(row)),
    }
    return sorted(rows, key=keys[sort])


def stage_titles(rows: list[dict]) -> list[str]:
    """The stages the opportunities are in, once each, for the page's filter."""
    return sorted({row["stage"]["title"] for row in rows}, key=str.lower)
