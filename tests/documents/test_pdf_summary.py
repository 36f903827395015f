"""A map of 10,000 imported metrics gives a PDF of bounded size: each stage prints its counts
per kind, a few chosen pieces and "And N more", and the gathering reads the rows it prints,
not the 10,000. Rendered for real and read back with pdftotext and pdfinfo."""

import re
import subprocess

import pytest
from django.db import transaction

from documents import pdf
from documents.pdf import picks
from evidence import fields
from evidence import services as evidence
from evidence.bulk import insert_pieces
from evidence.models import Evidence
from workshops import services

pytestmark = pytest.mark.django_db

METRICS, ANSWERS, QUOTES = 10_000, 700, 70
MOST_PAGES = 25  # cover, summary, two map pages, seven stages of evidence: far from 487


def imported(bob, journey_map, stages, kind: str, rows):
    """As an import writes checked rows (evidence/bulk.py), spread round the stages."""
    pieces = (
        (stages[index % len(stages)].pk, fields.clean(kind, values))
        for index, values in enumerate(rows)
    )
    with transaction.atomic():
        insert_pieces(map=journey_map, actor=bob, kind=kind, pieces=pieces)


def metric(n: int) -> dict:
    # Metric 9999 has the biggest change of all: from 1 to 10,000.
    return {"name": f"Metric {n}", "value": float(n + 1), "baseline": 1.0, "unit": "%"}


def answer(n: int) -> dict:
    words = f"Answer {n} with words" if n % 3 == 0 else ""  # 3 and 7 stages: on every stage
    return {"question": "How likely are you to recommend us?", "score": n % 11, "answer": words}


@pytest.fixture
def big_map(bob, journey_map, stages):
    imported(bob, journey_map, stages, "metric", (metric(n) for n in range(METRICS)))
    imported(bob, journey_map, stages, "survey", (answer(n) for n in range(ANSWERS)))
    imported(bob, journey_map, stages, "quote", ({"text": f"Quote {n}"} for n in range(QUOTES)))
    return journey_map


def per_stage(total: int, stages: int, index: int) -> int:
    return total // stages + (1 if index < total % stages else 0)


def read(data: bytes, tmp_path, tool="pdftotext") -> str:
    path = tmp_path / "big.pdf"
    path.write_bytes(data)
    command = ["pdftotext", "-raw", str(path), "-"] if tool == "pdftotext" else ["pdfinfo", path]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def evidence_part(text: str, title: str, next_title: str | None) -> str:
    pages = text[text.rindex("Evidence by stage") :]
    start = pages.index(f"{title}\n")
    return pages[start : pages.index(f"{next_title}\n", start)] if next_title else pages[start:]


def test_a_10000_metric_map_prints_each_stage_s_counts_and_names_the_rest(
    big_map, stages, tmp_path
):
    data = pdf.render_pdf(big_map)
    text = read(data, tmp_path)

    for index, stage in enumerate(stages):
        nexts = stages[index + 1].title if index + 1 < len(stages) else None
        part = evidence_part(text, stage.title, nexts)
        metrics = per_stage(METRICS, len(stages), index)
        assert (
            f"{metrics:,} metrics · {per_stage(ANSWERS, len(stages), index)} survey answers" in part
        )
        assert f"And {metrics - picks.MOST_METRICS:,} more metrics on the board." in part
        assert re.search(r"And \d+ more quotes on the board\.", part)
        assert re.search(r"And \d+ more written answers on the board\.", part)
    pages = int(re.search(r"Pages:\s+(\d+)", read(data, tmp_path, "pdfinfo"))[1])
    assert pages <= MOST_PAGES


def test_each_stage_prints_its_biggest_changes_first(big_map, stages, tmp_path):
    text = read(pdf.render_pdf(big_map), tmp_path)
    last = stages[(METRICS - 1) % len(stages)]  # where metric 9999 went

    part = evidence_part(
        text, last.title, None if last == stages[-1] else stages[stages.index(last) + 1].title
    )
    shown = re.findall(r"^Metric (\d+)", part, re.MULTILINE)

    assert shown[0] == str(METRICS - 1)
    assert [int(n) for n in shown] == sorted((int(n) for n in shown), reverse=True)
    assert len(shown) == picks.MOST_METRICS


def test_the_summary_s_key_metrics_are_the_map_s_biggest_changes(big_map, tmp_path):
    summary = read(pdf.render_pdf(big_map), tmp_path).split("Evidence coverage")[0]

    assert "Metric 9999" in summary and "Metric 9994" in summary
    assert "Metric 9993" not in summary  # six key metrics, no more


def test_gathering_reads_the_rows_it_prints_not_every_piece(big_map, monkeypatch):
    read_rows = []
    original = Evidence.from_db.__func__
    monkeypatch.setattr(
        Evidence,
        "from_db",
        classmethod(lambda cls, *args, **kw: read_rows.append(1) or original(cls, *args, **kw)),
    )

    pdf.gather(big_map)

    stages = big_map.stages.count()
    most = stages * (picks.MOST_METRICS + 2 * picks.MOST_QUOTED) + 6  # and six key metrics
    assert 0 < len(read_rows) <= most


def test_without_evidence_pages_no_piece_is_chosen_for_them(big_map, monkeypatch):
    chosen = []
    monkeypatch.setattr(picks, "picked", lambda queryset: chosen.append(queryset) or [])

    context = pdf.gather(big_map, pdf.ExportOptions(include_evidence=False))

    assert chosen == [] and len(context["key_metrics"]) == 6


def test_quotes_on_pain_point_cards_come_first_whatever_their_length(
    bob, journey_map, stages, lanes, tmp_path
):
    card = services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[0].pk,
        lane_id=lanes["pain_points"].pk,
        text="Delivery cost comes late",
    ).payload["card"]["id"]
    for n in range(5):
        evidence.evidence_attach(
            actor=bob, map=journey_map, kind="quote", stage_id=stages[0].pk, text="Long " * (n + 5)
        )
    evidence.evidence_attach(actor=bob, map=journey_map, kind="quote", card_id=card, text="Fees!")

    section = pdf.gather(journey_map)["evidence_sections"][0]

    assert [quote["text"] for quote in section["quotes"]][0] == "Fees!"
    assert section["more_quotes"] == "And 3 more quotes on the board."
