"""Delete evidence pictures no piece refers to any more: `manage.py prune_evidence_files`.

Deleting a piece deletes its files; deleting its map, stage or card deletes the piece in the
database only (a cascade runs no code of ours), so their files are left for this command."""

from django.core.management.base import BaseCommand

from evidence.models import Evidence


class Command(BaseCommand):
    help = "Delete evidence image files that no evidence refers to."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List them; delete nothing.")

    def handle(self, *args, dry_run, **options):
        storage = Evidence._meta.get_field("image").storage
        used = set(Evidence.objects.exclude(image="").values_list("image", flat=True))
        used |= set(Evidence.objects.exclude(thumbnail="").values_list("thumbnail", flat=True))
        orphans = [name for name in _files(storage, "evidence") if name not in used]
        for name in orphans:
            if not dry_run:
                storage.delete(name)
            self.stdout.write(name)
        verb = "would delete" if dry_run else "deleted"
        self.stderr.write(f"{verb} {len(orphans)} file(s)")


def _files(storage, folder: str):
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    yield from (f"{folder}/{name}" for name in files)
    for sub in folders:
        yield from _files(storage, f"{folder}/{sub}")
