"""Write a map's executive PDF to a file:

manage.py export_pdf 12 map.pdf --lanes 3,5 --no-evidence
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from documents import pdf
from workshops.models import JourneyMap


class Command(BaseCommand):
    help = "Export a journey map as its executive PDF."

    def add_arguments(self, parser):
        parser.add_argument("map_id", type=int)
        parser.add_argument("file", help="Where to write the PDF.")
        parser.add_argument("--lanes", default="", help="Lane ids to include, comma-separated.")
        parser.add_argument(
            "--no-evidence",
            action="store_true",
            help="Leave out the evidence section of each stage.",
        )

    def handle(self, *args, map_id, file, lanes, no_evidence, **options):
        journey_map = JourneyMap.objects.filter(pk=map_id).first()
        if journey_map is None:
            raise CommandError(f"No map {map_id}.")
        try:
            export = pdf.parse_options({"lanes": lanes, "evidence": "0" if no_evidence else "1"})
            data = pdf.render_pdf(journey_map, export)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with open(file, "wb") as handle:
            handle.write(data)
        self.stderr.write(f"Wrote {len(data):,} bytes to {file}.")
