"""Opportunities as work: the links between an opportunity and the pain points it answers, and
an opportunity's owner, status, scores and tickets (services/links.py, services/opportunities.py).
"""

from django.conf import settings
from django.db import models

from .maps import Card, JourneyMap

SCORE_RANGE = range(1, 6)  # impact and effort, 1 (least) to 5 (most)
TICKETS_MAX = 10  # ticket links per opportunity


class OpportunityStatus(models.TextChoices):
    IDEA = "idea", "Idea"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    SHIPPED = "shipped", "Shipped"
    DROPPED = "dropped", "Dropped"


class CardLink(models.Model):
    """An opportunity card answers a pain point card of the same map (any stage). Both ends go
    with their card; undoing a card's deletion brings its links back (restore.family)."""

    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="card_links")
    opportunity = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="answers")
    pain_point = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="answered_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "pain_point"], name="one_link_per_pair")
        ]

    def __str__(self):
        return f"Card {self.opportunity_id} answers card {self.pain_point_id}"


class Opportunity(models.Model):
    """The work of one opportunity card; a card without a row is an idea nobody owns yet."""

    card = models.OneToOneField(
        Card, on_delete=models.CASCADE, primary_key=True, related_name="work"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=20, choices=OpportunityStatus.choices, default=OpportunityStatus.IDEA
    )
    impact = models.PositiveSmallIntegerField(null=True, blank=True)
    effort = models.PositiveSmallIntegerField(null=True, blank=True)
    # Ticket links, in the order they were added: [url, ...] (tickets.py recognises each).
    tickets = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "opportunities"

    def __str__(self):
        return f"Work of card {self.card_id}"
