"""The audit log of refusals: lockouts after failed logins, requests over a rate limit, actions
refused for a role too low. Staff read it in the admin ("Audit events"); failed logins are
django-axes' own records, listed there too.

Someone hammering the API would write a row per refused request; the same refusal (kind, person
or address, path) is recorded once a minute at most, which keeps the log readable and small.
"""

import hashlib

from django.core.cache import cache
from redis.exceptions import RedisError

from ..models import AuditEvent, AuditKind

SAME_EVENT_SECONDS = 60
PATH_MAX = AuditEvent._meta.get_field("path").max_length
DETAIL_MAX = AuditEvent._meta.get_field("detail").max_length


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: behind the proxy, Daphne's --proxy-headers has put the client's there,
    # and a header the client sends must not choose what the log says.
    return request.META.get("REMOTE_ADDR") or None


def audit_record(*, kind: str, request, detail: str = "", username: str = "") -> None:
    """Record a refusal of this request, unless the same one was recorded within the minute."""
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    ip = client_ip(request)
    path = request.path[:PATH_MAX]
    who = user.pk if user else f"{username}@{ip}"
    if not _first_within_a_minute(f"{kind}:{who}:{path}"):
        return
    AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=ip,
        method=request.method or "",
        path=path,
        detail=str(detail)[:DETAIL_MAX],
    )


def record_lockout(sender, request, username=None, **kwargs) -> None:
    """django-axes' user_locked_out signal: a username locked out from an address."""
    audit_record(
        kind=AuditKind.LOCKED_OUT,
        request=request,
        username=username or "",
        detail="Too many failed logins; locked out for the cool-off time.",
    )


def _first_within_a_minute(event: str) -> bool:
    # Hashed: a typed username or a path may hold what a cache key must not (spaces, length).
    key = "audit:" + hashlib.sha256(event.encode()).hexdigest()
    try:
        return cache.add(key, 1, SAME_EVENT_SECONDS)
    except (RedisError, OSError):  # the cache is down: record every refusal rather than none
        return True
