"""The executive summary's opportunities: who owns each, where it stands, its scores, tickets
and the pain points it answers; the work furthest along first. Two queries whatever the size of
the map (the cards come from gather.py, already loaded)."""

from workshops.models import CardLink, LaneKind, Opportunity, OpportunityStatus
from workshops.opportunity_list import QUADRANTS, quadrant
from workshops.serializers import display_name
from workshops.tickets import recognise

MOST = 15  # the rest are on the map pages
# Shipped and in progress first: what executives ask ("who fixes this, and when") is answered.
ORDER = ["in_progress", "planned", "shipped", "idea", "dropped"]


def opportunity_rows(journey_map, cards: list, lanes: list) -> dict:
    """{"rows": the first MOST, "count": all of them}, of the opportunity cards among `cards`."""
    opportunity_lanes = {lane.pk for lane in lanes if lane.kind == LaneKind.OPPORTUNITIES}
    chosen = [card for card in cards if card.lane_id in opportunity_lanes]
    if not chosen:
        return {"rows": [], "count": 0}
    work = {
        row.card_id: row
        for row in Opportunity.objects.filter(card__in=[c.pk for c in chosen]).select_related(
            "owner"
        )
    }
    answers = {}
    for link in CardLink.objects.filter(map=journey_map).select_related("pain_point"):
        if link.pain_point.private:
            continue
        answers.setdefault(link.opportunity_id, []).append(link.pain_point.text)
    rows = [_row(card, work.get(card.pk), answers.get(card.pk, [])) for card in chosen]
    rows.sort(key=lambda row: (ORDER.index(row["status"]), -(row["impact"] or 0)))
    return {"rows": rows[:MOST], "count": len(rows)}


def _row(card, work, answers: list) -> dict:
    work = work or Opportunity(card=card)
    return {
        "text": card.text,
        "stage": card.stage,
        "owner": display_name(work.owner) or "Nobody yet",
        "status": work.status,
        "status_label": OpportunityStatus(work.status).label,
        "impact": work.impact,
        "effort": work.effort,
        "quadrant": QUADRANTS[quadrant(work.impact, work.effort)].split(" (")[0],
        "tickets": [recognise(url) for url in work.tickets],
        "answers": answers,
    }
