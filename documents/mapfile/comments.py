"""Comments in a cjm-map document (docs/map-format.md, `comments[]`): written, checked, read back.

A comment is on a card or a stage of the file, by their keys. Its author is named by username
(and name, for a reader); on import the author is the member of that username in the workshop
the map goes into, or nobody. Mentions are not imported: an import tells no one anything, and
the text keeps its @names. The list is optional, so files written before comments read as maps
without any.
"""

import datetime

from workshops.models import COMMENT_TEXT_MAX, Comment, Workshop
from workshops.serializers import display_name
from workshops.services.checks import boolean, refuse, text

AUTHOR_MAX = 150  # the username column


def export_comments(journey_map, stage_keys: dict, card_keys: dict) -> list[dict]:
    """The comments of exported cards and stages (none of an unrevealed private card's)."""
    found = Comment.objects.filter(map=journey_map).select_related("author").order_by("pk")
    exported = []
    for comment in found:
        if comment.card_id is not None and comment.card_id not in card_keys:
            continue  # on a private card
        place = (
            {"card": card_keys[comment.card_id]}
            if comment.card_id
            else {"stage": stage_keys[comment.stage_id]}
        )
        exported.append(
            {
                "key": f"cm-{len(exported) + 1}",
                "origin": comment.pk,
                **place,
                "text": comment.text,
                "author": comment.author.username if comment.author else None,
                "author_name": display_name(comment.author),
                "resolved": comment.resolved,
                "created_at": comment.created_at.isoformat(),
            }
        )
    return exported


def check_comment(path: str, item: dict, place: dict, workshop: Workshop) -> dict:
    """`place` is the checked {"card": key} or {"stage": key} of the comment."""
    if "text" not in item:
        refuse(f"{path}.text", "This field is missing.")
    return {
        "origin": item.get("origin") if _is_id(item.get("origin")) else None,
        **place,
        "text": text(f"{path}.text", item["text"], max_length=COMMENT_TEXT_MAX, required=True),
        "resolved": boolean(f"{path}.resolved", item.get("resolved", False)),
        "author": _author(path, item.get("author"), workshop),
        "created_at": _moment(f"{path}.created_at", item.get("created_at")),
    }


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _author(path: str, username, workshop: Workshop):
    if username is None:
        return None
    if not isinstance(username, str) or len(username) > AUTHOR_MAX:
        refuse(f"{path}.author", "The author is a username, or null.")
    membership = workshop.memberships.filter(user__username=username).select_related("user")
    found = membership.first()
    return found.user if found else None


def _moment(path: str, value) -> datetime.datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        refuse(path, "A moment in ISO 8601 with its offset, like 2026-11-23T11:08:47+00:00.")
    return moment


def write_comments(map, items: list[dict], stages: dict, cards: dict, *, reuse: bool) -> None:
    """With `reuse` (a restore), comments named by `origin` are kept and set as the file says,
    the others of the map deleted; otherwise all are new."""
    existing = {c.pk: c for c in Comment.objects.filter(map=map)} if reuse else {}
    for item in items:
        comment = existing.pop(item["origin"], None) or Comment(map=map, author=item["author"])
        comment.card = cards[item["card"]] if "card" in item else None
        comment.stage = stages[item["stage"]] if "stage" in item else None
        comment.text, comment.resolved = item["text"], item["resolved"]
        if not comment.resolved:
            comment.resolved_by = comment.resolved_at = None
        comment.save()
        if item["created_at"] is not None:
            # Kept as the file says: the thread's order is the order it was written in.
            Comment.objects.filter(pk=comment.pk).update(created_at=item["created_at"])
    Comment.objects.filter(pk__in=existing).delete()
