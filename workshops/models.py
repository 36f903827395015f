"""The journey-map domain. No business rules live here: every write goes through services/."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

CARD_TEXT_MAX = 2000
TITLE_MAX = 200
# The largest id, and any whole number, a query may carry: ids are 64-bit (BigAutoField).
ID_MAX = 2**63 - 1


class Role(models.TextChoices):
    FACILITATOR = "facilitator", "Facilitator"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


# Higher ranks include the rights of lower ones.
ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.FACILITATOR: 3}


def live_membership(prefix: str = "") -> models.Q:
    """Memberships that still give access: everyone's, except a guest's whose invite has expired
    or been revoked (a guest's access lasts as long as the link: services/invites.py).
    `prefix` is the path to the membership, e.g. "memberships__"."""
    invite = f"{prefix}user__guest__invite__"
    return models.Q(**{f"{prefix}user__guest__isnull": True}) | models.Q(
        **{f"{invite}revoked_at__isnull": True, f"{invite}expires_at__gt": timezone.now()}
    )


class WorkshopQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        # One filter call, so both conditions (and a later F("memberships__role")) share the join.
        return self.filter(live_membership("memberships__"), memberships__user=user)


class Workshop(models.Model):
    name = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="one_membership_per_user")
        ]

    def __str__(self):
        return f"{self.user} as {self.role} in {self.workshop}"


class Invite(models.Model):
    """A link that lets people join a workshop with a role, until it expires or is revoked."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="invites")
    role = models.CharField(max_length=20, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self):
        return f"{self.role} invite to {self.workshop}"


class Guest(models.Model):
    """A person without an account who joined by an invite: access to that workshop only,
    for the life of the link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guest"
    )
    invite = models.ForeignKey(Invite, on_delete=models.CASCADE, related_name="guests")
    display_name = models.CharField(max_length=100)
    joined_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.display_name


class Persona(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(max_length=TITLE_MAX)
    segment = models.CharField(max_length=TITLE_MAX, blank=True)
    description = models.TextField(blank=True, max_length=5000)
    goals = models.TextField(blank=True, max_length=5000)
    photo = models.ImageField(upload_to="personas/", blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class MapState(models.TextChoices):
    CURRENT = "current", "Current state"
    FUTURE = "future", "Future state"


class JourneyMapQuerySet(models.QuerySet):
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
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    field_revisions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]


class MapEvent(models.Model):
    """One accepted change: the map's history and the source of real-time catch-up."""

    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="events")
    revision = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    type = models.CharField(max_length=50)
    payload = models.JSONField(default=dict)
    # The client-chosen operation id, so that a resent operation is not applied twice.
    op_id = models.CharField(max_length=100, blank=True)
    # What it takes to reverse this change (for undo); never sent to clients.
    inverse = models.JSONField(default=dict, blank=True)
    # Set on an undo or redo: the event it reverses.
    undo_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["revision"]
        constraints = [
            models.UniqueConstraint(fields=["map", "revision"], name="one_event_per_revision"),
            # A resent operation is not applied twice (services.map_change).
            models.UniqueConstraint(
                fields=["map", "actor", "op_id"],
                condition=~Q(op_id=""),
                name="one_event_per_operation",
            ),
        ]

    def __str__(self):
        return f"{self.map_id}@{self.revision} {self.type}"


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


class MapVersion(models.Model):
    """A named snapshot of a map ("Q3 review"), kept read-only."""

    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=TITLE_MAX)
    revision = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class AuditKind(models.TextChoices):
    LOCKED_OUT = "locked_out", "Locked out after failed logins"
    THROTTLED = "throttled", "Over a rate limit"
    REFUSED = "refused", "Refused: role too low, or access ended"


class AuditEvent(models.Model):
    """A refusal worth a staff member's look: who, what, when and from where. Each failed login
    is django-axes' own record (its access failures, in the admin beside these)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True, help_text="As it was typed or held.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username or self.ip_address} at {self.at:%c}"
