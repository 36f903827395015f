"""How the feeling, the numbers and the evidence of two boards differ: the mean emotion per
stage on each side and its change, both curves in one drawing, the metrics per stage by name,
and each stage's evidence of every kind added, removed and changed.
"""

from evidence.fields import change_percent
from evidence.models import Kind
from workshops.models import LaneKind

from .curve import mean, score_y, smooth_path
from .numbers import quantity, signed, signed_percent

STAGE_WIDTH = 100


CURVE_HEIGHT = 100


def _stage_emotion(document: dict, stage: dict | None):
    if stage is None:
        return None
    feeling = {lane["key"] for lane in document["lanes"] if lane["kind"] == LaneKind.EMOTIONS}
    scores = [
        card["emotion_score"]
        for card in document["cards"]
        if card["stage"] == stage["key"]
        and card["lane"] in feeling
        and card["emotion_score"] is not None
    ]
    found = mean(scores)
    return None if found is None else round(found, 2)


def emotions(left: dict, right: dict, stages: list) -> list[dict]:
    rows = []
    for old, new in stages:
        before, after = _stage_emotion(left, old), _stage_emotion(right, new)
        change = None if before is None or after is None else round(after - before, 2)
        rows.append(
            {
                "stage": (new or old)["title"],
                "left": before,
                "right": after,
                "change": change,
                "left_text": _feeling(before),
                "right_text": _feeling(after),
                "change_text": _feeling(change),
                "text": f"{_feeling(before)} → {_feeling(after)}",
            }
        )
    return rows


def _feeling(value) -> str:
    return "none" if value is None else signed(value)


def curve(emotions: list[dict]) -> dict:
    """Both curves in one drawing, as the board draws one (static/js/curve.js)."""

    def points(side):
        return [
            {
                "x": _x(i),
                "y": _y(row[side]),
                # The left side's marks are diamonds: the two sides differ in shape, not hue.
                "diamond": f"M{_x(i):g} {_y(row[side]) - 5:g}l5 5l-5 5l-5-5z",
            }
            for i, row in enumerate(emotions)
            if row[side] is not None
        ]

    left, right = points("left"), points("right")
    return {
        "width": max(len(emotions), 1) * STAGE_WIDTH,
        "height": CURVE_HEIGHT,
        "zero": CURVE_HEIGHT / 2,
        "left": left,
        "right": right,
        "stages": [{"x": _x(i), "title": row["stage"]} for i, row in enumerate(emotions)],
        "left_path": smooth_path(left) if len(left) > 1 else "",
        "right_path": smooth_path(right) if len(right) > 1 else "",
    }


def _x(index: int) -> float:
    return index * STAGE_WIDTH + STAGE_WIDTH / 2


def _y(score: float) -> float:
    # The board's box: 100 high, +2 at 10 and -2 at 90, as static/js/curve.js draws it.
    return round(score_y(score, top=10, bottom=CURVE_HEIGHT - 10), 2)


def _stage_metrics(document: dict, stage: dict | None) -> dict:
    """The stage's metrics by name (ignoring case); the later piece of a name wins."""
    if stage is None:
        return {}
    card_stage = {card["key"]: card["stage"] for card in document["cards"]}
    found = {}
    for piece in document.get("evidence", []):
        where = piece.get("stage") or card_stage.get(piece.get("card"))
        if piece["kind"] == Kind.METRIC and where == stage["key"]:
            found[piece["name"].casefold()] = piece
    return found


def metrics(left: dict, right: dict, stages: list) -> list[dict]:
    rows = []
    for old, new in stages:
        before, after = _stage_metrics(left, old), _stage_metrics(right, new)
        for name in [*before, *(n for n in after if n not in before)]:
            rows.append(_metric_row((new or old)["title"], before.get(name), after.get(name)))
    return rows


def _metric_row(stage: str, before: dict | None, after: dict | None) -> dict:
    """Left value -> right value; a metric on one side only shows its own baseline -> value."""
    piece = after or before
    if before and after:
        start, end, status = before["value"], after["value"], "both"
    else:
        start, end = piece.get("baseline"), piece["value"]
        status = "added" if after else "removed"
    change = change_percent(start, end)
    unit = piece.get("unit", "")
    return {
        "stage": stage,
        "name": piece["name"],
        "unit": unit,
        "status": status,
        "before": start,
        "after": end,
        "change_percent": change,
        "text": _metric_text(start, end, unit, change),
    }


def _metric_text(start, end, unit: str, change) -> str:
    text = (
        f"{quantity(start, unit)} → {quantity(end, unit)}"
        if start is not None
        else quantity(end, unit)
    )
    return f"{text} ({signed_percent(change / 100)})" if change is not None else text


# --- evidence: what was added, removed and changed, per stage and kind ------------------------

EVIDENCE_KINDS = (Kind.METRIC, Kind.QUOTE, Kind.SURVEY, Kind.RECORDING, Kind.IMAGE)
KIND_PLURALS = {
    Kind.METRIC: "Metrics",
    Kind.QUOTE: "Quotes",
    Kind.SURVEY: "Survey answers",
    Kind.RECORDING: "Session recordings",
    Kind.IMAGE: "Heatmaps and screenshots",
}
# Never part of what a piece says: where the file put it, and which row it came from.
PLACING = {"key", "origin", "stage", "card", "kind"}
# A big import puts thousands of answers on a stage: the page and the PDF list a few per
# stage, kind and change, and say how many more there are.
LISTED = 8


def evidence(left: dict, right: dict, stages: list, *, same_source: bool) -> dict:
    """Per stage, each kind's pieces added, removed and changed from `left` to `right`, with
    the counts of the whole comparison. A map and its versions know their pieces by origin;
    two maps by what the pieces say (a quote's words, a recording's link...)."""
    identity = _origin if same_source else _content
    rows, totals = [], {kind: _no_changes() for kind in EVIDENCE_KINDS}
    for old, new in stages:
        before, after = _pieces_on(left, old), _pieces_on(right, new)
        kinds = []
        for kind in EVIDENCE_KINDS:
            changes = _piece_changes(before.get(kind, []), after.get(kind, []), identity)
            for status, found in changes.items():
                totals[kind][status] += len(found)
            if any(changes.values()):
                kinds.append(_kind_row(kind, changes))
        if kinds:
            rows.append({"stage": (new or old)["title"], "kinds": kinds})
    counts = [
        {"kind": kind, "label": KIND_PLURALS[kind], **totals[kind]}
        for kind in EVIDENCE_KINDS
        if any(totals[kind].values())
    ]
    return {"stages": rows, "counts": counts, "changed": bool(rows)}


def _no_changes() -> dict:
    return {"added": 0, "removed": 0, "changed": 0}


def _pieces_on(document: dict, stage: dict | None) -> dict:
    """{kind: [pieces]} of a stage, its cards' included, in the document's order."""
    if stage is None:
        return {}
    card_stage = {card["key"]: card["stage"] for card in document["cards"]}
    found = {}
    for piece in document.get("evidence", []):
        if (piece.get("stage") or card_stage.get(piece.get("card"))) == stage["key"]:
            found.setdefault(piece["kind"], []).append(piece)
    return found


def _origin(piece: dict):
    return piece.get("origin")


def _content(piece: dict):
    """What makes two maps' pieces the same piece, told apart by what they say."""
    key = {
        Kind.METRIC: ("name",),
        Kind.QUOTE: ("text",),
        # Two maps' answers are different people's: a score that differs is another answer.
        Kind.SURVEY: ("question", "answer", "segment", "score", "score_scale"),
        Kind.RECORDING: ("url",),
        Kind.IMAGE: ("caption",),
    }[piece["kind"]]
    picture = (piece.get("image") or {}).get("data") if piece["kind"] == Kind.IMAGE else None
    return (picture, *(str(piece.get(name) or "").casefold() for name in key))


def _piece_changes(olds: list, news: list, identity) -> dict:
    unmatched = {}
    for new in news:
        unmatched.setdefault(identity(new), []).append(new)
    pairs, removed = [], []
    for old in olds:
        same = unmatched.get(identity(old)) if identity(old) is not None else None
        if same:
            pairs.append((old, same.pop(0)))
        else:
            removed.append(old)
    paired = {id(new) for _, new in pairs}
    return {
        "added": [new for new in news if id(new) not in paired],
        "removed": removed,
        "changed": [(old, new) for old, new in pairs if _says(old) != _says(new)],
    }


def _says(piece: dict) -> dict:
    return {name: value for name, value in piece.items() if name not in PLACING}


def _kind_row(kind: str, changes: dict) -> dict:
    words = {
        "added": [piece_words(p) for p in changes["added"][:LISTED]],
        "removed": [piece_words(p) for p in changes["removed"][:LISTED]],
        "changed": [
            {"before": piece_words(old), "after": piece_words(new)}
            for old, new in changes["changed"][:LISTED]
        ],
    }
    counts = {status: len(found) for status, found in changes.items()}
    more = {status: counts[status] - len(words[status]) for status in counts}
    return {"kind": kind, "label": KIND_PLURALS[kind], "counts": counts, **words, "more": more}


def piece_words(piece: dict) -> str:
    """A piece in a line of text, as the comparison lists it."""
    return {
        Kind.METRIC: _metric_words,
        Kind.QUOTE: _quote_words,
        Kind.SURVEY: _survey_words,
        Kind.RECORDING: _recording_words,
        Kind.IMAGE: _image_words,
    }[piece["kind"]](piece)


def _metric_words(piece: dict) -> str:
    return f"{piece.get('name', '')}: {quantity(piece.get('value'), piece.get('unit', ''))}"


def _quote_words(piece: dict) -> str:
    who = f" ({piece['who']})" if piece.get("who") else ""
    return f"“{piece.get('text', '')}”{who}"


SCALES = {"nps": ("NPS", 10), "csat": ("CSAT", 5), "ces": ("CES", 7)}


def _survey_words(piece: dict) -> str:
    """“Question”: “answer”, NPS 9/10, segment Mobile."""
    words = f"“{piece.get('question', '')}”"
    if piece.get("answer"):
        words += f": “{piece['answer']}”"
    if piece.get("score") is not None:
        name, top = SCALES.get(piece.get("score_scale") or "nps", SCALES["nps"])
        words += f", {name} {piece['score']}/{top}"
    if piece.get("segment"):
        words += f", segment {piece['segment']}"
    return words


def _recording_words(piece: dict) -> str:
    start = piece.get("start_seconds")
    at = f" from {start // 60}:{start % 60:02d}" if start is not None else ""
    return f"{piece.get('url', '')}{at}"


def _image_words(piece: dict) -> str:
    return piece.get("caption") or "A picture without a caption"
