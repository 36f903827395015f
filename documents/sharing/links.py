"""Share links: made, listed and revoked by a map's facilitators, and found by their token.

A token is 32 random bytes (43 characters); only its SHA-256 is stored, so the link is shown
once, in the answer that made it, and never again: a facilitator who lost it revokes it and
makes another. A link ends when it expires or is revoked; revoking deletes it, so an ended
link and one that never existed are the same to whoever opens them: nothing.

These are not changes of the map (no revision, no history, nothing on the live board): who
may read a map from outside is the facilitators' business, like the workshop's invite links.
Refusals raise ValidationError naming the field (workshops/services/checks.py).
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from workshops.access import require_role
from workshops.models import JourneyMap, Role
from workshops.services.checks import boolean, refuse, text

from ..models import ShareLink

TOKEN_BYTES = 32
TOKEN_LENGTH = 43  # characters of token_urlsafe(32)
HINT_LENGTH = 6
LABEL_MAX = ShareLink._meta.get_field("label").max_length
# "never": until revoked. The default is a month: a link forgotten in a chat ends by itself.
EXPIRY_CHOICES = {
    "1d": ("1 day", timedelta(days=1)),
    "7d": ("7 days", timedelta(days=7)),
    "30d": ("30 days", timedelta(days=30)),
    "90d": ("90 days", timedelta(days=90)),
    "never": ("Never (until revoked)", None),
}
DEFAULT_EXPIRY = "30d"
MAX_EXPIRY = timedelta(days=365)
MOST_LINKS = 50  # per map: more is a list nobody keeps track of
LINK_STATES = ("active", "expired")  # a revoked link is gone


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def share_link_create(
    *,
    actor,
    map: JourneyMap,
    label: str = "",
    expires: str | datetime | None = DEFAULT_EXPIRY,
    include_evidence: bool = False,
    allow_png: bool = True,
    follow_present: bool = False,
    now: datetime | None = None,
) -> tuple[ShareLink, str]:
    """A new link and its token, which only this answer ever holds."""
    require_role(actor, map.workshop, Role.FACILITATOR)
    now = now or timezone.now()
    if map.share_links.count() >= MOST_LINKS:
        refuse("map", f"A map has at most {MOST_LINKS} share links: revoke some first.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink.objects.create(
        map=map,
        token_hash=token_hash(token),
        hint=token[:HINT_LENGTH],
        label=text("label", label, max_length=LABEL_MAX).strip(),
        include_evidence=boolean("include_evidence", include_evidence),
        allow_png=boolean("allow_png", allow_png),
        follow_present=boolean("follow_present", follow_present),
        created_by=actor,
        expires_at=_expiry(expires, now),
    )
    return link, token


def _expiry(expires, now: datetime) -> datetime | None:
    if expires is None:
        expires = DEFAULT_EXPIRY
    if isinstance(expires, str) and expires in EXPIRY_CHOICES:
        length = EXPIRY_CHOICES[expires][1]
        return None if length is None else now + length
    if not isinstance(expires, datetime):
        refuse("expires", f"Choose one of {', '.join(EXPIRY_CHOICES)}, or give a date and time.")
    if timezone.is_naive(expires):
        refuse("expires", "Give the expiry with its time zone.")
    if expires <= now:
        refuse("expires", "The expiry must be in the future.")
    if expires > now + MAX_EXPIRY:
        refuse("expires", "A share link lasts at most a year; choose never for no end.")
    return expires


def share_links_of(*, actor, map: JourneyMap):
    """The map's links, newest first, ended ones included until revoked (facilitators)."""
    require_role(actor, map.workshop, Role.FACILITATOR)
    return map.share_links.select_related("created_by")


def share_link_for(*, actor, map: JourneyMap, link_id: int) -> ShareLink:
    """One of the map's links, or 404 (as for any object that is not there)."""
    try:
        return share_links_of(actor=actor, map=map).get(pk=link_id)
    except ShareLink.DoesNotExist:
        raise Http404("No such share link.") from None


def share_link_revoke(*, actor, link: ShareLink) -> None:
    """The link stops at once: its page, its picture and its images answer 404."""
    require_role(actor, link.map.workshop, Role.FACILITATOR)
    ShareLink.objects.filter(pk=link.pk).delete()


def is_expired(link: ShareLink, now: datetime | None = None) -> bool:
    return link.expires_at is not None and link.expires_at <= (now or timezone.now())


def link_by_token(token: str, now: datetime | None = None) -> ShareLink | None:
    """The open link this token names, with its map, or None: wrong, expired and revoked tokens
    take the same single query, and give the same answer."""
    if len(token) != TOKEN_LENGTH:
        return None  # never made here; not worth hashing a long one
    open_now = Q(expires_at=None) | Q(expires_at__gt=now or timezone.now())
    found = ShareLink.objects.filter(open_now, token_hash=token_hash(token))
    return found.select_related("map").first()
