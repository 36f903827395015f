"""The webhook receiver of the notification tests (a real HTTP server on a local port), for
the tests here that follow personal data out through webhooks."""

from tests.notifications.conftest import receiver  # noqa: F401
