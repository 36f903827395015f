"""A map and its grid: stages, lanes and cards."""

from django.conf import settings
from django.db import models

from .limits import CARD_TEXT_MAX, TITLE_MAX
from .workshops import Persona, Workshop, live_membership


class MapState(models.TextChoices):
    CURRENT = "current", "Current state"
    FUTURE = "future", "Future state"


class JourneyMapQuerySet(models.QuerySet):
    def active(self):
        """Maps in use: not archived."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            live_membership("workshop__memberships__"), workshop__memberships__user=user
        )

    def with_board(self, viewer=None):
        """Everything a board needs, in a fixed number of queries whatever the map's size.
        Only the cards `viewer` may see: without one, no unrevealed private card."""
        cards = Card.objects.visible_to(viewer).select_related("author")
        return self.select_related("workshop", "persona").prefetch_related(
            "stages", "lanes", models.Prefetch("cards", cards)
        )


class JourneyMap(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="maps")
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True, max_length=5000)
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="maps"
    )
    state = models.CharField(max_length=10, choices=MapState.choices, default=MapState.CURRENT)
    revision = models.PositiveIntegerField(default=0)
    # The map revision at which each text field last changed: the base of conflict detection.
    field_revisions = models.JSONField(default=dict, blank=True)
    # The facilitator's board controls (lock, private brainstorming, timer, present mode...).
    controls = models.JSONField(default=dict, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Set while the map is archived: off the workshop's list and the API's default list, kept
    # whole and restorable (services/maps.py).
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JourneyMapQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "id"]

    def __str__(self):
        return self.title

    @property
    def group_name(self) -> str:
        return map_group_name(self.pk)


def map_group_name(map_id: int) -> str:
    """The channel-layer group of everyone on a map's board."""
    return f"map-{map_id}"


class Stage(models.Model):
    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="stages")
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True, max_length=5000)
    position = models.PositiveIntegerField()
    field_revisions = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class LaneKind(models.TextChoices):
    TOUCHPOINTS = "touchpoints", "Touchpoints"
    ACTIONS = "actions", "Actions"
    THOUGHTS = "thoughts", "Thoughts"
    EMOTIONS = "emotions", "Emotions"
    PAIN_POINTS = "pain_points", "Pain points"
    OPPORTUNITIES = "opportunities", "Opportunities"
    BACKSTAGE = "backstage", "Backstage"
    KPIS = "kpis", "KPIs"
    TEXT = "text", "Text"


class Lane(models.Model):
    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="lanes")
    title = models.CharField(max_length=TITLE_MAX)
    kind = models.CharField(max_length=20, choices=LaneKind.choices, default=LaneKind.TEXT)
    position = models.PositiveIntegerField()
    field_revisions = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class CardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The cards `user` (a user or a user id) may see: public ones, and the private ones
        they wrote (none for None or anonymous: forgetting to say who asks hides, never shows)."""
        author = getattr(user, "pk", user) if getattr(user, "is_authenticated", True) else None
        if author is None:
            return self.filter(private=False)
        return self.filter(models.Q(private=False) | models.Q(author=author))


class Card(models.Model):
    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="cards")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="cards")
    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="cards")
    position = models.PositiveIntegerField()
    text = models.TextField(max_length=CARD_TEXT_MAX)
    emotion_score = models.SmallIntegerField(null=True, blank=True)
    severity = models.PositiveSmallIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=100, blank=True)
    # Made during private brainstorming: seen only by its author until the facilitator reveals.
    private = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    field_revisions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]
