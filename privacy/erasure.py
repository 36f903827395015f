"""Erasing an account, on a person's request, by staff (the admin's "Erase" action,
`manage.py erase_account`).

The person goes; what they made for the team stays. Their cards, evidence, versions and
changes stay on the maps, attributed to "a former member": the account row is kept as that
placeholder (a random username, no name, no e-mail, a password nobody can use, inactive), so
every reference to it (cards, evidence, dots of revealed votes, the history, undo's stored
rows) keeps working. The names the history and the versions stored (names.py) are rewritten,
and so are the webhook deliveries of their own changes.
What was only about them goes: memberships, sessions, API tokens, their mentions, e-mail
preferences and the digests sent, their PDF exports, and audit and login records past the
audit retention (younger ones stay for security until the daily prune takes them). A guest's
display name goes with the guest account.

An erasure that would leave a workshop without a facilitator is refused until another one is
appointed: nobody could run that workshop any more.
"""

import secrets
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from knox.models import AuthToken

from documents.models import PdfExport
from notifications.models import DigestPreference, DigestSent
from workshops.access import guest_of
from workshops.models import AuditEvent, Guest, Membership, Mention, Role
from workshops.realtime import broadcast
from workshops.serializers import display_name
from workshops.services.checks import refuse

from . import names
from .names import FORMER_MEMBER

ERASED_PREFIX = "former-member-"
SESSION_ENGINE_DB = "django.contrib.sessions.backends.db"


def is_erased(user) -> bool:
    return user.username.startswith(ERASED_PREFIX) and not user.is_active


def account_erase(*, user, by=None) -> dict[str, int]:
    """Erase `user`'s personal data (`by`: the staff member asking, who cannot erase their own
    account). Returns how many of each kind of record went or were rewritten."""
    _refuse(user, by)
    new_username = f"{ERASED_PREFIX}{secrets.token_hex(8)}"
    person = names.Erased.of(user, name=display_name(user), new_username=new_username)
    maps = names.maps_touched(user)
    with transaction.atomic():
        counts = {
            "history_events": names.rewrite_history(person, maps),
            "versions": names.rewrite_versions(person, maps),
            "webhook_deliveries": names.rewrite_deliveries(person, maps),
            "memberships": _leave_workshops(user),
            "sessions": _end_sessions(user),
            "tokens": AuthToken.objects.filter(user=user).delete()[0],
            # Where others named them: their list of mentions (the comments' text stays).
            "mentions": Mention.objects.filter(user=user).delete()[0],
            "email_preferences": _forget_email(user),
            "pdf_exports": _delete_exports(user),
            **_forget_old_records(user),
        }
        _anonymise(user, new_username)
    return counts


def _refuse(user, by) -> None:
    if is_erased(user):
        refuse("user", "This account is erased already.")
    if by is not None and by.pk == user.pk:
        refuse(
            "user", "You cannot erase the account you are logged in with; ask another staff member."
        )
    alone = _last_facilitator_of(user)
    if alone:
        names = ", ".join(f"“{name}”" for name in sorted(alone))
        refuse(
            "user",
            f"{display_name(user)} is the last facilitator of {names}: appoint another "
            "facilitator there first (or delete the workshop), then erase the account.",
        )


def _last_facilitator_of(user) -> list[str]:
    """The names of the workshops they facilitate with no other facilitator."""
    facilitated = Membership.objects.filter(user=user, role=Role.FACILITATOR)
    others = Membership.objects.filter(role=Role.FACILITATOR).exclude(user=user)
    alone = facilitated.exclude(workshop__in=others.values("workshop"))
    return list(alone.values_list("workshop__name", flat=True))


# --- what goes ---------------------------------------------------------------------------------


def _leave_workshops(user) -> int:
    memberships = list(Membership.objects.filter(user=user).select_related("workshop"))
    for membership in memberships:
        # Their open boards re-check their access once this commits, and close.
        broadcast.access_changed_on_commit(membership.workshop, [user.pk])
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).delete()
    return len(memberships)


def _end_sessions(user) -> int:
    """Their sessions, deleted where they can be listed (the database's); elsewhere the
    unusable password ends them, as Django checks a session against the password's hash."""
    if settings.SESSION_ENGINE != SESSION_ENGINE_DB:
        return 0
    theirs = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    return Session.objects.filter(pk__in=theirs).delete()[0]


def _forget_email(user) -> int:
    preferences = DigestPreference.objects.filter(user=user).delete()[0]
    return preferences + DigestSent.objects.filter(user=user).delete()[0]


def _delete_exports(user) -> int:
    exports = list(PdfExport.objects.filter(created_by=user))
    for export in exports:
        if export.file:
            transaction.on_commit(lambda file=export.file: file.storage.delete(file.name))
    return PdfExport.objects.filter(pk__in=[e.pk for e in exports]).delete()[0]


def _forget_old_records(user) -> dict[str, int]:
    """Audit and login records about them older than the audit retention; younger ones stay
    for security, and go with the daily prune (retention.py)."""
    before = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    about = Q(username=user.username)
    audit = AuditEvent.objects.filter(Q(user=user) | about, at__lt=before).delete()[0]
    logins = sum(
        model.objects.filter(about, attempt_time__lt=before).delete()[0]
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    )
    return {"audit_entries": audit, "login_records": logins}


def _anonymise(user, new_username: str) -> None:
    guest = guest_of(user)
    if guest is not None:
        Guest.objects.filter(pk=guest.pk).update(display_name=FORMER_MEMBER)
    user.username = new_username
    # The placeholder's name is what every page and the history show for them.
    user.first_name, user.last_name, user.email = FORMER_MEMBER, "", ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
