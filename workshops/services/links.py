"""Links between cards: an opportunity names the pain points it answers, across the stages of
its map (and so a pain point the opportunities that answer it). Each link made or taken away is
a map change, with the inverse that undoes it (undo.py); links go and come back with their
cards (restore.family), and live in versions and the map file (documents/mapfile/work.py)."""

from ..models import Card, CardLink, LaneKind
from . import restore
from .checks import find_on_map, object_id, refuse
from .pipeline import Change, map_change
from .undo import register

ENDS = {"opportunity": LaneKind.OPPORTUNITIES, "pain_point": LaneKind.PAIN_POINTS}
LANE_NAMES = {LaneKind.OPPORTUNITIES: "an opportunities", LaneKind.PAIN_POINTS: "a pain points"}


def link_data(link: CardLink) -> dict:
    return {"id": link.pk, "opportunity": link.opportunity_id, "pain_point": link.pain_point_id}


def _end(map, pk, field: str, actor) -> Card:
    """One end of a link: a card of this map, in its kind of lane, that everyone sees."""
    card = find_on_map(map, Card, pk, field, actor)  # another map's card is no card of this one
    kind = ENDS[field]
    if card.lane.kind != kind:
        refuse(field, f"Card {pk} is not in {LANE_NAMES[kind]} lane.")
    if card.private:
        # A link is seen by everyone, and would tell of a card only its author may see yet.
        refuse(field, "A private card can be linked once the facilitator reveals the cards.")
    return card


def _keys(opportunity_id: int, pain_point_id: int) -> tuple[list[str], list[str]]:
    return [f"link:{opportunity_id}:{pain_point_id}"], [
        f"card:{opportunity_id}",
        f"card:{pain_point_id}",
    ]


@map_change()
def link_create(*, actor, map, opportunity_id: int, pain_point_id: int):
    opportunity = _end(map, opportunity_id, "opportunity", actor)
    pain_point = _end(map, pain_point_id, "pain_point", actor)
    links = CardLink.objects.filter(map=map)
    if links.filter(opportunity=opportunity, pain_point=pain_point).exists():
        refuse("pain_point", "This opportunity already answers this pain point.")
    if links.filter(opportunity=pain_point, pain_point=opportunity).exists():
        # Possible once cards have changed lanes: the pair would answer each other.
        refuse("pain_point", "This pain point already answers this opportunity: a cycle.")
    link = CardLink.objects.create(map=map, opportunity=opportunity, pain_point=pain_point)
    undo = restore.inverse(
        "link.delete", {"link_id": link.pk}, *_keys(opportunity.pk, pain_point.pk)
    )
    return Change("link.created", {"link": link_data(link)}, undo)


@map_change()
def link_delete(*, actor, map, link_id: int):
    object_id("link", link_id)
    link = (
        CardLink.objects.filter(map=map, pk=link_id)
        .select_related("opportunity", "pain_point")
        .first()
    )
    if link is None or link.opportunity.private or link.pain_point.private:
        refuse("link", f"No link {link_id} on this map.")
    ends = {"opportunity_id": link.opportunity_id, "pain_point_id": link.pain_point_id}
    undo = restore.inverse("link.create", ends, *_keys(**ends))
    payload = {"link": link_data(link)}
    link.delete()
    return Change("link.deleted", payload, undo)


def visible_links(journey_map) -> dict:
    """The links of a board whose both ends its viewer sees, by id (an object, as every part of
    the board is): `journey_map` comes from with_board(viewer), whose cards are the viewer's."""
    visible = {card.pk for card in journey_map.cards.all()}
    return {
        link.pk: link_data(link)
        for link in CardLink.objects.filter(map=journey_map)
        if link.opportunity_id in visible and link.pain_point_id in visible
    }


BOARD_LINKS_HELP = "The links between cards: {link id: {id, opportunity, pain_point}}, card ids."


def register_link_operations() -> None:
    """Called once, when the app is ready (workshops/apps.py)."""
    register("link.create", link_create.__wrapped__)
    register("link.delete", link_delete.__wrapped__)
    restore.register_brought_back(
        "workshops.CardLink", "links", lambda rows: [link_data(row) for row in rows]
    )
