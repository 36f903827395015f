"""What the site holds about a person, as one JSON document: the answer to an access request
(GET /api/me/data/, the "Your data" page, `manage.py export_personal_data`).

Everything is the person's own: their account, where they take part and with which role, what
they wrote (cards, evidence, comments), their dots once a vote is revealed (never an open
vote's), the changes they made, what they saved, imported, exported and registered, their
e-mail settings, their API tokens (never a key, only the first characters that name each), and
the audit and login records about their account. Secrets of others never appear: nothing here
is read through another person's eyes, only rows that point at this person.
"""

from urllib.parse import urlsplit

from axes.models import AccessFailureLog, AccessLog
from django.db.models import Q
from django.utils import timezone
from knox.models import AuthToken

from documents.models import PdfExport
from evidence.models import Evidence, EvidenceImport
from evidence.serializers import evidence_list
from notifications.models import DigestSent, Webhook
from notifications.preferences import digest_wanted
from workshops import history
from workshops.access import guest_of
from workshops.models import (
    AuditEvent,
    Card,
    Comment,
    Invite,
    MapEvent,
    MapVersion,
    Membership,
    Vote,
    VoteStatus,
    Workshop,
)
from workshops.serializers import card_data, display_name

FORMAT, VERSION = "cjm-personal-data", 1
SECRET_CHANGES = ("vote.placed", "vote.removed")  # dots: listed under votes, once revealed


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def personal_data(user) -> dict:
    """Every section of what is held about `user`; plain JSON."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso(timezone.now()),
        "account": account(user),
        "memberships": memberships(user),
        "workshops_created": workshops_created(user),
        "cards": cards(user),
        "evidence": evidence(user),
        "comments": comments(user),
        "votes": votes(user),
        "changes": changes(user),
        "versions": versions(user),
        "imports": imports(user),
        "pdf_exports": pdf_exports(user),
        "invites": invites(user),
        "webhooks": webhooks(user),
        "email": email(user),
        "tokens": tokens(user),
        "audit": audit(user),
        "logins": logins(user),
    }


def account(user) -> dict:
    guest = guest_of(user)
    return {
        "id": user.pk,
        "username": user.username,
        "name": display_name(user),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "guest": None
        if guest is None
        else {
            "display_name": guest.display_name,
            "workshop": guest.invite.workshop.name,
            "joined_at": iso(guest.joined_at),
            "access_ends_at": iso(guest.invite.expires_at),
        },
    }


def memberships(user) -> list[dict]:
    found = Membership.objects.filter(user=user).select_related("workshop")
    return [
        {
            "workshop": {"id": m.workshop_id, "name": m.workshop.name},
            "role": m.role,
            "joined_at": iso(m.joined_at),
        }
        for m in found
    ]


def workshops_created(user) -> list[dict]:
    found = Workshop.objects.filter(created_by=user)
    return [{"id": w.pk, "name": w.name, "created_at": iso(w.created_at)} for w in found]


def _map_part(journey_map) -> dict:
    return {"id": journey_map.pk, "title": journey_map.title}


def cards(user) -> list[dict]:
    # Their private cards too: what they wrote is theirs, revealed or not.
    found = Card.objects.filter(author=user).select_related("map", "author").order_by("pk")
    return [{**card_data(card), "map": _map_part(card.map)} for card in found]


def evidence(user) -> list[dict]:
    found = list(Evidence.objects.filter(added_by=user).select_related("map", "card", "added_by"))
    maps = {piece.pk: piece.map for piece in found}
    return [{**piece, "map": _map_part(maps[piece["id"]])} for piece in evidence_list(found)]


def comments(user) -> list[dict]:
    """The comments they wrote, and whether each is resolved; on a private card too (theirs)."""
    found = Comment.objects.filter(author=user).select_related("map", "card", "stage")
    return [
        {
            "map": _map_part(comment.map),
            "on": {"card": comment.card.text} if comment.card else {"stage": comment.stage.title},
            "text": comment.text,
            "resolved": comment.resolved,
            "created_at": iso(comment.created_at),
            "edited_at": iso(comment.edited_at),
        }
        for comment in found
    ]


def votes(user) -> list[dict]:
    """Their dots in revealed rounds only: an open round's dots are secret, even to an export
    that someone else might see over their shoulder."""
    found = Vote.objects.filter(voter=user, round__status=VoteStatus.REVEALED).select_related(
        "round__map", "card"
    )
    return [
        {
            "map": _map_part(vote.round.map),
            "round": vote.round_id,
            "card": {"id": vote.card_id, "text": vote.card.text},
            "at": iso(vote.created_at),
        }
        for vote in found
    ]


def changes(user) -> list[dict]:
    """The map changes they made, as the history words them."""
    found = (
        MapEvent.objects.filter(actor=user)
        .exclude(type__in=SECRET_CHANGES)
        .select_related("map")
        .order_by("map_id", "revision")
    )
    return [
        {
            "map": _map_part(event.map),
            "revision": event.revision,
            "type": event.type,
            "what": history.describe(event),
            "at": iso(event.created_at),
        }
        for event in found.iterator(chunk_size=2000)
    ]


def versions(user) -> list[dict]:
    found = MapVersion.objects.filter(created_by=user).select_related("map")
    return [
        {"map": _map_part(v.map), "name": v.name, "revision": v.revision, "at": iso(v.created_at)}
        for v in found
    ]


def imports(user) -> list[dict]:
    found = EvidenceImport.objects.filter(created_by=user).select_related("map")
    return [
        {
            "map": _map_part(started.map),
            "file_name": started.file_name,
            "status": started.status,
            "at": iso(started.created_at),
        }
        for started in found
    ]


def pdf_exports(user) -> list[dict]:
    found = PdfExport.objects.filter(created_by=user).select_related("map")
    return [{"map": _map_part(e.map), "status": e.status, "at": iso(e.created_at)} for e in found]


def invites(user) -> list[dict]:
    found = Invite.objects.filter(created_by=user).select_related("workshop")
    return [
        {
            "workshop": invite.workshop.name,
            "role": invite.role,
            "created_at": iso(invite.created_at),
            "expires_at": iso(invite.expires_at),
            "revoked_at": iso(invite.revoked_at),
        }
        for invite in found
    ]


def webhooks(user) -> list[dict]:
    """The endpoints they registered, by host: a webhook's path is often its key (Slack's
    are), and its signing secret is the workshop's, not theirs."""
    found = Webhook.objects.filter(created_by=user).select_related("workshop")
    return [
        {
            "workshop": hook.workshop.name,
            "host": urlsplit(hook.url).hostname or "",
            "format": hook.format,
            "events": hook.events,
            "active": hook.active,
            "created_at": iso(hook.created_at),
        }
        for hook in found
    ]


def email(user) -> dict:
    sent = DigestSent.objects.filter(user=user).order_by("week").values_list("week", flat=True)
    return {
        "address": user.email,
        "weekly_digest": digest_wanted(user),
        "digests_sent": [week.isoformat() for week in sent],
    }


def tokens(user) -> list[dict]:
    """Named by their first characters (knox's token_key); the token itself is never kept."""
    found = AuthToken.objects.filter(user=user).order_by("created")
    return [
        {"key": token.token_key, "created": iso(token.created), "expiry": iso(token.expiry)}
        for token in found
    ]


def _about(user) -> Q:
    return Q(user=user) | Q(username=user.username)


def audit(user) -> list[dict]:
    found = AuditEvent.objects.filter(_about(user))
    return [
        {
            "at": iso(entry.at),
            "kind": entry.kind,
            "username": entry.username,
            "ip_address": entry.ip_address,
            "method": entry.method,
            "path": entry.path,
            "detail": entry.detail,
        }
        for entry in found
    ]


def logins(user) -> dict:
    """django-axes' records of logins with their username: made, and failed."""
    made = AccessLog.objects.filter(username=user.username).order_by("attempt_time")
    failed = AccessFailureLog.objects.filter(username=user.username).order_by("attempt_time")
    return {
        "made": [_login(row) | {"logout_at": iso(row.logout_time)} for row in made],
        "failed": [_login(row) | {"locked_out": row.locked_out} for row in failed],
    }


def _login(row) -> dict:
    return {"at": iso(row.attempt_time), "ip_address": row.ip_address, "browser": row.user_agent}
