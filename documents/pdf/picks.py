"""Which pieces of evidence the PDF prints, chosen by the database, and how many there are.

A stage may hold 10,000 imported metrics; its evidence section prints a few of each kind and
counts the rest ("And 9,995 more metrics on the board."), so a big map costs the same pages as
a small one. The database counts (one grouped query) and chooses (one windowed query a kind),
so the gathering reads as many rows as it prints, whatever the number of pieces.

Per stage, at most:
- MOST_METRICS metrics: the biggest change from their baseline first, then the newest;
- MOST_QUOTED quotes and as many written survey answers: those on pain-point cards first (what
  the executive summary ranks), then the longer ones (they say more), then the earlier ones;
- MOST_RECORDINGS recordings and MOST_IMAGES pictures: on pain-point cards first, then the newest.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import Abs, Coalesce, Length, RowNumber

from evidence.models import Kind
from workshops.models import LaneKind

MOST_METRICS = 5
MOST_QUOTED = 3
MOST_RECORDINGS = 5
MOST_IMAGES = 6

# Below this a baseline gives no meaningful change, and dividing by it could overflow a float
# (PostgreSQL refuses that with an error): such metrics rank with those without a baseline.
SMALLEST_BASELINE = 1e-9


def on_stage():
    """A piece's stage: a card's evidence is on the card's current stage."""
    return Coalesce("card__stage_id", "stage_id")


def change_size():
    """|value - baseline| / |baseline|, or NULL where there is no meaningful change."""
    measurable = Q(baseline__isnull=False, value__isnull=False) & (
        Q(baseline__gte=SMALLEST_BASELINE) | Q(baseline__lte=-SMALLEST_BASELINE)
    )
    return Case(When(measurable, then=Abs(F("value") - F("baseline")) / Abs(F("baseline"))))


def _pain_first():
    return Case(When(card__lane__kind=LaneKind.PAIN_POINTS, then=Value(0)), default=Value(1))


@dataclass(frozen=True)
class Pick:
    kind: str
    most: int
    order: tuple
    only: Q = field(default_factory=Q)


def _pain_then(*order) -> tuple:
    return (_pain_first().asc(), *order)


def _picks() -> tuple[Pick, ...]:
    earlier = (F("created_at").asc(), F("id").asc())
    newest = (F("created_at").desc(), F("id").desc())
    return (
        Pick(Kind.METRIC, MOST_METRICS, (change_size().desc(nulls_last=True), *newest)),
        Pick(Kind.QUOTE, MOST_QUOTED, _pain_then(Length("text").desc(), *earlier)),
        Pick(
            Kind.SURVEY, MOST_QUOTED, _pain_then(Length("answer").desc(), *earlier), ~Q(answer="")
        ),
        Pick(Kind.RECORDING, MOST_RECORDINGS, _pain_then(*newest)),
        Pick(Kind.IMAGE, MOST_IMAGES, _pain_then(*newest), ~Q(thumbnail="")),
    )


def picked(queryset: QuerySet) -> list:
    """The pieces of `queryset` each stage prints, with their `place` (1 first) among the
    stage's pieces of their kind. One query a kind, each returning at most `most` a stage."""
    found = []
    for pick in _picks():
        found += list(_top_per_stage(queryset.filter(pick.only, kind=pick.kind), pick))
    return found


def _top_per_stage(queryset: QuerySet, pick: Pick) -> QuerySet:
    staged = queryset.annotate(on_stage=on_stage())
    ranked = staged.annotate(
        place=Window(RowNumber(), partition_by=F("on_stage"), order_by=list(pick.order))
    )
    return ranked.filter(place__lte=pick.most).select_related("card")


def key_pieces(queryset: QuerySet, most: int) -> list:
    """The map's `most` metrics with the biggest change (then the earlier ones), for the
    summary; evidence.key_metrics() formats and orders them as it always did."""
    metrics = queryset.filter(kind=Kind.METRIC).annotate(change=change_size())
    ordered = metrics.order_by(F("change").desc(nulls_last=True), "created_at", "id")
    return list(ordered.select_related("card")[:most])


@dataclass
class Counts:
    """How many pieces of each kind the PDF may show, per stage and per card."""

    stages: dict = field(default_factory=lambda: defaultdict(Counter))
    cards: dict = field(default_factory=lambda: defaultdict(Counter))
    written: Counter = field(default_factory=Counter)  # survey answers with words, per stage
    pictures: Counter = field(default_factory=Counter)  # images with a thumbnail, per stage


def counted(queryset: QuerySet) -> Counts:
    """One grouped query: a row per (stage, card, kind), whatever the number of pieces."""
    rows = (
        queryset.values("kind", "card_id", on_stage=on_stage())
        .annotate(
            n=Count("id"),
            written=Count("id", filter=Q(kind=Kind.SURVEY) & ~Q(answer="")),
            pictures=Count("id", filter=Q(kind=Kind.IMAGE) & ~Q(thumbnail="")),
        )
        .order_by()
    )
    counts = Counts()
    for row in rows:
        counts.stages[row["on_stage"]][row["kind"]] += row["n"]
        counts.written[row["on_stage"]] += row["written"]
        counts.pictures[row["on_stage"]] += row["pictures"]
        if row["card_id"] is not None:
            counts.cards[row["card_id"]][row["kind"]] += row["n"]
    return counts
