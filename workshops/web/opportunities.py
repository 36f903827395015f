"""The workshop's opportunities page: every opportunity of its maps in use, with owner, status,
scores, tickets and the pain points it answers, filtered and sorted by the query string (the
same filters as GET /api/workshops/{id}/opportunities/)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from ..access import workshop_for
from ..models import OpportunityStatus
from ..opportunity_list import (
    QUADRANTS,
    SORTS,
    Filters,
    opportunities_of,
    read_filters,
    stage_titles,
)


@login_required
def opportunity_list(request, workshop_id: int):
    workshop = workshop_for(request.user, workshop_id)
    errors = {}
    try:
        filters = read_filters(request.GET.dict())
    except ValidationError as error:
        # The page still lists everything, and says which filter it could not read.
        errors, filters = error.message_dict, Filters()
    everything = opportunities_of(workshop, request.user)
    rows = opportunities_of(workshop, request.user, filters)
    owners = {(row["owner"], row["owner_name"]) for row in everything if row["owner"]}
    context = {
        "workshop": workshop,
        "rows": rows,
        "total": len(everything),
        "filters": filters,
        "errors": errors,
        "statuses": OpportunityStatus.choices,
        "quadrants": QUADRANTS.items(),
        "sorts": SORTS.items(),
        "stages": stage_titles(everything),
        "owners": sorted(owners, key=lambda owner: owner[1].lower()),
    }
    return render(request, "workshops/opportunities.html", context)
