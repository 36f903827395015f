"""What the site holds about one person, as JSON on standard output: `manage.py
export_personal_data <username> > data.json`, to answer an access request for someone who
cannot log in (the same document as their "Your data" page gives them; docs/privacy.md)."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from privacy.access import personal_data


class Command(BaseCommand):
    help = "Print what the site holds about an account, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}.")
        self.stdout.write(json.dumps(personal_data(user), indent=2, ensure_ascii=False))
