"""Opportunities as work: an opportunity card's owner (a member of the workshop), its status,
its impact and effort (1-5) and its ticket links (tickets.py). One map change sets any of them,
with the inverse that sets them back (undo.py)."""

from ..models import (
    SCORE_RANGE,
    TICKETS_MAX,
    Card,
    LaneKind,
    Membership,
    Opportunity,
    OpportunityStatus,
)
from ..serializers import display_name
from ..tickets import check_url, recognise
from . import restore
from .checks import choice, find_on_map, is_whole_number, only, refuse, whole_number_or_none
from .pipeline import Change, map_change
from .undo import register

FIELDS = ("owner", "status", "impact", "effort", "tickets")


def opportunity_data(work: Opportunity) -> dict:
    """One opportunity's work as events, the board and the REST API carry it."""
    return {
        "card": work.card_id,
        "owner": work.owner_id,
        "owner_name": display_name(work.owner),
        "status": work.status,
        "status_label": OpportunityStatus(work.status).label,
        "impact": work.impact,
        "effort": work.effort,
        "tickets": [recognise(url).as_dict() for url in work.tickets],
    }


def work_of(card: Card) -> Opportunity:
    """The card's work row, or a new one (an idea nobody owns yet), not saved."""
    return Opportunity.objects.select_related("owner").filter(card=card).first() or Opportunity(
        card=card
    )


def _owner(map, value):
    if value is None:
        return None
    if not is_whole_number(value):
        refuse("owner", "The owner is the id of a member of this workshop, or null.")
    membership = Membership.objects.filter(workshop=map.workshop_id, user_id=value)
    found = membership.select_related("user").first()
    if found is None:
        refuse("owner", f"User {value} is not a member of this workshop.")
    return found.user


def _tickets(value) -> list[str]:
    if not isinstance(value, list):
        refuse("tickets", "The ticket links are a list of http(s) links.")
    if len(value) > TICKETS_MAX:
        refuse("tickets", f"At most {TICKETS_MAX} ticket links per opportunity.")
    urls = []
    for n, item in enumerate(value, start=1):
        url = check_url(item)
        if url is None:
            refuse("tickets", f"Ticket link {n} is not an http(s) link: {str(item)[:80]!r}.")
        if url in urls:
            refuse("tickets", f"Ticket link {n} is in the list twice.")
        urls.append(url)
    return urls


def set_work(work: Opportunity, map, changes: dict) -> None:
    """Check and set the given fields; a refusal names its field and sets nothing (the caller's
    transaction rolls back)."""
    only(changes, FIELDS)
    if "owner" in changes:
        work.owner = _owner(map, changes["owner"])
    if "status" in changes:
        work.status = choice("status", changes["status"], OpportunityStatus)
    for field in ("impact", "effort"):
        if field in changes:
            score = whole_number_or_none(field, changes[field], SCORE_RANGE, field.capitalize())
            setattr(work, field, score)
    if "tickets" in changes:
        work.tickets = _tickets(changes["tickets"])


def _values(work: Opportunity) -> dict:
    return {
        "owner": work.owner_id,
        "status": work.status,
        "impact": work.impact,
        "effort": work.effort,
        "tickets": list(work.tickets),
    }


def opportunity_card(map, card_id, actor) -> Card:
    card = find_on_map(map, Card, card_id, "card", actor)
    if card.lane.kind != LaneKind.OPPORTUNITIES:
        refuse("card", "Only a card in an opportunities lane has an owner, a status and tickets.")
    if card.private:
        # Everyone sees an opportunity's work; a private card is its author's alone until the
        # reveal.
        refuse("card", "A private card becomes work once the facilitator reveals the cards.")
    return card


@map_change()
def opportunity_update(*, actor, map, card_id: int, **changes):
    card = opportunity_card(map, card_id, actor)
    work = work_of(card)
    before = _values(work)
    set_work(work, map, changes)
    work.save()
    changed = {field: value for field, value in before.items() if _values(work)[field] != value}
    undo = None
    if changed:
        undo = restore.inverse(
            "opportunity.update",
            {"card_id": card.pk, **changed},
            [f"card:{card.pk}:work:{field}" for field in changed],
        )
    return Change("opportunity.updated", {"opportunity": opportunity_data(work)}, undo)


def visible_opportunities(journey_map) -> dict:
    """{card id: its work} of the board's cards that have any: `journey_map` comes from
    with_board(viewer), whose cards are the viewer's."""
    visible = {card.pk for card in journey_map.cards.all()}
    rows = Opportunity.objects.filter(card__map=journey_map).select_related("owner")
    return {row.card_id: opportunity_data(row) for row in rows if row.card_id in visible}


BOARD_OPPORTUNITIES_HELP = (
    "The work of opportunity cards: {card id: {owner, owner_name, status, impact, effort, "
    "tickets: [{url, tracker, name, key}]}}; a card not listed is an idea nobody owns."
)


def register_opportunity_operations() -> None:
    """Called once, when the app is ready (workshops/apps.py)."""
    register("opportunity.update", opportunity_update.__wrapped__)
    restore.register_brought_back(
        "workshops.Opportunity",
        "opportunities",
        lambda rows: [opportunity_data(work_of(row.card)) for row in rows],
    )
