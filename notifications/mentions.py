"""A mail to each member mentioned in a comment (`@name`, workshops/services/mentions.py), sent
by the background worker, through the same mailer as the weekly digest (settings.MAILERS).

Once per mention: its `mailed_at` is claimed before the mail goes (two workers never both send)
and released if sending fails. Only to people with an address who are still members and may
read the comment: a mention on a private card waits for the reveal, and goes then.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from workshops.access import role_of
from workshops.models import Mention
from workshops.serializers import display_name
from workshops.services.checks import visible_to

from . import payloads

logger = logging.getLogger(__name__)

MENTION_EVENTS = ("comment.created", "comment.updated")


def comments_to_tell(event) -> list[int]:
    """The comments of this event whose mentions may be waiting for their mail."""
    comment = event.payload.get("comment")
    if event.type in MENTION_EVENTS and isinstance(comment, dict) and comment.get("mentions"):
        return [comment["id"]]
    if event.type == "private.revealed":
        cards = [card["id"] for card in event.payload.get("cards", [])]
        waiting = Mention.objects.filter(comment__card_id__in=cards, mailed_at__isnull=True)
        return sorted(set(waiting.values_list("comment_id", flat=True)))
    return []


@task()
def mention_mails_send(comment_ids: list[int]) -> None:
    waiting = Mention.objects.filter(
        comment_id__in=comment_ids, mailed_at__isnull=True
    ).select_related(
        "user", "comment__map__workshop", "comment__author", "comment__card", "comment__stage"
    )
    for mention in waiting:
        if may_be_mailed(mention) and _claim(mention):
            _send(mention)


def may_be_mailed(mention: Mention) -> bool:
    person, comment = mention.user, mention.comment
    if not person.is_active or not person.email:
        return False
    if role_of(person, comment.map.workshop) is None:
        return False  # left the workshop, or a guest whose link has ended
    return comment.card is None or visible_to(comment.card, person)


def _claim(mention: Mention) -> bool:
    now = timezone.now()
    claimed = Mention.objects.filter(pk=mention.pk, mailed_at__isnull=True).update(mailed_at=now)
    return claimed == 1


def _send(mention: Mention) -> None:
    try:
        mention_message(mention).send()
    except Exception:
        # Released, so that the mention is not marked as told when it was not.
        Mention.objects.filter(pk=mention.pk).update(mailed_at=None)
        logger.exception("The mail of mention %s could not be sent", mention.pk)


def mention_message(mention: Mention) -> EmailMessage:
    comment = mention.comment
    board = reverse("map-board", args=[comment.map_id])
    on = (
        f"the card “{comment.card.text[:60]}”"
        if comment.card_id
        else f"the stage “{comment.stage.title}”"
    )
    context = {
        "person": mention.user,
        "by": display_name(comment.author) or "Someone",
        "comment": comment,
        "on": on,
        "board_url": payloads.site_url(board),
        "mentions_url": payloads.site_url(reverse("mentions")),
    }
    return EmailMessage(
        subject=render_to_string("notifications/mention_subject.txt", context).strip(),
        body=render_to_string("notifications/mention.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mention.user.email],
    )
