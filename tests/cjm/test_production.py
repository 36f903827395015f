"""Production settings, the health check, and what the server does when its database is gone.

Settings are read once per process, so the settings themselves are tried in a fresh Python
process with the production environment set."""

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import Client

from workshops import services
from workshops.models import MapEvent

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "maps.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://maps.example.com",
    "DATABASE_URL": "postgres://cjm:secret@db.example.com:5432/cjm",
    "REDIS_URL": "redis://redis.example.com:6379/0",
}


def manage(*args, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION and key != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        text=True,
        capture_output=True,
        env={**env, **environment},
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_refuses_a_missing_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "set the SECRET_KEY environment variable" in result.stderr


@pytest.mark.parametrize("weak", ["short-key", "a" * 60, "django-insecure-" + "x1y2z3" * 10])
def test_debug_off_refuses_a_weak_secret_key(weak):
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": weak})
    assert result.returncode != 0
    assert "SECRET_KEY is weak" in result.stderr


def test_production_settings_use_postgres_and_the_redis_pubsub_layer():
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "c = s.CHANNEL_LAYERS['default']; h = c['CONFIG']['hosts'][0]; "
        "print(d['ENGINE'], d['OPTIONS']['connect_timeout'], c['BACKEND'], "
        "h['socket_timeout'], h['max_connections'], s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "5",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
        "None",
        "10",
        "True",
        "True",
        "31536000",
    ]


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(client, alice):
    client.force_login(alice)
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_the_database_and_the_channel_layer():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}


class database_down:
    """This process loses its database: on PostgreSQL the connection points where nothing
    listens, as when the server has stopped; SQLite's in-memory test database cannot be closed,
    so there every query fails as a lost connection does."""

    def __enter__(self):
        self.saved = dict(connection.settings_dict)
        if connection.vendor == "sqlite":
            connection.create_cursor = self.refuse
        else:
            connection.close()
            connection.settings_dict.update(HOST="127.0.0.1", PORT=unused_port())

    def __exit__(self, *exc):
        if connection.vendor == "sqlite":
            del connection.create_cursor
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(self.saved)

    @staticmethod
    def refuse(*args, **kwargs):
        raise OperationalError("unable to open database file")


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again at once: nothing listens there


@pytest.mark.django_db(transaction=True)
def test_healthz_says_503_when_the_database_is_down():
    with database_down():
        response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"].startswith("unavailable (OperationalError")
    assert body["channel_layer"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_an_api_call_without_a_database_gets_a_clear_503(bob, card):
    client = Client()
    client.force_login(bob)
    url = f"/api/maps/{card.map_id}/cards/{card.pk}/"
    with database_down():
        response = client.patch(url, {"text": "Lost?"}, content_type="application/json")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert "nothing was changed" in response.json()["detail"]
    card.refresh_from_db()
    assert card.text == "Adds items to the cart"


@pytest.mark.django_db(transaction=True)
def test_a_change_cut_off_by_the_database_leaves_nothing_half_applied(bob, card, monkeypatch):
    journey_map = card.map
    revision, events = journey_map.revision, MapEvent.objects.count()

    def lose_the_connection(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The card's new text is written, then the history write fails: all or nothing.
    monkeypatch.setattr(MapEvent.objects, "create", lose_the_connection)
    with pytest.raises(OperationalError):
        services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Half?")
    card.refresh_from_db()
    journey_map.refresh_from_db()
    assert card.text == "Adds items to the cart"
    assert journey_map.revision == revision
    assert MapEvent.objects.count() == events


@pytest.mark.django_db(transaction=True)
def test_a_board_operation_without_a_database_gets_a_clear_error(bob, card):
    from asgiref.sync import async_to_sync
    from django.db import connections

    from tests.live import headers_for, next_of, open_board

    headers = headers_for(bob)

    async def scenario():
        board, _ = await open_board(headers, card.map_id)
        # The consumer's database work runs in a thread of its own: every connection, in any
        # thread, fails its queries as a lost PostgreSQL connection does.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(type(connections["default"]), "create_cursor", database_down.refuse)
            await board.send_json_to(
                {
                    "type": "card.update",
                    "id": "db-down-1",
                    "data": {"card": card.pk, "text": "Lost?"},
                }
            )
            error = await next_of(board, "error", timeout=10)
        await board.disconnect()
        assert error["code"] == "unavailable" and error["id"] == "db-down-1"
        assert "database is unavailable" in error["message"]

    async_to_sync(scenario)()
    card.refresh_from_db()
    assert card.text == "Adds items to the cart"
