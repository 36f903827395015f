"""What the map tells the world outside the room: webhook endpoints and their deliveries, and the
weekly e-mail digest. No rules live here: webhooks.py, deliveries.py and digests.py write.
"""

from django.conf import settings
from django.db import models

from workshops.models import JourneyMap, Workshop


class Event(models.TextChoices):
    """What an endpoint may ask to hear of (docs/webhooks.md)."""

    VERSION_SAVED = "version.saved", "A version of a map is saved"
    VOTE_CLOSED = "vote.closed", "A dot vote closes (its top cards)"
    EVIDENCE_IMPORTED = "evidence.imported", "Evidence is imported from a file"
    MAP_REVIEW_DUE = "map.review_due", "A map's quarterly review is due (weekly)"


TEST_EVENT = "webhook.test"  # sent on request only, whatever the endpoint asked for


class Format(models.TextChoices):
    JSON = "json", "JSON, signed (docs/webhooks.md)"
    SLACK = "slack", "Slack incoming webhook"


class Webhook(models.Model):
    """An endpoint a facilitator registered for a workshop's events."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="webhooks")
    url = models.CharField(max_length=2000)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.JSON)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=64)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Webhook {self.pk} of workshop {self.workshop_id}: {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    RETRYING = "retrying", "Failed; tries again"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One event for one endpoint: its body, fixed when the event happened (a retry or a resend
    sends the same bytes), and how its last try went."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=80)  # the same in every try and resend
    event_type = models.CharField(max_length=50)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    # `resent` says it is a resend for good; the link to the first goes when that one is pruned.
    resent = models.BooleanField(default=False)
    resend_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["webhook", "-created_at"])]
        constraints = [
            # A worker that runs an announcement twice must not send the event twice.
            models.UniqueConstraint(
                fields=["webhook", "event_id"],
                condition=models.Q(resent=False),
                name="one_delivery_per_event_and_webhook",
            )
        ]

    def __str__(self):
        return f"{self.event_type} to webhook {self.webhook_id}: {self.status}"


class DigestPreference(models.Model):
    """Whether a person gets the weekly digest; without a row, they do."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    weekly_digest = models.BooleanField(default=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Digest {'on' if self.weekly_digest else 'off'} for {self.user_id}"


class DigestSent(models.Model):
    """A digest sent to a person for the week starting on `week` (a Monday): sent once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="one_digest_per_person_and_week")
        ]

    def __str__(self):
        return f"Digest to {self.user_id} for the week of {self.week}"


class ReviewDueNotice(models.Model):
    """`map.review_due` announced for a map in the week starting on `week`: once a week."""

    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    announced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["map", "week"], name="one_review_notice_per_week")
        ]

    def __str__(self):
        return f"Review of map {self.map_id} due, told in the week of {self.week}"
