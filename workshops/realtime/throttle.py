"""How fast one socket may send operations: a token bucket (docs/realtime.md, "Limits")."""

import time


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; each operation takes one.

    A person clicking and typing sends a few operations a second at most; undo held down or a
    paste of many cards sends bursts, which the saved-up tokens absorb. A script sending
    hundreds a second would queue work for everyone behind the map's row lock."""

    def __init__(self, rate: float, burst: int, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.updated = float(burst), clock()

    def take(self) -> bool:
        self._refill()
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def wait(self) -> float:
        """Seconds until the next token."""
        self._refill()
        return max(0.0, (1 - self.tokens) / self.rate)

    def _refill(self):
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
