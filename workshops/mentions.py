"""A person's mentions: the comments that name them (`@name`), newest first, as they may see
them. The page (web/mentions.py) and `GET /api/me/mentions/` read them here.

Only from the workshops they are still a member of, and only comments they may read: a mention
on a private card shows once the facilitator reveals the card (until then the card, and so its
comments, are its author's alone)."""

from django.db.models import Prefetch, Q

from .models import Card, Comment, Mention, Workshop
from .serializers import display_name
from .services.comments import comment_data, with_details

MENTIONS_SHOWN = 100


def mentions_of(user, limit: int = MENTIONS_SHOWN) -> list[Mention]:
    if not user.is_authenticated:
        return []
    comments = with_details(Comment.objects.select_related("map__workshop", "stage"))
    return list(
        Mention.objects.filter(
            user=user, comment__map__workshop__in=Workshop.objects.for_user(user)
        )
        .filter(Q(comment__card__isnull=True) | Q(comment__card__in=Card.objects.visible_to(user)))
        .prefetch_related(Prefetch("comment", comments))
        .order_by("-created_at", "-id")[:limit]
    )


def mention_data(mention: Mention) -> dict:
    """A mention as the list shows it: the comment, and where it is."""
    comment = mention.comment
    journey_map = comment.map
    return {
        "id": mention.pk,
        "at": mention.created_at,
        "by": display_name(comment.author),
        "comment": comment_data(comment),
        "map": {"id": journey_map.pk, "title": journey_map.title},
        "workshop": {"id": journey_map.workshop_id, "name": journey_map.workshop.name},
        "on": _place(comment),
    }


def _place(comment: Comment) -> dict:
    if comment.card_id:
        return {"type": "card", "id": comment.card_id, "text": comment.card.text}
    return {"type": "stage", "id": comment.stage_id, "text": comment.stage.title}
