"""Rate limits are counted in the cache that every process shares: Redis when REDIS_URL is set
(the PostgreSQL + Redis run of the suite, scripts/with-services), this process's memory alone
otherwise. A cache that is down lets requests through rather than taking the API down."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from redis.exceptions import ConnectionError as RedisConnectionError

from cjm.settings import env_rate
from workshops.rates import ScopeThrottle, throttle_classes

ROOT = Path(__file__).resolve().parents[2]

# Another process of the same server, serving a user twice: it counts them in the shared cache.
ANOTHER_PROCESS = """
import sys, types, django
django.setup()
from django.test import RequestFactory
from workshops.rates import throttle_classes
request = RequestFactory().post("/api/maps/", REMOTE_ADDR="198.51.100.4")
request.user = types.SimpleNamespace(is_authenticated=True, pk=int(sys.argv[1]))
for throttle_class in throttle_classes("write"):
    for _ in range(2):
        assert throttle_class().allow_request(request, None)
"""

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs Redis: run through scripts/with-services (make test does)",
)


@pytest.fixture
def two_writes_a_minute(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user_write": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


@needs_redis
def test_with_redis_the_cache_is_redis(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings.CACHES["default"]["LOCATION"] == os.environ["REDIS_URL"]


@needs_redis
def test_writes_counted_by_another_process_count_here(
    client_for, bob, journey_map, stages, two_writes_a_minute
):
    subprocess.run(
        [sys.executable, "-c", ANOTHER_PROCESS, str(bob.pk)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cjm.settings"},
        check=True,
        timeout=60,
    )

    response = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/stages/", {"title": "Loyalty"}, format="json"
    )

    assert response.status_code == 429


def test_without_redis_each_process_counts_in_its_own_memory(settings):
    if os.environ.get("REDIS_URL"):
        pytest.skip("the suite runs with Redis")
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


class DownCache:
    def get(self, *args, **kwargs):
        raise RedisConnectionError("Connection refused")

    set = get


def test_a_cache_that_is_down_lets_requests_through(client_for, bob, journey_map, monkeypatch):
    monkeypatch.setattr(ScopeThrottle, "cache", DownCache())

    response = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/stages/", {"title": "Loyalty"}, format="json"
    )

    assert response.status_code == 201


def test_each_scope_is_limited_per_person_and_per_address():
    scopes = [(throttle.by, throttle.scope) for throttle in throttle_classes("export")]

    assert scopes == [("user", "user_export"), ("ip", "ip_export")]


@pytest.mark.parametrize("value", ["10/min", "1/s", "300/hour", "5/day", "2/second"])
def test_a_rate_is_a_count_per_period(monkeypatch, value):
    monkeypatch.setenv("RATE_WRITES", value)
    assert env_rate("RATE_WRITES", "300/min") == value


@pytest.mark.parametrize("value", ["10", "ten/min", "10/week", "10 per minute", "-1/min"])
def test_a_rate_the_throttles_cannot_read_stops_the_server_naming_it(monkeypatch, value):
    monkeypatch.setenv("RATE_WRITES", value)
    with pytest.raises(ImproperlyConfigured, match="RATE_WRITES"):
        env_rate("RATE_WRITES", "300/min")
