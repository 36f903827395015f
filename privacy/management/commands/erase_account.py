"""Erase an account on its holder's request: `manage.py erase_account <username>` (as the
admin's "Erase" action does; docs/privacy.md). What they made stays, as "a former member"'s."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from privacy.erasure import account_erase


class Command(BaseCommand):
    help = "Erase an account's personal data; its cards and evidence stay, as a former member's."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}.")
        try:
            counts = account_erase(user=user)
        except ValidationError as refusal:
            raise CommandError(" ".join(refusal.messages)) from None
        done = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in counts.items())
        self.stdout.write(f"Erased {username!r} (now {user.username}): {done}.")
