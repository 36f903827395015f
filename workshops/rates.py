"""How often one may do what: DRF's throttles, by scope, per person and per address.

A scope is what is limited: `write` (any change through the API), `import` (reading a file of
evidence or a map), `export` (the PDF and the JSON file), `join` (joining as a guest), `login`
(a password tried). Each has a rate per person (`user_<scope>`) and one per address
(`ip_<scope>`) in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]; a scope without a rate for one of
the two is not limited that way (nobody is logged in when joining as a guest). The counts are
kept in the cache, which is Redis when there is one, so every process counts the same requests.

When the cache is down the request is let through: a Redis restart must not take the API down,
and the logins' lockout (django-axes) keeps its counts in the database.
"""

import functools
import logging

from redis.exceptions import RedisError
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

log = logging.getLogger(__name__)


class ScopeThrottle(SimpleRateThrottle):
    """One scope's rate, for the person (`by = "user"`) or the address (`by = "ip"`)."""

    by = "user"
    scope = ""

    def get_rate(self):
        # Read at each request rather than once at import, as DRF's own class does, so that a
        # changed setting (a test's) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if self.by == "ip":
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        if not request.user or not request.user.is_authenticated:
            return None  # the address's limit still counts them
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as error:
            log.warning(
                "Rate limit %s not applied: the cache is unavailable (%s).", self.scope, error
            )
            return True


def throttle_classes(*scopes: str) -> list[type[ScopeThrottle]]:
    """The throttles of these scopes, per person and per address; one without a rate lets all
    through."""
    return [_throttle_class(by, scope) for scope in scopes for by in ("user", "ip")]


@functools.cache
def _throttle_class(by: str, scope: str) -> type[ScopeThrottle]:
    attributes = {"by": by, "scope": f"{by}_{scope}"}
    return type(f"{by.title()}{scope.title()}Throttle", (ScopeThrottle,), attributes)


def over_rate(request, scope: str) -> float | None:
    """For pages (Django views): None when the request may go on, or the seconds to wait."""
    for throttle_class in throttle_classes(scope):
        throttle = throttle_class()
        if not throttle.allow_request(request, None):
            return throttle.wait() or 1.0
    return None
