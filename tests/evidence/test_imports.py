"""CSV import of survey answers and metrics: encodings, separators, quoted newlines, bad rows
reported by number, nothing written without confirm, and one map event for the whole file."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence import imports
from evidence.models import Evidence
from workshops.models import JourneyMap, MapEvent

SURVEY_CSV = (
    "Question,Answer,NPS,Segment,Stage\r\n"
    "How likely are you to recommend us?,Easy to find my size,9,Returning,Decision\r\n"
    'How likely are you to recommend us?,"Slow delivery,\nand no tracking",3,New,purchase\r\n'
)
SURVEY_MAPPING = {"Question": "question", "Answer": "answer", "NPS": "score", "Segment": "segment"}


def preview(client, journey_map, content: bytes, kind="survey"):
    return client.post(
        f"/api/maps/{journey_map.pk}/evidence/import/preview/",
        {"kind": kind, "file": SimpleUploadedFile("export.csv", content, content_type="text/csv")},
        format="multipart",
    )


def run_import(
    client, journey_map, content: bytes, mapping, kind="survey", confirm=False, **target
):
    import json

    return client.post(
        f"/api/maps/{journey_map.pk}/evidence/import/",
        {
            "kind": kind,
            "mapping": json.dumps(mapping),
            "confirm": "true" if confirm else "false",
            "file": SimpleUploadedFile("export.csv", content, content_type="text/csv"),
            **target,
        },
        format="multipart",
    )


def revision_of(journey_map) -> int:
    return JourneyMap.objects.get(pk=journey_map.pk).revision


def test_preview_reads_header_rows_and_guesses_columns(client_for, bob, journey_map):
    response = preview(client_for(bob), journey_map, SURVEY_CSV.encode())

    assert response.status_code == 200, response.data
    assert response.data["header"] == ["Question", "Answer", "NPS", "Segment", "Stage"]
    assert response.data["row_count"] == 2
    assert response.data["rows"][1][1] == "Slow delivery,\nand no tracking"  # quoted newline
    assert response.data["mapping"] == SURVEY_MAPPING
    assert response.data["stage_column"] == "Stage"
    assert not Evidence.objects.exists()


def test_good_file_imports_with_stages_named_in_a_column(client_for, bob, journey_map, stages):
    before = revision_of(journey_map)

    response = run_import(
        client_for(bob),
        journey_map,
        SURVEY_CSV.encode(),
        SURVEY_MAPPING,
        confirm=True,
        stage_column="Stage",
    )

    assert response.status_code == 200, response.data
    assert response.data["imported"] == 2 and response.data["failed"] == 0
    by_stage = {piece.stage.title: piece for piece in Evidence.objects.select_related("stage")}
    assert by_stage["Decision"].score == 9 and by_stage["Decision"].score_scale == "nps"
    assert by_stage["Purchase"].answer == "Slow delivery,\nand no tracking"  # title case-blind
    assert by_stage["Purchase"].added_by == bob
    assert revision_of(journey_map) == before + 1
    event = MapEvent.objects.get(map=journey_map, revision=before + 1)
    assert event.type == "evidence.imported" and event.payload["count"] == 2


def test_bad_rows_are_reported_by_number_and_nothing_imported_without_confirm(
    client_for, bob, journey_map, stages
):
    content = (
        b"Metric;Value;Unit;Baseline\n"
        b"Lead form conversion;1,2;%;0,84\n"
        b"Buy Policy clicks;lots;%;3\n"
        b"\n"
        b";4.5;%;3\n"
        b"Product subpage reach;+15;%;\n"
    )
    mapping = {"Metric": "name", "Value": "value", "Unit": "unit", "Baseline": "baseline"}
    before = revision_of(journey_map)

    checked = run_import(
        client_for(bob), journey_map, content, mapping, kind="metric", stage=stages[2].pk
    )

    assert checked.status_code == 200, checked.data
    assert checked.data["delimiter"] == ";"
    assert (checked.data["rows"], checked.data["valid"], checked.data["failed"]) == (4, 2, 2)
    assert [error["row"] for error in checked.data["errors"]] == [3, 5]  # row 4 is blank
    assert "value" in checked.data["errors"][0]["errors"]
    assert "name" in checked.data["errors"][1]["errors"]
    assert checked.data["imported"] == 0
    assert not Evidence.objects.exists() and revision_of(journey_map) == before

    confirmed = run_import(
        client_for(bob),
        journey_map,
        content,
        mapping,
        kind="metric",
        stage=stages[2].pk,
        confirm=True,
    )

    assert confirmed.data["imported"] == 2 and confirmed.data["failed"] == 2
    values = sorted(Evidence.objects.values_list("value", "baseline"))
    assert values == [(1.2, 0.84), (15.0, None)]  # decimal commas read as decimals


def test_unknown_stage_in_a_row_is_reported(client_for, bob, journey_map, stages):
    content = b"Question,Answer,Stage\nQ,A,Decision\nQ,A,Nowhere\n"
    response = run_import(
        client_for(bob),
        journey_map,
        content,
        {"Question": "question", "Answer": "answer"},
        stage_column="Stage",
    )
    assert response.data["errors"] == [
        {"row": 3, "errors": {"stage": ["No stage named 'Nowhere' on this map."]}}
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252", "utf-16"])
def test_encodings_are_read(client_for, bob, journey_map, stages, encoding):
    content = "Question\tAnswer\nWie fanden Sie die Größentabelle?\tZu klein, ärgerlich\n"
    response = run_import(
        client_for(bob),
        journey_map,
        content.encode(encoding),
        {"Question": "question", "Answer": "answer"},
        stage=stages[0].pk,
        confirm=True,
    )

    assert response.status_code == 200, response.data
    piece = Evidence.objects.get()
    assert piece.question == "Wie fanden Sie die Größentabelle?"  # the BOM is not in the header
    assert piece.answer == "Zu klein, ärgerlich"


def test_semicolons_and_quoted_newlines(client_for, bob, journey_map, stages):
    content = b'Question;Answer\n"Why?";"First line\nsecond; line"\n'
    response = run_import(
        client_for(bob),
        journey_map,
        content,
        {"Question": "question", "Answer": "answer"},
        stage=stages[0].pk,
        confirm=True,
    )
    assert response.data["imported"] == 1
    assert Evidence.objects.get().answer == "First line\nsecond; line"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "not a text file"),
        (b"Question,Answer\x07\nQ,A\n", "not a text file"),
        (b"", "empty"),
        (b"How likely?,9\nWhy?,7\n", "first row"),
        (b"Question,,Answer\nQ,x,A\n", "first row"),
        (b"Question,Question\nQ,A\n", "first row"),
    ],
)
def test_files_that_are_not_tables_with_a_header_are_refused(
    client_for, bob, journey_map, stages, content, message
):
    for response in (
        preview(client_for(bob), journey_map, content),
        run_import(
            client_for(bob),
            journey_map,
            content,
            {"Question": "question"},
            stage=stages[0].pk,
            confirm=True,
        ),
    ):
        assert response.status_code == 400
        assert message in response.data["file"][0]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "mapping, target, field",
    [
        ({"Answer": "answer"}, {"stage": "first"}, "mapping"),  # no question column
        ({"Question": "question", "Nope": "answer"}, {"stage": "first"}, "mapping"),
        ({"Question": "question", "Answer": "colour"}, {"stage": "first"}, "mapping"),
        ({"Question": "question"}, {}, "stage"),
        ({"Question": "question"}, {"stage_column": "Missing"}, "stage_column"),
    ],
)
def test_bad_mapping_or_stage_is_refused(
    client_for, bob, journey_map, stages, mapping, target, field
):
    if target.get("stage") == "first":
        target = {"stage": stages[0].pk}
    response = run_import(
        client_for(bob), journey_map, SURVEY_CSV.encode(), mapping, confirm=True, **target
    )
    assert response.status_code == 400 and field in response.data
    assert not Evidence.objects.exists()


def test_viewer_cannot_import_and_outsider_gets_404(
    client_for, carol, mallory, journey_map, stages
):
    for user, status in ((carol, 403), (mallory, 404)):
        assert preview(client_for(user), journey_map, SURVEY_CSV.encode()).status_code == status
        response = run_import(
            client_for(user),
            journey_map,
            SURVEY_CSV.encode(),
            SURVEY_MAPPING,
            stage=stages[0].pk,
            confirm=True,
        )
        assert response.status_code == status
    assert not Evidence.objects.exists()


def test_ten_thousand_rows_import_as_one_event(client_for, bob, journey_map, stages):
    lines = ["Metric,Value,Unit,Baseline,Period,Source,Sample size,Stage"]
    titles = [stage.title for stage in stages]
    lines += [
        f"Conversion {i},{i % 100}.5,%,{i % 7},Q{i % 4 + 1} 2026,GA4,{1000 + i},"
        f"{titles[i % len(titles)]}"
        for i in range(10_000)
    ]
    content = "\n".join(lines).encode()
    mapping = imports.guess_mapping(lines[0].split(","), "metric")
    before = revision_of(journey_map)

    started = time.perf_counter()
    response = run_import(
        client_for(bob),
        journey_map,
        content,
        mapping,
        kind="metric",
        stage_column="Stage",
        confirm=True,
    )
    elapsed = time.perf_counter() - started

    print(f"\n10,000-row CSV import: {elapsed:.2f} s ({len(content) / 1024:.0f} KB)")
    assert response.status_code == 200 and response.data["imported"] == 10_000
    assert Evidence.objects.count() == 10_000
    assert MapEvent.objects.filter(map=journey_map, revision__gt=before).count() == 1
