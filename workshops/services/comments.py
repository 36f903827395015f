"""Comments on cards and stages: a thread per card and per stage, live on every board.

Rules:
- Editors and facilitators comment; viewers read. A comment is on a card or a stage of its map.
- Only its author edits or deletes a comment; anyone who edits the map resolves or reopens it.
- `@name` mentions a member (mentions.py says how names match); a mention of nobody is refused.
- A comment follows the secrecy of its card: on a private card (private brainstorming) it is the
  card's author's alone until the reveal. Its events carry `_owner` (realtime/secrecy.py), so
  no one else's board, history or catch-up sees them; reads filter by Comment.objects.visible_to.
- Each write is a map change (revision, history, broadcast). Making, deleting, editing and
  resolving are undone by one's own undo like any other change (register_comment_operations).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.utils import timezone

from ..models import COMMENT_TEXT_MAX, Card, Comment, Mention, Stage
from ..realtime.secrecy import OWNER
from ..serializers import CommentSerializer
from . import checks, restore
from .checks import find_on_map, object_id, refuse
from .mentions import mentioned, mentions_set
from .pipeline import Change, map_change
from .undo import put_back, register

# --- reading one, and what its events carry ---------------------------------------------------


def with_details(comments):
    """What a comment's wire form names: its author, resolver, card and mentioned people."""
    mentions = Mention.objects.select_related("user").order_by("id")
    return comments.select_related("author", "resolved_by", "card").prefetch_related(
        Prefetch("mentions", mentions)
    )


def comment_for(map, comment_id, actor) -> Comment:
    """A comment of this map that `actor` may see, or a refusal naming `comment`: one on
    someone else's private card answers as one that does not exist."""
    object_id("comment", comment_id)
    found = with_details(Comment.objects.visible_to(actor)).filter(map=map, pk=comment_id).first()
    if found is None:
        refuse("comment", f"No comment {comment_id} on this map.")
    return found


def comment_data(comment: Comment) -> dict:
    return CommentSerializer(comment).data


def open_count(comment: Comment) -> int:
    """The open comments of the comment's card or stage: the count its badge shows."""
    place = {"card_id": comment.card_id} if comment.card_id else {"stage_id": comment.stage_id}
    return Comment.objects.filter(resolved=False, **place).count()


def _change(type: str, comment: Comment, inverse: dict | None, data: dict | None = None):
    payload = {"comment": data or comment_data(comment), "open_comments": open_count(comment)}
    if comment.card_id and comment.card.private:
        payload[OWNER] = comment.card.author_id  # the card's secret is the comment's
    return Change(type, payload, inverse)


def _key(comment: Comment) -> str:
    return f"comment:{comment.pk}"


def _place_key(comment: Comment) -> str:
    """What the comment is in, for undo: undoing the card's creation must not take others'
    comments with it (undo.clashes)."""
    return f"card:{comment.card_id}" if comment.card_id else f"stage:{comment.stage_id}"


def _place(map, actor, card_id, stage_id) -> tuple[Card | None, Stage | None]:
    if (card_id is None) == (stage_id is None):
        refuse("card", "A comment is on a card or on a stage: give one of the two.")
    if card_id is not None:
        return find_on_map(map, Card, card_id, "card", actor), None
    return None, find_on_map(map, Stage, stage_id, "stage")


def _refuse_unless_author(comment: Comment, actor, what: str) -> None:
    if comment.author_id is None or comment.author_id != actor.pk:
        raise PermissionDenied(f"Only the author of a comment can {what} it.")


def _text(text) -> str:
    return checks.text("text", text, max_length=COMMENT_TEXT_MAX, required=True)


def _reloaded(comment: Comment) -> Comment:
    return with_details(Comment.objects).get(pk=comment.pk)


# --- the changes ------------------------------------------------------------------------------


@map_change()
def comment_create(
    *, actor, map, text: str, card_id: int | None = None, stage_id: int | None = None
):
    card, stage = _place(map, actor, card_id, stage_id)
    text = _text(text)
    people = mentioned(map.workshop, text, author=actor)
    comment = Comment.objects.create(map=map, card=card, stage=stage, author=actor, text=text)
    mentions_set(comment, people)
    undo = restore.inverse(
        "comment.delete", {"comment_id": comment.pk}, [_key(comment)], [_place_key(comment)]
    )
    return _change("comment.created", _reloaded(comment), undo)


@map_change()
def comment_update(*, actor, map, comment_id: int, text: str):
    comment = comment_for(map, comment_id, actor)
    _refuse_unless_author(comment, actor, "edit")
    before, text = comment.text, _text(text)
    people = mentioned(map.workshop, text, author=actor)
    undo = None
    if text != before:
        comment.text, comment.edited_at = text, timezone.now()
        comment.save(update_fields=["text", "edited_at", "updated_at"])
        undo = restore.inverse(
            "comment.update",
            {"comment_id": comment.pk, "text": before},
            [f"{_key(comment)}:text"],
            [_place_key(comment)],
        )
    mentions_set(comment, people)
    return _change("comment.updated", _reloaded(comment), undo)


@map_change()
def comment_resolve(*, actor, map, comment_id: int, resolved: bool = True):
    resolved = checks.boolean("resolved", resolved)
    comment = comment_for(map, comment_id, actor)
    if comment.resolved == resolved:
        refuse("resolved", f"This comment is {'resolved' if resolved else 'open'} already.")
    comment.resolved = resolved
    comment.resolved_by = actor if resolved else None
    comment.resolved_at = timezone.now() if resolved else None
    comment.save(update_fields=["resolved", "resolved_by", "resolved_at", "updated_at"])
    undo = restore.inverse(
        "comment.resolve",
        {"comment_id": comment.pk, "resolved": not resolved},
        [f"{_key(comment)}:resolved"],
        [_place_key(comment)],
    )
    return _change("comment.resolved" if resolved else "comment.reopened", comment, undo)


@map_change()
def comment_delete(*, actor, map, comment_id: int):
    comment = comment_for(map, comment_id, actor)
    _refuse_unless_author(comment, actor, "delete")
    data = comment_data(comment)
    family = restore.family(comment)  # its mentions come back with it
    undo = restore.inverse(
        "comment.restore", {"rows": restore.rows(family)}, [_key(comment)], [_place_key(comment)]
    )
    comment.delete()
    return _change("comment.deleted", comment, undo, data)


# --- undo -------------------------------------------------------------------------------------


def _comment_restore(*, actor, map, rows: list):
    """The undo of a deletion: the comment again, same id, its mentions with it (already
    mailed ones are not mailed again)."""
    comment = _reloaded(put_back(map, rows, Comment, "the comment")[0])
    undo = restore.inverse(
        "comment.delete", {"comment_id": comment.pk}, [_key(comment)], [_place_key(comment)]
    )
    return _change("comment.created", comment, undo)


def register_comment_operations() -> None:
    """Called once, when the app is ready (workshops/apps.py): the undo operations, and the
    comments that come back with a card or stage whose deletion is undone."""
    register("comment.delete", comment_delete.__wrapped__)
    register("comment.update", comment_update.__wrapped__)
    register("comment.resolve", comment_resolve.__wrapped__)
    register("comment.restore", _comment_restore)
    restore.register_brought_back(
        "workshops.Comment",
        "comments",
        lambda rows: CommentSerializer(_reloaded_many(rows), many=True).data,
    )


def _reloaded_many(rows: list) -> list:
    return list(with_details(Comment.objects).filter(pk__in=[row.pk for row in rows]))


# --- what a board shows of them ------------------------------------------------------------

BOARD_COMMENTS_HELP = (
    "Open (unresolved) comments per card and per stage: {cards: {id: n}, stages: {id: n}}; "
    "only cards this reader may see. The threads themselves: GET /api/maps/{id}/comments/."
)


def board_comments(journey_map) -> dict:
    """The count badges of the board: `journey_map` comes from with_board(viewer), whose cards
    are the viewer's, so no one's private card is counted. One grouped query."""
    visible = {card.pk for card in journey_map.cards.all()}
    counts = {"cards": {}, "stages": {}}
    rows = (
        Comment.objects.filter(map=journey_map, resolved=False)
        .values("card_id", "stage_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        if row["card_id"] in visible:
            counts["cards"][row["card_id"]] = row["n"]
        elif row["stage_id"] is not None:
            counts["stages"][row["stage_id"]] = row["n"]
    return counts
