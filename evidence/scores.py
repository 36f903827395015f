"""NPS, CSAT and CES computed from the stored survey answers, never typed in.

- NPS (0-10): promoters (9-10) minus detractors (0-6), as percentages of all NPS answers.
- CSAT (1-5): the mean, and the share of 4s and 5s ("top two boxes").
- CES (1-7): the mean.

Each comes with its n, and is None where there is no answer on that scale. The database does the
counting (aggregates with filters, one query for a queryset, one grouped query for a whole map),
so a stage with 10,000 imported answers costs the same as one with ten. A stage includes its
cards' answers, as coverage does: a card's evidence is on the card's current stage, and a
private card's answers count for nobody until the reveal.
"""

from django.db.models import Avg, Count, Q
from django.db.models.functions import Coalesce

from workshops.models import Stage
from workshops.services.checks import find_on_map

from .models import Evidence, Kind, ScoreScale

NPS, CSAT, CES = ScoreScale.NPS, ScoreScale.CSAT, ScoreScale.CES
BOARD_SCORES_HELP = (
    "NPS, CSAT and CES per stage (its cards' answers included), each with its n, or null where "
    "the stage has no answer on that scale; see docs/evidence.md, Scores."
)


def _aggregates() -> dict:
    on = {scale: Q(score_scale=scale) for scale in (NPS, CSAT, CES)}
    return {
        "nps_n": Count("id", filter=on[NPS]),
        "nps_promoters": Count("id", filter=on[NPS] & Q(score__gte=9)),
        "nps_passives": Count("id", filter=on[NPS] & Q(score__in=(7, 8))),
        "nps_detractors": Count("id", filter=on[NPS] & Q(score__lte=6)),
        "csat_n": Count("id", filter=on[CSAT]),
        "csat_mean": Avg("score", filter=on[CSAT]),
        "csat_top2": Count("id", filter=on[CSAT] & Q(score__gte=4)),
        "ces_n": Count("id", filter=on[CES]),
        "ces_mean": Avg("score", filter=on[CES]),
    }


def _answers(queryset):
    return queryset.filter(kind=Kind.SURVEY, score__isnull=False)


def _on_map(journey_map):
    # As coverage counts: answers on a private card count for nobody until the reveal, so that
    # no score tells that a hidden card exists, nor on which stage.
    return _answers(Evidence.objects.filter(map=journey_map).exclude(card__private=True))


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


def _result(row: dict) -> dict:
    return {"nps": _nps(row), "csat": _csat(row), "ces": _ces(row)}


def _nps(row: dict) -> dict | None:
    n = row["nps_n"]
    if not n:
        return None
    promoters, detractors = row["nps_promoters"], row["nps_detractors"]
    return {
        # Rounded once, from the counts: the difference of two rounded shares can be off by 0.1.
        "score": _percent(promoters - detractors, n),
        "n": n,
        "promoters": promoters,
        "passives": row["nps_passives"],
        "detractors": detractors,
    }


def _csat(row: dict) -> dict | None:
    n = row["csat_n"]
    if not n:
        return None
    return {"mean": round(row["csat_mean"], 1), "top2": _percent(row["csat_top2"], n), "n": n}


def _ces(row: dict) -> dict | None:
    n = row["ces_n"]
    return {"mean": round(row["ces_mean"], 1), "n": n} if n else None


def empty() -> dict:
    return {"nps": None, "csat": None, "ces": None}


def answer_count(result: dict) -> int:
    """How many scored answers a result counts, on all three scales."""
    return sum(entry["n"] for entry in result.values() if entry)


def scores(queryset) -> dict:
    """{"nps": {...} | None, "csat": {...} | None, "ces": {...} | None} of a queryset of
    evidence (anything that is not a scored survey answer is left out)."""
    return _result(_answers(queryset).aggregate(**_aggregates()))


def _grouped(answers, *by: str, **expressions) -> list[dict]:
    return list(answers.values(*by, **expressions).annotate(**_aggregates()).order_by())


def grouped_by_stage(queryset) -> dict:
    """{stage id: scores} of the stages that have scored answers in `queryset`, a card's on the
    card's stage. One grouped query."""
    rows = _grouped(_answers(queryset), on_stage=Coalesce("card__stage_id", "stage_id"))
    return {row["on_stage"]: _result(row) for row in rows}


def grouped_by_stage_and_segment(queryset) -> dict:
    """{stage id: {segment: scores}} of `queryset`, segments in alphabetical order; "" holds the
    answers without a segment. One grouped query, whatever the number of stages."""
    rows = _grouped(_answers(queryset), "segment", on_stage=Coalesce("card__stage_id", "stage_id"))
    found = {}
    for row in sorted(rows, key=lambda row: row["segment"]):
        found.setdefault(row["on_stage"], {})[row["segment"]] = _result(row)
    return found


def scores_by_stage(journey_map, segment: str | None = None) -> dict:
    """{stage id: scores} for every stage of the map, its cards' answers included; with
    `segment`, only that segment's answers. One grouped query, plus the map's stages (none when
    they are prefetched, as on the board)."""
    answers = _on_map(journey_map)
    if segment is not None:
        answers = answers.filter(segment=segment)
    found = grouped_by_stage(answers)
    return {stage.pk: found.get(stage.pk, empty()) for stage in journey_map.stages.all()}


def scores_by_segment(journey_map, stage_id: int | None = None) -> dict:
    """{segment: scores} of one stage's answers (its cards' included), or of the whole map's;
    "" holds the answers without a segment."""
    answers = _on_map(journey_map)
    if stage_id is not None:
        answers = answers.on_stage(stage_id)
    rows = answers.values("segment").annotate(**_aggregates()).order_by("segment")
    return {row["segment"]: _result(row) for row in rows}


def board_scores(journey_map) -> dict:
    """The board's `scores` part: {stage id: scores} of every stage, in one query."""
    return scores_by_stage(journey_map)


# --- what the API asks: a stage (checked) and a segment, both optional --------------------------


def _stage_checked(journey_map, stage_id) -> int | None:
    if stage_id is not None:
        find_on_map(journey_map, Stage, stage_id, "stage")  # refuses, naming `stage`
    return stage_id


def map_scores(journey_map, *, stage_id: int | None = None, segment: str | None = None) -> dict:
    """The scores of the whole map, or of one of its stages (its cards' answers included), or of
    one segment of either."""
    answers = _on_map(journey_map)
    if _stage_checked(journey_map, stage_id) is not None:
        answers = answers.on_stage(stage_id)
    if segment is not None:
        answers = answers.filter(segment=segment)
    return scores(answers)


def segment_rows(journey_map, *, stage_id: int | None = None) -> list[dict]:
    """[{"segment", "nps", "csat", "ces"}] of the map or of one of its stages, by segment."""
    by_segment = scores_by_segment(journey_map, _stage_checked(journey_map, stage_id))
    return [{"segment": segment, **result} for segment, result in by_segment.items()]
