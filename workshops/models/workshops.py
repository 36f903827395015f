"""Workshops and who is in them: members and their roles, invite links, guests, personas."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .limits import TITLE_MAX


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
        **{
            f"{invite}revoked_at__isnull": True,
            f"{invite}expires_at__gt": timezone.now(),
        }
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
    # The map the link was made for: people who join land on its board. Without one (or once
    # that map is deleted) they land on the workshop page.
    map = models.ForeignKey(
        "JourneyMap",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invites",
    )
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
