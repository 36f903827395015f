"""Concurrent text edits: an edit based on a value someone else has changed since is refused
with the current value, never silently lost (docs/realtime.md, "Conflicts").

Each object notes in `field_revisions` the map revision at which each of its text fields last
changed; an edit carries the revision it was based on.
"""


class EditConflict(Exception):
    """A text edit based on a value someone else has changed since."""

    def __init__(self, *, field: str, current, revision: int):
        super().__init__(f"Someone else changed {field} since you started editing.")
        self.field = field
        self.current = current
        self.revision = revision


def refuse_if_changed_since(obj, field: str, new_value, base_revision: int | None) -> None:
    """Refuse a text edit when someone changed the same field after the editor's base."""
    if base_revision is None or getattr(obj, field) == new_value:
        return
    changed_at = obj.field_revisions.get(field, 0)
    if changed_at > base_revision:
        raise EditConflict(field=field, current=getattr(obj, field), revision=changed_at)


def stamp(obj, fields, revision: int) -> None:
    """Note the revision at which text fields change, for conflict detection."""
    for field in fields:
        obj.field_revisions[field] = revision
