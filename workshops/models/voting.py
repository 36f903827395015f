"""Dot-vote rounds and their votes."""

from django.conf import settings
from django.db import models

from .maps import Card, JourneyMap


class VoteStatus(models.TextChoices):
    OPEN = "open", "Open"
    REVEALED = "revealed", "Closed and revealed"


class VoteRound(models.Model):
    """Dot voting on a map's pain points and opportunities."""

    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="vote_rounds")
    dots_per_person = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return f"{self.get_status_display()} vote on map {self.map_id}"


class Vote(models.Model):
    """One dot: a person may put several of theirs on one card."""

    round = models.ForeignKey(VoteRound, on_delete=models.CASCADE, related_name="votes")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"A dot on card {self.card_id}"
