"""Template helpers of the workshop page: the quarterly review reminder of a map."""

from django import template

from ..services.maps import review_due as map_review_due

register = template.Library()


@register.filter
def review_due(journey_map) -> bool:
    return map_review_due(journey_map)


@register.filter
def last_review(journey_map):
    """When the map was last reviewed, or else created: the date the reminder counts from."""
    return journey_map.reviewed_at or journey_map.created_at
