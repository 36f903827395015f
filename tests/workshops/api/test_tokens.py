"""API tokens: one for a password, with its expiry; listed and revoked by their owner alone;
dead once expired, once logged out, and once the password changes."""

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from workshops.services import accounts


def token_for(username="alice", password="password"):
    response = APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(token: str) -> bool:
    return client_with(token).get("/api/workshops/").status_code == 200


def test_a_token_answers_with_its_expiry_thirty_days_ahead(alice):
    answer = token_for()

    expiry = datetime.fromisoformat(answer["expiry"])
    assert abs(expiry - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert answer["token"].startswith(answer["key"])
    assert works(answer["token"])


def test_an_expired_token_is_refused(alice):
    answer = token_for()
    AuthToken.objects.filter(token_key=answer["key"]).update(
        expiry=timezone.now() - timedelta(seconds=1)
    )

    response = client_with(answer["token"]).get("/api/workshops/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_owner_lists_their_tokens_and_which_one_they_use(alice):
    first, second = token_for(), token_for()

    listed = client_with(second["token"]).get("/api/auth/tokens/").json()

    assert [(t["key"], t["current"]) for t in listed] == [
        (second["key"], True),
        (first["key"], False),
    ]
    assert "token" not in listed[0]  # the secret itself is shown once, when it is made


def test_the_owner_revokes_one_token_and_the_others_keep_working(alice):
    first, second = token_for(), token_for()

    revoked = client_with(second["token"]).delete(f"/api/auth/tokens/{first['key']}/")

    assert revoked.status_code == 204
    assert not works(first["token"]) and works(second["token"])


def test_nobody_revokes_someone_elses_token(alice, mallory):
    alices = token_for()
    mallorys = token_for("mallory")

    response = client_with(mallorys["token"]).delete(f"/api/auth/tokens/{alices['key']}/")

    assert response.status_code == 404
    assert works(alices["token"])


def test_revoking_them_all_leaves_none(alice):
    first, second = token_for(), token_for()

    assert client_with(first["token"]).delete("/api/auth/tokens/").status_code == 204
    assert not works(first["token"]) and not works(second["token"])


def test_logging_out_with_a_token_revokes_that_token(alice):
    used, other = token_for(), token_for()

    assert client_with(used["token"]).post("/api/auth/logout/").status_code == 204
    assert not works(used["token"]) and works(other["token"])


def test_changing_the_password_on_its_page_revokes_every_token(alice):
    answer = token_for()
    browser = Client()
    browser.force_login(alice)

    changed = browser.post(
        reverse("password_change"),
        {
            "old_password": "password",
            "new_password1": "a-new-long-phrase-42",
            "new_password2": "a-new-long-phrase-42",
        },
    )

    assert changed.status_code == 302
    assert not works(answer["token"])


def test_a_password_set_anywhere_else_revokes_the_tokens_too(alice):
    answer = token_for()
    user = User.objects.get(pk=alice.pk)  # as the admin or changepassword would

    user.set_password("another-long-phrase-42")
    user.save()

    assert not works(answer["token"])


def test_saving_a_user_without_a_new_password_keeps_the_tokens(alice):
    answer = token_for()

    alice.first_name = "Alicia"
    alice.save()

    assert works(answer["token"])


def test_one_person_holds_a_bounded_number_of_tokens(alice, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 2}
    token_for(), token_for()

    refused = APIClient().post(
        "/api/auth/token/", {"username": "alice", "password": "password"}, format="json"
    )

    assert refused.status_code == 400 and "token" in refused.json()
    assert len(accounts.tokens_of(alice)) == 2


def test_a_token_that_is_not_utf8_is_a_bad_token_not_a_server_error(alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token \xe9t\xe9")

    assert client.get("/api/workshops/").status_code == 401
