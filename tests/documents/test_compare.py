"""Comparing two boards: the insurer's map before and after its redesign, a map and its saved
version, the current state and the future state drafted from it."""

import subprocess

import pytest

from documents import compare, mapfile, versions
from evidence import services as evidence_services
from workshops import services

STAGES = ["Awareness", "Research", "Decision", "Purchase"]


def document(stages, lanes, cards, evidence=(), source=None) -> dict:
    """A small export document, written by hand: (stage, lane, text, score) cards."""
    kinds = {"Feelings": "emotions", "Pain points": "pain_points", "Actions": "actions"}
    stage_keys = {title: f"st-{n}" for n, title in enumerate(stages, start=1)}
    lane_keys = {title: f"ln-{n}" for n, title in enumerate(lanes, start=1)}
    return {
        "format": "cjm-map",
        "version": 1,
        "source": {"map": source},
        "map": {"title": "Insurer", "description": "", "state": "current", "persona": None},
        "stages": [
            {"key": key, "title": title, "description": ""} for title, key in stage_keys.items()
        ],
        "lanes": [
            {"key": key, "title": title, "kind": kinds[title]} for title, key in lane_keys.items()
        ],
        "cards": [
            {
                "key": f"cd-{n}",
                "origin": origin,
                "stage": stage_keys[stage],
                "lane": lane_keys[lane],
                "text": text,
                "emotion_score": score,
                "severity": None,
                "channel": "",
            }
            for n, (stage, lane, text, score, origin) in enumerate(cards, start=1)
        ],
        "evidence": [
            {
                "key": f"ev-{n}",
                "kind": "metric",
                "stage": stage_keys[stage],
                "name": name,
                "value": value,
                "unit": "%",
                "baseline": baseline,
            }
            for n, (stage, name, value, baseline) in enumerate(evidence, start=1)
        ],
    }


@pytest.fixture
def insurer_before():
    return document(
        STAGES,
        ["Actions", "Feelings", "Pain points"],
        [
            ("Research", "Actions", "Skips the homepage and uses the main navigation", None, 1),
            ("Research", "Feelings", "Lost", -1, 2),
            ("Decision", "Feelings", "Unsure", -2, 3),
            ("Purchase", "Pain points", "Buy Policy sits below the fold", None, 4),
        ],
        [
            ("Purchase", "Buy Policy clicks", 3.0, None),
            ("Purchase", "Lead form conversion", 0.84, None),
        ],
    )


@pytest.fixture
def insurer_after():
    return document(
        STAGES,
        ["Actions", "Feelings", "Pain points"],
        [
            ("Research", "Actions", "Skips the homepage, uses the main navigation", None, 11),
            ("Research", "Actions", "Reaches product subpages from the homepage", None, 12),
            ("Research", "Feelings", "Oriented", 1, 13),
            ("Decision", "Feelings", "Unsure", -1, 14),
        ],
        [
            ("Purchase", "Buy Policy clicks", 4.5, None),
            ("Purchase", "Lead form conversion", 1.2, None),
            ("Research", "Product subpage reach", 1.15, 1.0),
        ],
    )


def cell(result, stage, lane):
    stages = [row["title"] for row in result["stages"]]
    row = next(row for row in result["lanes"] if row["title"] == lane)
    return row["cells"][stages.index(stage)]


def test_buy_policy_clicks_rose_by_half(insurer_before, insurer_after):
    result = compare.compare_boards(insurer_before, insurer_after)
    clicks = next(m for m in result["metrics"] if m["name"] == "Buy Policy clicks")
    assert (clicks["stage"], clicks["before"], clicks["after"]) == ("Purchase", 3.0, 4.5)
    assert clicks["change_percent"] == 50.0
    assert clicks["text"] == "3% → 4.5% (+50%)"
    leads = next(m for m in result["metrics"] if m["name"] == "Lead form conversion")
    assert leads["change_percent"] == 42.9


def test_a_metric_on_one_side_shows_its_own_baseline(insurer_before, insurer_after):
    result = compare.compare_boards(insurer_before, insurer_after)
    reach = next(m for m in result["metrics"] if m["name"] == "Product subpage reach")
    assert (reach["status"], reach["before"], reach["after"]) == ("added", 1.0, 1.15)
    assert reach["change_percent"] == 15.0


def test_cards_added_removed_and_changed_per_cell(insurer_before, insurer_after):
    result = compare.compare_boards(insurer_before, insurer_after)
    actions = cell(result, "Research", "Actions")
    assert [c["text"] for c in actions["added"]] == ["Reaches product subpages from the homepage"]
    assert [c["after"]["text"] for c in actions["changed"]] == [
        "Skips the homepage, uses the main navigation"
    ]
    assert actions["changed"][0]["fields"] == ["text"]
    pains = cell(result, "Purchase", "Pain points")
    assert [c["text"] for c in pains["removed"]] == ["Buy Policy sits below the fold"]
    feelings = cell(result, "Decision", "Feelings")
    assert feelings["changed"][0]["fields"] == ["emotion_score"]
    assert result["counts"] == {"added": 2, "removed": 2, "moved": 0, "changed": 2, "same": 0}


def test_unalike_texts_are_one_removed_and_one_added(insurer_before, insurer_after):
    result = compare.compare_boards(insurer_before, insurer_after)
    feelings = cell(result, "Research", "Feelings")
    assert [c["text"] for c in feelings["removed"]] == ["Lost"]
    assert [c["text"] for c in feelings["added"]] == ["Oriented"]


def test_emotion_per_stage_on_both_sides(insurer_before, insurer_after):
    result = compare.compare_boards(insurer_before, insurer_after)
    rows = {row["stage"]: (row["left"], row["right"], row["change"]) for row in result["emotions"]}
    assert rows == {
        "Awareness": (None, None, None),
        "Research": (-1, 1, 2),
        "Decision": (-2, -1, 1),
        "Purchase": (None, None, None),
    }
    assert len(result["curve"]["left"]) == 2 and result["curve"]["right_path"].startswith("M")


def test_stages_pair_by_title_ignoring_case_then_by_position(insurer_before):
    after = document(
        ["awareness", "Comparison", "Decision", "Purchase", "Renewal"], ["Actions"], []
    )
    result = compare.compare_boards(insurer_before, after)
    assert [(s["title"], s["status"]) for s in result["stages"]] == [
        ("awareness", "same"),
        ("Comparison", "renamed"),
        ("Decision", "same"),
        ("Purchase", "same"),
        ("Renewal", "added"),
    ]
    assert result["stages"][1]["old_title"] == "Research"
    assert [(lane["title"], lane["status"]) for lane in result["lanes"]] == [
        ("Actions", "same"),
        ("Feelings", "removed"),
        ("Pain points", "removed"),
    ]


def test_cards_of_a_removed_stage_are_removed(insurer_before):
    after = document(["Awareness", "Decision", "Purchase"], ["Actions"], [])
    after["stages"][1]["title"] = "Decision"
    result = compare.compare_boards(insurer_before, after)
    assert [(s["title"], s["status"]) for s in result["stages"]] == [
        ("Awareness", "same"),
        ("Research", "removed"),
        ("Decision", "same"),
        ("Purchase", "same"),
    ]
    assert [c["text"] for c in cell(result, "Research", "Actions")["removed"]] == [
        "Skips the homepage and uses the main navigation"
    ]


def test_a_map_and_its_version_pair_cards_by_origin(bob, journey_map, stages, lanes, card):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Wishlists in cart")
    services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[0].pk,
        lane_id=lanes["actions"].pk,
        text="Returns three times",
    )
    result = compare.compare_boards(version.snapshot, mapfile.map_export(journey_map))
    actions = cell(result, "Awareness", "Customer actions")
    # Unalike texts, but the same card: changed, not removed and added.
    assert [(c["before"]["text"], c["after"]["text"]) for c in actions["changed"]] == [
        ("Adds items to the cart", "Wishlists in cart")
    ]
    assert [c["text"] for c in actions["added"]] == ["Returns three times"]


def test_a_card_moved_since_the_version_is_moved_not_added(bob, journey_map, stages, lanes, card):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    services.card_move(
        actor=bob,
        map=journey_map,
        card_id=card.pk,
        stage_id=stages[2].pk,
        lane_id=lanes["actions"].pk,
        position=0,
    )
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Adds to the cart")
    result = compare.compare_boards(version.snapshot, mapfile.map_export(journey_map))
    moved = cell(result, "Decision", "Customer actions")["moved"]
    assert [(m["after"]["text"], m["from"], m["fields"]) for m in moved] == [
        ("Adds to the cart", "Awareness / Customer actions", ["text"])
    ]
    assert not cell(result, "Awareness", "Customer actions")["removed"]
    assert result["counts"]["moved"] == 1 and result["counts"]["added"] == 0


def test_future_state_drafted_from_the_current(alice, bob, journey_map, stages, lanes, card):
    evidence_services.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="metric",
        stage_id=stages[3].pk,
        name="Buy Policy clicks",
        value=3,
        unit="%",
    )
    future = versions.map_duplicate(actor=alice, map=journey_map, title="Future", state="future")
    piece = future.evidence.get()
    evidence_services.evidence_update(actor=bob, map=future, evidence_id=piece.pk, value=4.5)
    result = compare.compare_boards(mapfile.map_export(journey_map), mapfile.map_export(future))
    assert [m["text"] for m in result["metrics"]] == ["3% → 4.5% (+50%)"]
    assert result["counts"] == {"added": 0, "removed": 0, "moved": 0, "changed": 0, "same": 1}


# --- the comparison in the PDF ----------------------------------------------------------------


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_pdf_adds_the_comparison_with_a_version(
    client_for, bob, carol, journey_map, stages, card, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    metric = evidence_services.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="metric",
        stage_id=stages[3].pk,
        name="Buy Policy clicks",
        value=3,
        unit="%",
    ).payload["evidence"]["id"]
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    evidence_services.evidence_update(actor=bob, map=journey_map, evidence_id=metric, value=4.5)
    services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Adds items to a list")
    plain = client_for(carol).get(f"/api/maps/{journey_map.pk}/export.pdf")
    compared = client_for(carol).get(
        f"/api/maps/{journey_map.pk}/export.pdf?compare_version={version.pk}"
    )
    assert compared.status_code == 200
    assert "From “Q3 review" not in pdf_text(plain.content, tmp_path)
    text = pdf_text(compared.content, tmp_path)
    assert "Comparison\nFrom “Q3 review (revision 3)” to “Online shopping (now)”" in text
    assert "3% → 4.5% (+50%)" in text
    assert "~ Changed: Adds items to the cart → Adds items to a list" in text


def test_pdf_comparison_of_another_workshops_version_is_not_found(
    client_for, bob, mallory, journey_map
):
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    theirs = services.workshop_create(actor=mallory, name="Mallory's")
    their_map = services.map_create(actor=mallory, workshop=theirs, title="Theirs")
    answer = client_for(mallory).get(
        f"/api/maps/{their_map.pk}/export.pdf?compare_version={version.pk}"
    )
    assert answer.status_code == 404


def test_pdf_comparison_option_must_be_an_id(client_for, carol, journey_map):
    answer = client_for(carol).get(f"/api/maps/{journey_map.pk}/export.pdf?compare=abc")
    assert answer.status_code == 400 and "compare" in answer.json()


# --- evidence: added, removed and changed per stage ------------------------------------------


def picture() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), "orange").save(out, format="PNG")
    return out.getvalue()


def attach(bob, journey_map, stage, **values):
    return evidence_services.evidence_attach(
        actor=bob, map=journey_map, stage_id=stage.pk, **values
    ).payload["evidence"]["id"]


def kinds_of(result, stage_title) -> dict:
    (stage,) = [s for s in result["evidence"]["stages"] if s["stage"] == stage_title]
    return {kind["kind"]: kind for kind in stage["kinds"]}


def test_evidence_added_removed_and_changed_since_a_version(
    bob, journey_map, stages, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    research, decision = stages[1], stages[2]
    old_quote = attach(bob, journey_map, research, kind="quote", text="I keep my cart as a list")
    answer = attach(bob, journey_map, research, kind="survey", question="How likely?", score=6)
    attach(bob, journey_map, decision, kind="metric", name="Buy Policy clicks", value=3, unit="%")
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")

    evidence_services.evidence_delete(actor=bob, map=journey_map, evidence_id=old_quote)
    attach(bob, journey_map, research, kind="quote", text="Search found it", who="Buyer")
    evidence_services.evidence_update(actor=bob, map=journey_map, evidence_id=answer, score=9)
    attach(bob, journey_map, decision, kind="recording", url="https://www.loom.com/share/x")
    image = SimpleUploadedFile("heat.png", picture(), content_type="image/png")
    attach(bob, journey_map, decision, kind="image", caption="Cart heatmap", image=image)

    result = compare.compare_boards(version.snapshot, mapfile.map_export(journey_map))
    on_research = kinds_of(result, "Research")
    assert on_research["quote"]["added"] == ["“Search found it” (Buyer)"]
    assert on_research["quote"]["removed"] == ["“I keep my cart as a list”"]
    assert on_research["survey"]["changed"] == [
        {"before": "“How likely?”, NPS 6/10", "after": "“How likely?”, NPS 9/10"}
    ]
    on_decision = kinds_of(result, "Decision")
    assert on_decision["recording"]["added"] == ["https://www.loom.com/share/x"]
    assert on_decision["image"]["added"] == ["Cart heatmap"]
    assert "metric" not in on_decision  # unchanged
    counts = {row["kind"]: row for row in result["evidence"]["counts"]}
    assert (counts["quote"]["added"], counts["quote"]["removed"]) == (1, 1)
    assert counts["survey"]["changed"] == 1 and counts["image"]["added"] == 1


def test_two_maps_pair_evidence_by_what_it_says(bob, alice, journey_map, stages):
    attach(bob, journey_map, stages[1], kind="quote", text="Where is the size guide?")
    future = versions.map_duplicate(actor=alice, map=journey_map, title="Future", state="future")
    piece = future.evidence.get()
    evidence_services.evidence_update(actor=bob, map=future, evidence_id=piece.pk, who="Mia")
    result = compare.compare_boards(mapfile.map_export(journey_map), mapfile.map_export(future))
    assert kinds_of(result, "Research")["quote"]["changed"] == [
        {"before": "“Where is the size guide?”", "after": "“Where is the size guide?” (Mia)"}
    ]


def test_a_stage_with_thousands_of_answers_lists_a_few(bob, journey_map, stages):
    version = versions.version_save(actor=bob, map=journey_map, name="Before the survey")
    for score in range(11):
        attach(bob, journey_map, stages[0], kind="survey", question="Recommend us?", score=score)
    result = compare.compare_boards(version.snapshot, mapfile.map_export(journey_map))
    survey = kinds_of(result, "Awareness")["survey"]
    assert survey["counts"]["added"] == 11
    assert len(survey["added"]) == 8 and survey["more"]["added"] == 3


def test_the_compare_page_and_its_pdf_show_the_evidence_changes(
    client_for, bob, carol, journey_map, stages, tmp_path
):
    from django.test import Client

    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    attach(bob, journey_map, stages[1], kind="quote", text="Search found it")
    viewer = Client()
    viewer.force_login(carol)
    page = viewer.get(f"/maps/{journey_map.pk}/compare/?with=version-{version.pk}")
    html = page.content.decode()
    assert "Evidence per stage" in html and "Quotes: <span" in html
    assert "“Search found it”" in html
    pdf = client_for(carol).get(
        f"/api/maps/{journey_map.pk}/export.pdf?compare_version={version.pk}"
    )
    text = pdf_text(pdf.content, tmp_path)
    assert "Evidence per stage" in text
    assert "Quotes: 1 added, 0 removed, 0 changed" in text
    assert "+ Added: “Search found it”" in text
