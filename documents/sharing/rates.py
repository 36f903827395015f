"""How often one address may open share links: the `share` scope of workshops/rates.py, per
address only (whoever opens a link is nobody in particular, and asking who they are would read
their session). Its rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["ip_share"]
(RATE_SHARES_PER_IP), else DEFAULT_RATE: a page, each look at its board (every 10 s while it is
open), its picture and its evidence pictures each count. Counted in the cache, as every rate is."""

from rest_framework.settings import api_settings

from workshops.rates import ScopeThrottle, throttle_classes

DEFAULT_RATE = "120/min"


class ShareThrottle(ScopeThrottle):
    by = "ip"
    scope = "ip_share"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope, DEFAULT_RATE)


def _per_address(scope: str) -> list[type[ScopeThrottle]]:
    return [throttle for throttle in throttle_classes(scope) if throttle.by == "ip"]


def over_share_rate(request, *, also: tuple[str, ...] = ()) -> float | None:
    """None when this address may go on, else the seconds to wait. `also`: other scopes this
    request counts against (the picture: "export"), per address too."""
    throttles = [ShareThrottle, *(cls for scope in also for cls in _per_address(scope))]
    for throttle_class in throttles:
        throttle = throttle_class()
        if not throttle.allow_request(request, None):
            return throttle.wait() or 1.0
    return None
