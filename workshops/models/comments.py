"""Comments on a card or a stage, and the members they mention."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .maps import Card, JourneyMap, Stage

COMMENT_TEXT_MAX = 2000


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The comments `user` may read: a comment follows the secrecy of its card (one on a
        private card is its author's alone until the reveal, as the card is)."""
        visible_cards = Card.objects.visible_to(user)
        return self.filter(models.Q(card__isnull=True) | models.Q(card__in=visible_cards))


class Comment(models.Model):
    """A member's remark on a card or on a stage: one thread per card and per stage. Only its
    author edits or deletes it; anyone who edits the map resolves it (services/comments.py)."""

    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="comments")
    # On a card or on a stage, never both (a card's comments follow it from stage to stage).
    card = models.ForeignKey(
        Card, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(max_length=COMMENT_TEXT_MAX)
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edited_at = models.DateTimeField(null=True, blank=True)  # its text last changed

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(card__isnull=False, stage__isnull=True)
                | Q(card__isnull=True, stage__isnull=False),
                name="comment_on_a_card_or_a_stage",
            )
        ]

    def __str__(self):
        return self.text[:60]


class Mention(models.Model):
    """A member named in a comment (`@name`): it shows in their mentions, and mails them once
    where e-mail is configured (notifications/mentions.py notes `mailed_at`)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_mention_per_comment")
        ]

    def __str__(self):
        return f"User {self.user_id} in comment {self.comment_id}"
