"""API tokens: django-rest-knox's, which keeps only a hash of each and gives each an expiry
(REST_KNOX's TOKEN_TTL). Their owner lists and revokes them; a password change revokes them all,
so a token leaked with an old password dies with it.

A token is named by its key, the first characters of the token (knox's `token_key`): enough to
tell one's tokens apart, useless to authenticate with.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

from .checks import refuse


def tokens_of(user) -> list[AuthToken]:
    """The user's tokens that still work, newest first."""
    live = Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    return list(AuthToken.objects.filter(live, user=user).order_by("-created"))


def token_create(*, user) -> tuple[AuthToken, str]:
    """A new token for the user: the row and the token itself, which is shown only now."""
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None and len(tokens_of(user)) >= limit:
        refuse(
            "token",
            f"You hold {limit} tokens, the most one may: revoke one you no longer use "
            "(DELETE /api/auth/tokens/<key>/) and ask again.",
        )
    return AuthToken.objects.create(user=user)


def token_revoke(*, user, key: str) -> None:
    """Revoke one of the user's own tokens; someone else's answers as one that does not exist."""
    deleted, _ = AuthToken.objects.filter(user=user, token_key=key).delete()
    if not deleted:
        raise Http404("No such token.")


def tokens_revoke_all(*, user) -> int:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


class RevokeTokensOnPasswordChange:
    """Not a rule for passwords: Django tells every configured password validator, after the
    user is saved, that the password changed (AbstractBaseUser.save), whatever changed it: the
    password page, the admin, `manage.py changepassword`. That is the one hook all of them
    share, so the tokens are revoked here."""

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user: AbstractBaseUser | None = None) -> None:
        if user is not None and user.pk is not None:
            tokens_revoke_all(user=user)

    def get_help_text(self) -> str:
        return "Changing your password revokes your API tokens."
