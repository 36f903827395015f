"""NPS, CSAT and CES computed from the stored survey answers, never typed in.

- NPS (0-10): promoters (9-10) minus detractors (0-6), as percentages of all NPS answers.
- CSAT (1-5): the mean, and the share of 4s and 5s ("top two boxes").
- CES (1-7): the mean.

Each comes with its n, and is None where there is no answer on that scale. The database does the
counting (aggregates with filters, one query for a queryset, one grouped query for a whole map),
so a stage with 10,000 imported answers costs the same as one with ten. A stage includes its
cards' answers, as coverage does: a card's evidence is on the card's current stage.
"""

from django.db.models import Avg, Count, Q
from django.db.models.functions import Coalesce

from .models import Evidence, Kind, ScoreScale

NPS, CSAT, CES = ScoreScale.NPS, ScoreScale.CSAT, ScoreScale.CES


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


def scores(queryset) -> dict:
    """{"nps": {...} | None, "csat": {...} | None, "ces": {...} | None} of a queryset of
    evidence (anything that is not a scored survey answer is left out)."""
    return _result(_answers(queryset).aggregate(**_aggregates()))


def scores_by_stage(journey_map, segment: str | None = None) -> dict:
    """{stage id: scores} for every stage of the map, its cards' answers included; with
    `segment`, only that segment's answers. One grouped query, plus the map's stages."""
    answers = _answers(Evidence.objects.filter(map=journey_map))
    if segment is not None:
        answers = answers.filter(segment=segment)
    rows = (
        answers.values(on_stage=Coalesce("card__stage_id", "stage_id"))
        .annotate(**_aggregates())
        .order_by()
    )
    found = {row["on_stage"]: _result(row) for row in rows}
    empty = {"nps": None, "csat": None, "ces": None}
    return {stage.pk: found.get(stage.pk, empty) for stage in journey_map.stages.all()}


def scores_by_segment(journey_map, stage_id: int) -> dict:
    """{segment: scores} of one stage's answers (its cards' included); "" holds the answers
    without a segment."""
    answers = _answers(Evidence.objects.filter(map=journey_map).on_stage(stage_id))
    rows = answers.values("segment").annotate(**_aggregates()).order_by("segment")
    return {row["segment"]: _result(row) for row in rows}
