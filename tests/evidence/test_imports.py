"""Importing evidence from files through the API: the preview says what the file is, a dry run
says what its rows would become, and the import runs through the real background worker, as
one map change, all or nothing. The pipeline's own rules are in tests/evidence/importing/."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence.models import Evidence, EvidenceImport
from workshops import services
from workshops.models import JourneyMap, MapEvent

from .importing.helpers import sample, workbook

pytestmark = pytest.mark.django_db(transaction=True)  # the worker checks its connection

SURVEY_CSV = (
    "Question,Answer,NPS,Segment,Stage\r\n"
    "How likely are you to recommend us?,Easy to find my size,9,Returning,Decision\r\n"
    'How likely are you to recommend us?,"Slow delivery,\nand no tracking",3,New,purchase\r\n'
)
SURVEY_MAPPING = {"Question": "question", "Answer": "answer", "NPS": "score", "Segment": "segment"}


def upload(content: bytes, name="export.csv"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def preview(client, journey_map, content: bytes, **extra):
    return client.post(
        f"/api/maps/{journey_map.pk}/evidence/import/preview/",
        {"file": upload(content), **extra},
        format="multipart",
    )


def post_import(client, journey_map, content: bytes, mapping, confirm=False, **target):
    return client.post(
        f"/api/maps/{journey_map.pk}/evidence/import/",
        {
            "mapping": json.dumps(mapping),
            "confirm": "true" if confirm else "false",
            "file": upload(content),
            **target,
        },
        format="multipart",
    )


@pytest.fixture
def imported(client_for, bob, run_tasks):
    """Start an import as Bob, run the worker, and answer with the finished import."""

    def run(journey_map, content, mapping, **target):
        client = client_for(bob)
        started = post_import(client, journey_map, content, mapping, confirm=True, **target)
        assert started.status_code == 202, started.data
        run_tasks()
        return client.get(started.data["url"]).data

    return run


def revision_of(journey_map) -> int:
    return JourneyMap.objects.get(pk=journey_map.pk).revision


# --- the preview ----------------------------------------------------------------------------


def test_preview_of_a_plain_table_reads_its_header_and_proposes_its_columns(
    client_for, bob, journey_map
):
    response = preview(client_for(bob), journey_map, SURVEY_CSV.encode())

    assert response.status_code == 200, response.data
    assert (response.data["source"], response.data["shape"]) == ("csv", "long")
    assert response.data["header"] == ["Question", "Answer", "NPS", "Segment", "Stage"]
    assert response.data["rows"] == 2
    assert response.data["sample"][1][1] == "Slow delivery,\nand no tracking"  # quoted newline
    assert response.data["mapping"]["columns"] == SURVEY_MAPPING
    assert response.data["stage_column"] == "Stage"
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "name, source, kind, shape",
    [
        ("typeform_responses.csv", "typeform", "survey", "wide"),
        ("surveymonkey_responses.csv", "surveymonkey", "survey", "wide"),
        ("qualtrics_responses.csv", "qualtrics", "survey", "wide"),
        ("google_forms.csv", "google-forms", "survey", "wide"),
        ("hotjar_survey.csv", "hotjar-survey", "survey", "wide"),
        ("hotjar_feedback.csv", "hotjar-feedback", "quote", "long"),
        ("ga4_pages.csv", "ga4", "metric", "wide"),
        ("clarity_export.json", "clarity", "metric", "long"),
        ("recordings.csv", "csv", "recording", "long"),
    ],
)
def test_preview_recognises_the_tool_by_the_file_alone(
    client_for, bob, journey_map, name, source, kind, shape
):
    response = preview(client_for(bob), journey_map, sample(name))

    assert response.status_code == 200, response.data
    found = response.data
    assert (found["source"], found["kind"], found["shape"]) == (source, kind, shape)
    assert found["rows"] > 0 and found["summary"]


def test_preview_skips_qualtrics_extra_header_rows_and_says_so(client_for, bob, journey_map):
    found = preview(client_for(bob), journey_map, sample("qualtrics_responses.csv")).data
    assert [row["row"] for row in found["skipped"]] == [2, 3]
    assert found["first_data_row"] == 4


def test_preview_leaves_personal_data_out_of_the_mapping(client_for, bob, journey_map):
    found = preview(client_for(bob), journey_map, sample("typeform_responses.csv")).data
    assert "email" in found["left_out"]
    assert "email" not in json.dumps(found["mapping"])


# --- the import of real exports, through the worker -----------------------------------------


def test_typeform_survey_imports_one_answer_per_respondent_and_question(
    client_for, bob, journey_map, stages, imported
):
    content = sample("typeform_responses.csv")
    mapping = preview(client_for(bob), journey_map, content).data["mapping"]
    before = revision_of(journey_map)

    done = imported(journey_map, content, mapping, stage=stages[2].pk)

    assert done["status"] == "done", done
    pieces = Evidence.objects.filter(map=journey_map, kind="survey")
    assert done["report"]["imported"] == pieces.count() > 0
    nps = pieces.filter(score_scale="nps")
    assert nps.exists() and all(0 <= piece.score <= 10 for piece in nps)
    reasons = set(nps.values_list("answer", flat=True))
    assert "Returned twice, the sizes run small" in reasons  # the reason beside its score
    assert set(pieces.values_list("score_scale", flat=True)) >= {"nps", "csat", "ces"}
    assert set(pieces.values_list("segment", flat=True)) >= {"Mobile", "Desktop"}
    assert not pieces.filter(answer__contains="@").exists()  # e-mails were left out
    events = MapEvent.objects.filter(map=journey_map, revision__gt=before)
    assert [event.type for event in events] == ["evidence.imported"]
    assert events[0].payload["count"] == done["report"]["imported"]


def test_ga4_comparison_imports_metrics_with_baseline_and_value(
    client_for, bob, journey_map, stages, imported
):
    content = sample("ga4_comparison.csv")
    mapping = preview(client_for(bob), journey_map, content).data["mapping"]

    done = imported(journey_map, content, mapping, stage=stages[1].pk)

    assert done["status"] == "done", done
    metrics = Evidence.objects.filter(map=journey_map, kind="metric")
    assert metrics.exists()
    assert all(metric.baseline is not None for metric in metrics)
    assert all(", " in metric.name for metric in metrics)  # "Sessions, /checkout/"


def test_clarity_json_imports_metrics_and_hotjar_feedback_imports_quotes(
    client_for, bob, journey_map, stages, imported
):
    for name, kind in (("clarity_export.json", "metric"), ("hotjar_feedback.csv", "quote")):
        content = sample(name)
        mapping = preview(client_for(bob), journey_map, content).data["mapping"]
        done = imported(journey_map, content, mapping, stage=stages[3].pk)
        assert done["status"] == "done", (name, done)
        assert (
            Evidence.objects.filter(map=journey_map, kind=kind).count()
            == (done["report"]["imported"])
        )


def test_a_column_of_recording_links_imports_recordings_by_provider(
    client_for, bob, journey_map, stages, imported
):
    content = sample("recordings.csv")
    found = preview(client_for(bob), journey_map, content).data

    done = imported(journey_map, content, found["mapping"], stage_column=found["stage_column"])

    assert done["status"] == "done", done
    recordings = Evidence.objects.filter(map=journey_map, kind="recording")
    assert recordings.count() == done["report"]["imported"] > 0
    assert "other" not in set(recordings.values_list("provider", flat=True))


def test_an_xlsx_export_imports_like_its_csv(client_for, bob, journey_map, stages, imported):
    content = workbook(
        [
            ["Question", "Answer", "NPS"],
            ["How likely are you to recommend us?", "Great fit", 10],
            ["How likely are you to recommend us?", "Too small", 4],
        ]
    )
    found = preview(client_for(bob), journey_map, content).data
    assert found["format"] == "xlsx"

    done = imported(journey_map, content, found["mapping"], stage=stages[0].pk)

    assert done["report"]["imported"] == 2
    assert sorted(Evidence.objects.values_list("score", flat=True)) == [4, 10]


# --- today's long tables --------------------------------------------------------------------


def test_a_long_table_imports_with_stages_named_in_a_column(
    client_for, bob, journey_map, stages, imported
):
    before = revision_of(journey_map)
    mapping = {"shape": "long", "kind": "survey", "columns": SURVEY_MAPPING}

    done = imported(journey_map, SURVEY_CSV.encode(), mapping, stage_column="Stage")

    assert done["report"]["imported"] == 2 and done["report"]["failed"] == 0
    by_stage = {piece.stage.title: piece for piece in Evidence.objects.select_related("stage")}
    assert by_stage["Decision"].score == 9 and by_stage["Decision"].score_scale == "nps"
    assert by_stage["Purchase"].answer == "Slow delivery,\nand no tracking"  # title case-blind
    assert by_stage["Purchase"].added_by == bob
    assert revision_of(journey_map) == before + 1 == done["report"]["revision"]


def test_bad_rows_are_reported_by_number_and_a_dry_run_stores_nothing(
    client_for, bob, journey_map, stages, imported
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

    checked = post_import(
        client_for(bob), journey_map, content, mapping, kind="metric", stage=stages[2].pk
    )

    assert checked.status_code == 200, checked.data
    assert (checked.data["rows"], checked.data["valid"], checked.data["failed"]) == (4, 2, 2)
    assert [error["row"] for error in checked.data["errors"]] == [3, 5]  # row 4 is blank
    assert "value" in checked.data["errors"][0]["errors"]
    assert "name" in checked.data["errors"][1]["errors"]
    assert checked.data["imported"] == 0
    assert not Evidence.objects.exists() and revision_of(journey_map) == before

    done = imported(journey_map, content, mapping, kind="metric", stage=stages[2].pk)

    assert done["report"]["imported"] == 2 and done["report"]["failed"] == 2
    values = sorted(Evidence.objects.values_list("value", "baseline"))
    assert values == [(1.2, 0.84), (15.0, None)]  # decimal commas read as decimals


def test_unknown_stage_in_a_row_is_reported(client_for, bob, journey_map, stages):
    content = b"Question,Answer,Stage\nQ,A,Decision\nQ,A,Nowhere\n"
    response = post_import(
        client_for(bob),
        journey_map,
        content,
        {"Question": "question", "Answer": "answer"},
        kind="survey",
        stage_column="Stage",
    )
    assert response.data["errors"] == [
        {"row": 3, "errors": {"stage": ["No stage named 'Nowhere' on this map."]}}
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252", "utf-16"])
def test_encodings_are_read(journey_map, stages, imported, encoding):
    content = "Question\tAnswer\nWie fanden Sie die Größentabelle?\tZu klein, ärgerlich\n"
    mapping = {"Question": "question", "Answer": "answer"}

    imported(journey_map, content.encode(encoding), mapping, kind="survey", stage=stages[0].pk)

    piece = Evidence.objects.get()
    assert piece.question == "Wie fanden Sie die Größentabelle?"  # the BOM is not in the header
    assert piece.answer == "Zu klein, ärgerlich"


# --- refusals: a clear 400 and nothing stored -----------------------------------------------


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"Question,Answer\x07\nQ,A\n", "not a text file"),
        (b"", "empty"),
        (b"How likely?,9\nWhy?,7\n", "first row"),
        (b"Question,Question\nQ,A\n", "first row"),
        (b"PK\x03\x04\x14\x00\x06\x00", "workbook"),
        (b'{"rows": [1, 2, 3]}', "JSON"),
    ],
)
def test_files_that_are_not_tables_are_refused(
    client_for, bob, journey_map, stages, content, message
):
    for response in (
        preview(client_for(bob), journey_map, content),
        post_import(
            client_for(bob),
            journey_map,
            content,
            {"Question": "question"},
            kind="survey",
            stage=stages[0].pk,
            confirm=True,
        ),
    ):
        assert response.status_code == 400, response.data
        assert message.lower() in response.data["file"][0].lower()
    assert not Evidence.objects.exists() and not EvidenceImport.objects.exists()


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
def test_bad_mapping_or_stage_is_refused_before_anything_starts(
    client_for, bob, journey_map, stages, mapping, target, field
):
    if target.get("stage") == "first":
        target = {"stage": stages[0].pk}
    response = post_import(
        client_for(bob),
        journey_map,
        SURVEY_CSV.encode(),
        mapping,
        kind="survey",
        confirm=True,
        **target,
    )
    assert response.status_code == 400 and field in response.data
    assert not Evidence.objects.exists() and not EvidenceImport.objects.exists()


def test_viewer_cannot_import_and_outsider_gets_404(
    client_for, carol, mallory, journey_map, stages
):
    for user, status in ((carol, 403), (mallory, 404)):
        assert preview(client_for(user), journey_map, SURVEY_CSV.encode()).status_code == status
        response = post_import(
            client_for(user),
            journey_map,
            SURVEY_CSV.encode(),
            SURVEY_MAPPING,
            kind="survey",
            stage=stages[0].pk,
            confirm=True,
        )
        assert response.status_code == status
    assert not Evidence.objects.exists()


# --- an import as a thing: progress, all or nothing, once -----------------------------------


def test_an_import_is_queued_and_followed_until_done(
    client_for, bob, carol, mallory, journey_map, stages, run_tasks
):
    content = SURVEY_CSV.encode()
    started = post_import(
        client_for(bob),
        journey_map,
        content,
        SURVEY_MAPPING,
        kind="survey",
        confirm=True,
        stage_column="Stage",
    )
    assert started.status_code == 202
    assert started.data["status"] == "queued" and started.data["report"] is None
    assert started["Location"] == started.data["url"]
    assert not Evidence.objects.exists()  # nothing before the worker has run

    run_tasks()

    followed = client_for(carol).get(started.data["url"])  # any member may follow it
    assert followed.data["status"] == "done"
    assert (followed.data["rows_total"], followed.data["rows_checked"]) == (2, 2)
    assert followed.data["report"]["imported"] == 2
    assert client_for(mallory).get(started.data["url"]).status_code == 404
    listed = client_for(carol).get(f"/api/maps/{journey_map.pk}/evidence/imports/").data
    assert [entry["id"] for entry in listed] == [started.data["id"]]
    assert not EvidenceImport.objects.get().file  # the file is gone once it is in


def test_a_resent_import_starts_once(client_for, bob, journey_map, stages, run_tasks):
    def send():
        return client_for(bob).post(
            f"/api/maps/{journey_map.pk}/evidence/import/",
            {
                "mapping": json.dumps(SURVEY_MAPPING),
                "kind": "survey",
                "confirm": "true",
                "stage": stages[0].pk,
                "file": upload(SURVEY_CSV.encode()),
            },
            format="multipart",
            headers={"Idempotency-Key": "import-1"},
        )

    first, second = send(), send()
    run_tasks()

    assert first.data["id"] == second.data["id"]
    assert Evidence.objects.count() == 2


def test_an_import_on_a_locked_board_fails_whole_and_says_why(
    client_for, alice, bob, journey_map, stages, run_tasks
):
    from workshops.services import facilitation

    started = post_import(
        client_for(bob),
        journey_map,
        SURVEY_CSV.encode(),
        SURVEY_MAPPING,
        kind="survey",
        confirm=True,
        stage=stages[0].pk,
    )
    facilitation.board_lock(actor=alice, map=journey_map)
    before = revision_of(journey_map)

    run_tasks()

    done = client_for(bob).get(started.data["url"]).data
    assert done["status"] == "failed" and "locked" in done["error"]
    assert not Evidence.objects.exists() and revision_of(journey_map) == before


def test_an_import_whose_stage_was_deleted_meanwhile_fails_and_stores_nothing(
    client_for, bob, journey_map, stages, run_tasks
):
    started = post_import(
        client_for(bob),
        journey_map,
        SURVEY_CSV.encode(),
        SURVEY_MAPPING,
        kind="survey",
        confirm=True,
        stage=stages[0].pk,
    )
    services.stage_delete(actor=bob, map=journey_map, stage_id=stages[0].pk)

    run_tasks()

    done = client_for(bob).get(started.data["url"]).data
    assert done["status"] == "failed" and "deleted" in done["error"]
    assert not Evidence.objects.exists()


def test_ten_thousand_rows_import_as_one_event(client_for, bob, journey_map, stages, imported):
    lines = ["Metric,Value,Unit,Baseline,Period,Source,Sample size,Stage"]
    titles = [stage.title for stage in stages]
    lines += [
        f"Conversion {i},{i % 100}.5,%,{i % 7},Q{i % 4 + 1} 2026,GA4,{1000 + i},"
        f"{titles[i % len(titles)]}"
        for i in range(10_000)
    ]
    content = "\n".join(lines).encode()
    mapping = preview(client_for(bob), journey_map, content).data["mapping"]
    before = revision_of(journey_map)

    done = imported(journey_map, content, mapping, stage_column="Stage")

    assert done["report"]["imported"] == Evidence.objects.count() > 0
    assert MapEvent.objects.filter(map=journey_map, revision__gt=before).count() == 1


def test_an_import_whose_worker_stopped_midway_reads_as_failed_after_a_while(
    client_for, bob, journey_map, stages
):
    import datetime

    from django.utils import timezone

    started = post_import(
        client_for(bob),
        journey_map,
        SURVEY_CSV.encode(),
        SURVEY_MAPPING,
        kind="survey",
        confirm=True,
        stage=stages[0].pk,
    )
    # As a worker killed while checking would leave it: running, and quiet since.
    quiet = timezone.now() - datetime.timedelta(minutes=11)
    EvidenceImport.objects.update(status="checking", noted_at=quiet)

    followed = client_for(bob).get(started.data["url"]).data

    assert followed["status"] == "failed" and "stopped midway" in followed["error"]
    assert not EvidenceImport.objects.get().file and not Evidence.objects.exists()
