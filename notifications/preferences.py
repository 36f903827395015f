"""Whether a person gets the weekly digest: on by default, off from their e-mail page or from
the link in every digest, which works without logging in (a signed token of who it is for)."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from workshops.access import guest_of
from workshops.services.checks import refuse

from .models import DigestPreference

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
EMAIL_MAX = 254  # the user model's column


def digest_wanted(user) -> bool:
    preference = DigestPreference.objects.filter(user=user).first()
    return preference is None or preference.weekly_digest


def digest_set(*, user, on: bool) -> DigestPreference:
    preference, _ = DigestPreference.objects.update_or_create(
        user=user, defaults={"weekly_digest": bool(on)}
    )
    return preference


def digest_settings_save(*, user, email: str, on: bool) -> DigestPreference:
    """Where a person's digest goes, and whether it does. Guests have no account to mail."""
    if guest_of(user) is not None:
        refuse("email", "Guests get no e-mail: sign up for an account to have a digest.")
    email = (email or "").strip()
    if len(email) > EMAIL_MAX:
        refuse("email", f"At most {EMAIL_MAX} characters.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            refuse("email", "Enter a valid e-mail address.")
    with transaction.atomic():
        user.email = email
        user.save(update_fields=["email"])
        return digest_set(user=user, on=on)


def unsubscribe_token(user) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_of_token(token: str):
    """The person an unsubscribe link is for, or None for a link that is not one of ours."""
    try:
        found = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user_id = found.get("user") if isinstance(found, dict) else None
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None
