"""What the caller asks of an export: which lanes, whether the evidence sections, a comparison."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from workshops.models import JourneyMap
from workshops.services.checks import refuse


@dataclass(frozen=True)
class ExportOptions:
    lane_ids: frozenset[int] | None = None  # None: every lane
    include_evidence: bool = True
    # An optional comparison section (compare.for_export): {"left", "right", "result"}.
    comparison: dict | None = field(default=None, compare=False, hash=False)


def parse_options(query) -> ExportOptions:
    """Options from a query string: lanes=3,5 (or lanes=3&lanes=5) and evidence=0/1."""
    raw = ",".join(query.getlist("lanes")) if hasattr(query, "getlist") else query.get("lanes", "")
    lane_ids = None
    if raw.strip():
        try:
            lane_ids = frozenset(int(part) for part in raw.split(",") if part.strip())
        except ValueError:
            refuse("lanes", "Give lane ids as whole numbers, comma-separated.")
    evidence = str(query.get("evidence", "1")).strip().lower()
    if evidence not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
        refuse("evidence", "Use evidence=1 or evidence=0.")
    return ExportOptions(lane_ids=lane_ids, include_evidence=evidence in {"1", "true", "yes", "on"})


def check_options(journey_map: JourneyMap, options: ExportOptions) -> None:
    if options.lane_ids is None:
        return
    unknown = options.lane_ids - set(journey_map.lanes.values_list("pk", flat=True))
    if unknown:
        raise ValidationError({"lanes": [f"No lane {min(unknown)} on this map."]})


def filename_for(journey_map: JourneyMap) -> str:
    return f"{slugify(journey_map.title) or 'journey-map'}.pdf"
