"""What happened to a map: its events (the history, undo) and saved versions; the audit of
refusals."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .limits import TITLE_MAX
from .maps import JourneyMap


class MapEvent(models.Model):
    """One accepted change: the map's history and the source of real-time catch-up."""

    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="events")
    revision = models.PositiveIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
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
