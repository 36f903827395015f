"""What stays of an erased person's work, without their name (erasure.py): the names the
history stored with its events, the comment authors and mentions kept in the versions' map
files, and the webhook deliveries of their own changes.

The history and the versions store a person's name beside their id (`author` and
`author_name`), or beside their username (a comment's author in a map file), or as a mention
(`user`, `username`, `name`); a round they opened holds their name alone (`opened_by`). Each
becomes FORMER_MEMBER, and a stored username becomes the placeholder account's, so that a
restored version finds the same account again.
"""

import json
import re
from dataclasses import dataclass, field

from evidence.models import Evidence
from notifications.models import Delivery, Event, Format
from workshops.models import (
    Card,
    Comment,
    JourneyMap,
    MapEvent,
    MapVersion,
    Mention,
    VoteRound,
)

FORMER_MEMBER = "a former member"
DELIVERED_EVENTS = (Event.VOTE_CLOSED, Event.EVIDENCE_IMPORTED)  # map events webhooks carry


@dataclass
class Erased:
    """Who is erased: their id, the username and name they had, and the placeholder's."""

    id: int
    username: str
    name: str
    new_username: str
    rounds: set[int] = field(default_factory=set)  # the vote rounds they opened

    @classmethod
    def of(cls, user, *, name: str, new_username: str) -> "Erased":
        rounds = set(VoteRound.objects.filter(opened_by=user).values_list("pk", flat=True))
        return cls(user.pk, user.username, name, new_username, rounds)


def maps_touched(user) -> set[int]:
    """The maps where their name may be stored: where they changed, wrote, commented, were
    mentioned, saved a version (whose webhook deliveries name them) or opened a vote."""
    found = set()
    for rows in (
        MapEvent.objects.filter(actor=user).values_list("map", flat=True),
        MapVersion.objects.filter(created_by=user).values_list("map", flat=True),
        Card.objects.filter(author=user).values_list("map", flat=True),
        Evidence.objects.filter(added_by=user).values_list("map", flat=True),
        Comment.objects.filter(author=user).values_list("map", flat=True),
        Mention.objects.filter(user=user).values_list("comment__map", flat=True),
        VoteRound.objects.filter(opened_by=user).values_list("map", flat=True),
    ):
        found |= set(rows.distinct())
    return found


def rewrite_history(person: Erased, maps: set[int]) -> int:
    """The events of the maps they touched, without their name; how many changed."""
    return _rewrite(MapEvent.objects.filter(map__in=maps), "payload", person)


def rewrite_versions(person: Erased, maps: set[int]) -> int:
    """The versions' map files (comments and their authors), without their name."""
    return _rewrite(MapVersion.objects.filter(map__in=maps), "snapshot", person)


def _rewrite(rows, column: str, person: Erased) -> int:
    rewritten = 0
    for pk, value in rows.values_list("pk", column).iterator(chunk_size=500):
        value, changed = without_name(value, person)
        if changed:
            rows.model.objects.filter(pk=pk).update(**{column: value})
            rewritten += 1
    return rewritten


def without_name(value, person: Erased):
    """(value, whether it changed), with the person's stored name replaced by FORMER_MEMBER."""
    if isinstance(value, list):
        parts = [without_name(item, person) for item in value]
        return [part for part, _ in parts], any(changed for _, changed in parts)
    if not isinstance(value, dict):
        return value, False
    out, changed = {}, False
    for key, item in value.items():
        out[key], inner = without_name(item, person)
        changed |= inner
    before = dict(out)
    for key in list(out):
        named = f"{key}_name"
        mine = not isinstance(out[key], bool) and out[key] in (person.id, person.username)
        if mine and isinstance(out.get(named), str):
            out[named] = FORMER_MEMBER
            if out[key] == person.username:
                out[key] = person.new_username
    if out.get("user") == person.id and isinstance(out.get("name"), str):  # a mention
        out["name"] = FORMER_MEMBER
        if out.get("username") == person.username:
            out["username"] = person.new_username
    if out.get("round") in person.rounds and isinstance(out.get("opened_by"), str):
        out["opened_by"] = FORMER_MEMBER
    return out, changed or out != before


def rewrite_deliveries(person: Erased, maps: set[int]) -> int:
    """The bodies of the webhook deliveries of their own changes and saved versions, which
    name them as the actor (JSON's "actor", Slack's headline). Deliveries are kept 30 days,
    so there are few of them; their event ids say whose change each one was."""
    theirs = MapEvent.objects.filter(actor_id=person.id, type__in=DELIVERED_EVENTS)
    events = {f"map-{m}-revision-{r}" for m, r in theirs.values_list("map", "revision")}
    versions = MapVersion.objects.filter(created_by_id=person.id).values_list("pk", flat=True)
    events |= {f"version-{pk}" for pk in versions}
    workshops = JourneyMap.objects.filter(pk__in=maps).values("workshop")
    found = Delivery.objects.filter(webhook__workshop__in=workshops, event_id__in=events)
    rewritten = 0
    for delivery in found.select_related("webhook").iterator():
        body = _delivery_without(delivery.body, delivery.webhook.format, person.name)
        if body != delivery.body:
            Delivery.objects.filter(pk=delivery.pk).update(body=body)
            rewritten += 1
    return rewritten


def _delivery_without(body: str, format: str, old_name: str) -> str:
    try:
        message = json.loads(body)
    except ValueError:
        return body
    if format == Format.JSON and message.get("actor") == old_name:
        message["actor"] = FORMER_MEMBER
    elif format != Format.JSON and old_name:
        whole_name = re.compile(rf"(?<!\w){re.escape(old_name)}(?!\w)")
        message = _replace_in_strings(message, whole_name)
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def _replace_in_strings(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(FORMER_MEMBER, value)
    if isinstance(value, list):
        return [_replace_in_strings(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _replace_in_strings(item, pattern) for key, item in value.items()}
    return value
