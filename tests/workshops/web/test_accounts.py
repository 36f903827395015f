"""Logging in under attack: the lockout after repeated failures (django-axes) on the login page,
the admin's login and the token endpoint; the rate of logins per address; sign-up that can be
closed (OPEN_SIGNUP)."""

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from workshops.models import AuditEvent, AuditKind

ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.4"


def log_in(client, username, password, address=ATTACKER, url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail_until_locked(client, username="alice", url=None, address=ATTACKER, limit=5):
    return [log_in(client, username, "wrong", address, url).status_code for _ in range(limit)]


# --- lockout ----------------------------------------------------------------------------------


def test_the_login_page_locks_a_username_out_after_five_wrong_passwords(client, alice):
    statuses = fail_until_locked(client)
    refused = log_in(client, "alice", "password")

    assert statuses == [200, 200, 200, 200, 429]
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_the_lockout_holds_one_address_only(client, alice):
    fail_until_locked(client)

    elsewhere = log_in(Client(), "alice", "password", address=ELSEWHERE)

    assert elsewhere.status_code == 302


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(client, alice):
    fail_until_locked(client, limit=4)

    assert log_in(client, "alice", "password").status_code == 302


def test_the_admin_login_locks_out_too(client, db):
    User.objects.create_superuser("root", password="password")
    url = reverse("admin:login")

    fail_until_locked(client, "root", url=url)
    refused = log_in(client, "root", "password", url=url)

    assert refused.status_code == 429
    assert "Too many failed logins" in refused.content.decode()


def test_the_token_endpoint_locks_out_with_a_json_answer(alice):
    client = Client()

    def ask(password):
        return client.post(
            "/api/auth/token/",
            {"username": "alice", "password": password},
            content_type="application/json",
            REMOTE_ADDR=ATTACKER,
        )

    statuses = [ask("wrong").status_code for _ in range(5)]
    refused = ask("password")

    assert statuses == [400, 400, 400, 400, 429]
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_attempts"
    assert "token" not in refused.json()


def test_failed_logins_and_the_lockout_are_in_the_audit_log(client, alice):
    fail_until_locked(client)

    failures = AccessFailureLog.objects.filter(username="alice", ip_address=ATTACKER)
    lockout = AuditEvent.objects.get(kind=AuditKind.LOCKED_OUT)
    assert failures.count() == 5
    assert (lockout.username, lockout.ip_address, lockout.path) == (
        "alice",
        ATTACKER,
        "/accounts/login/",
    )


# --- the rate of logins per address ------------------------------------------------------------


@pytest.fixture
def two_logins_a_minute(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "ip_login": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_one_address_trying_many_usernames_is_slowed_down(client, two_logins_a_minute, db):
    tried = [log_in(client, name, "guess").status_code for name in ("ann", "ben", "cy")]

    assert tried == [200, 200, 429]
    assert AuditEvent.objects.get(kind=AuditKind.THROTTLED).ip_address == ATTACKER


def test_the_token_endpoint_counts_logins_per_address_too(two_logins_a_minute, db):
    client = Client()
    tried = [
        client.post(
            "/api/auth/token/", {"username": name, "password": "guess"}, REMOTE_ADDR=ATTACKER
        ).status_code
        for name in ("ann", "ben", "cy")
    ]

    assert tried == [400, 400, 429]
    assert AuditEvent.objects.get(kind=AuditKind.THROTTLED).ip_address == ATTACKER


# --- sign-up ----------------------------------------------------------------------------------

NEW_ACCOUNT = {
    "username": "dora",
    "password1": "a-long-pass-phrase-42",
    "password2": "a-long-pass-phrase-42",
}


def test_with_open_signup_off_the_signup_page_says_it_is_closed(client, settings, db):
    settings.OPEN_SIGNUP = False

    page = client.get(reverse("signup"))
    posted = client.post(reverse("signup"), NEW_ACCOUNT)

    assert page.status_code == posted.status_code == 403
    assert "Sign-up is closed" in page.content.decode()
    assert not User.objects.filter(username="dora").exists()


def test_with_open_signup_off_no_page_offers_to_sign_up(client, settings, db):
    settings.OPEN_SIGNUP = False

    login_page = client.get(reverse("login")).content.decode()

    assert reverse("signup") not in login_page
    assert "Ask an administrator" in login_page


def test_with_open_signup_on_anyone_signs_up(client, settings, db):
    settings.OPEN_SIGNUP = True

    assert reverse("signup") in client.get(reverse("login")).content.decode()
    assert client.post(reverse("signup"), NEW_ACCOUNT).status_code == 302
    assert User.objects.filter(username="dora").exists()
