"""Delete the personal data past its retention: `manage.py prune_personal_data`, daily from a
timer or cron (docs/privacy.md). It says how much of each kind went; a rerun prunes nothing."""

from django.core.management.base import BaseCommand

from privacy import retention


class Command(BaseCommand):
    help = "Delete evidence, audit and login records, sessions and tokens past their retention."

    def handle(self, *args, **options):
        pruned = retention.prune()
        for kind, count in pruned.items():
            self.stdout.write(f"{count} {retention.KINDS[kind]}")
        total = sum(pruned.values())
        self.stdout.write(f"Pruned {total} in all." if total else "Nothing was due.")
