"""The weekly run: digests by e-mail and review-due webhooks (docs/deploy.md, "The weekly
digest"). Safe to run more often: each person and map is told once a week."""

from django.core.management.base import BaseCommand, CommandError

from notifications.digests import weekly_run


class Command(BaseCommand):
    help = (
        "E-mail each facilitator this week's digest (maps due for review, stale evidence) and "
        "send map.review_due to the webhooks that want it; once a week at most."
    )

    def handle(self, *args, **options):
        run = weekly_run()
        self.stdout.write(
            f"Week of {run.week.isoformat()}: {len(run.sent)} digest(s) sent, "
            f"{len(run.failed)} failed, {len(run.announced)} map(s) announced as due for review."
        )
        if run.failed:
            # Non-zero, so that the timer's unit shows the failure; a rerun sends only those.
            raise CommandError("Some digests could not be sent (see the log); run again to retry.")
