"""PDFs made in the background: started through the API (202), rendered by the real tasks
worker, downloaded by their maker and nobody else; at most a few render at once while the
others wait in the queue; old files go. And the synchronous download's bound."""

import datetime
import os
import subprocess

import pytest
from django.utils import timezone

from documents.models import ExportStatus, PdfExport
from documents.pdf import exports
from evidence import services as evidence
from workshops import services

pytestmark = pytest.mark.django_db(transaction=True)  # the worker checks its connection


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def exports_url(journey_map) -> str:
    return f"/api/maps/{journey_map.pk}/exports/"


def start(client, journey_map, **options):
    return client.post(exports_url(journey_map), options, format="json")


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def rendering(journey_map, user) -> PdfExport:
    """An export that a worker is rendering right now."""
    return PdfExport.objects.create(
        map=journey_map,
        created_by=user,
        query="evidence=1",
        status=ExportStatus.RENDERING,
        started_at=timezone.now(),
    )


@pytest.fixture
def carded_map(bob, journey_map, stages, lanes):
    services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[2].pk,
        lane_id=lanes["actions"].pk,
        text="Returns three times before buying",
    )
    return journey_map


def test_an_export_runs_in_the_worker_and_its_maker_downloads_it(
    client_for, bob, carded_map, run_tasks
):
    client = client_for(bob)
    started = start(client, carded_map)
    assert started.status_code == 202
    assert started["Location"] == started.json()["url"]
    assert started.json()["status"] == "queued" and started.json()["file_url"] is None

    run_tasks()

    state = client.get(started.json()["url"]).json()
    assert state["status"] == "done" and state["pages"] >= 4 and state["size"] > 0
    downloaded = client.get(state["file_url"])
    assert downloaded.status_code == 200
    assert 'filename="online-shopping.pdf"' in downloaded["Content-Disposition"]
    assert "Returns three times before buying" in pdf_text(b"".join(downloaded.streaming_content))


def test_mallory_and_other_members_get_404_for_someone_s_export(
    client_for, bob, carol, mallory, carded_map, run_tasks
):
    state = start(client_for(bob), carded_map).json()
    run_tasks()
    file_url = client_for(bob).get(state["url"]).json()["file_url"]

    for user in (mallory, carol):  # carol is a member, but the export is bob's
        assert client_for(user).get(state["url"]).status_code == 404
        assert client_for(user).get(file_url).status_code == 404
    assert client_for(mallory).post(exports_url(carded_map), {}, format="json").status_code == 404


def test_the_options_are_those_of_the_pdf_s_query_string(
    client_for, bob, carded_map, lanes, run_tasks
):
    client = client_for(bob)
    actions = lanes["actions"].pk
    state = start(client, carded_map, lanes=str(actions), evidence=False).json()
    assert state["options"] == {
        "lanes": [actions],
        "evidence": False,
        "compare": None,
        "compare_version": None,
    }

    run_tasks()

    text = pdf_text(b"".join(client.get(f"{state['url']}file").streaming_content))
    assert "Returns three times before buying" in text and "Evidence by stage" not in text


def test_a_bad_option_is_refused_before_anything_is_queued(client_for, bob, alice, carded_map):
    other = services.map_create(actor=alice, workshop=carded_map.workshop, title="Other")

    unknown_lane = start(client_for(bob), carded_map, lanes=str(other.lanes.first().pk))
    unknown_map = start(client_for(bob), carded_map, compare=999999)

    assert unknown_lane.status_code == 400 and unknown_map.status_code == 404
    assert not PdfExport.objects.exists()


def test_the_file_is_not_there_before_the_export_is_done(client_for, bob, carded_map):
    state = start(client_for(bob), carded_map).json()

    response = client_for(bob).get(f"{state['url']}file")

    assert response.status_code == 409 and response.json()["code"] == "export_queued"


def test_asking_again_while_one_waits_gives_the_waiting_one(client_for, bob, carded_map):
    first = start(client_for(bob), carded_map).json()
    again = start(client_for(bob), carded_map).json()

    assert again["id"] == first["id"] and PdfExport.objects.count() == 1


# --- how many at once -------------------------------------------------------------------------


def test_a_third_export_waits_while_two_render(bob, carol, carded_map, settings):
    settings.PDF_EXPORTS_AT_ONCE = 2
    first = exports.export_start(actor=bob, map=carded_map, query={})
    second = exports.export_start(actor=carol, map=carded_map, query={})
    third = exports.export_start(actor=bob, map=carded_map, query={"evidence": "0"})

    assert exports.export_claim(first) and exports.export_claim(second)
    assert not exports.export_claim(third)
    assert PdfExport.objects.get(pk=third.pk).status == ExportStatus.QUEUED

    PdfExport.objects.filter(pk=first.pk).update(status=ExportStatus.DONE)
    assert exports.export_claim(third)


def test_a_render_that_stopped_long_ago_holds_no_place_and_reads_as_failed(
    bob, carded_map, settings
):
    settings.PDF_EXPORTS_AT_ONCE = 1
    stopped = rendering(carded_map, bob)
    PdfExport.objects.filter(pk=stopped.pk).update(
        started_at=timezone.now() - exports.STALLED_AFTER - datetime.timedelta(seconds=1)
    )
    waiting = exports.export_start(actor=bob, map=carded_map, query={})

    assert exports.export_claim(waiting)
    exports.exports_prune()
    assert PdfExport.objects.get(pk=stopped.pk).status == ExportStatus.FAILED


def test_the_worker_leaves_an_export_queued_while_the_places_are_taken(
    bob, carol, carded_map, settings, run_tasks
):
    settings.PDF_EXPORTS_AT_ONCE = 1
    busy = rendering(carded_map, carol)
    waiting = exports.export_start(actor=bob, map=carded_map, query={})

    run_tasks()  # the task finds no place and goes back to the queue, a few seconds on

    assert PdfExport.objects.get(pk=waiting.pk).status == ExportStatus.QUEUED
    PdfExport.objects.filter(pk=busy.pk).update(status=ExportStatus.DONE)
    exports.export_run(waiting.pk)  # as the worker does when its turn comes
    assert PdfExport.objects.get(pk=waiting.pk).status == ExportStatus.DONE


# --- files that go ----------------------------------------------------------------------------


def test_a_newer_export_of_the_same_options_replaces_the_older_file(
    bob, carded_map, media, run_tasks
):
    older = exports.export_start(actor=bob, map=carded_map, query={})
    run_tasks()
    older.refresh_from_db()
    older_file = media / older.file.name
    assert older_file.exists()

    newer = exports.export_start(actor=bob, map=carded_map, query={"evidence": "1"})
    run_tasks()

    older.refresh_from_db()
    assert older.status == ExportStatus.EXPIRED and not older_file.exists()
    assert PdfExport.objects.get(pk=newer.pk).status == ExportStatus.DONE


def test_a_file_goes_after_a_day(client_for, bob, carded_map, media, run_tasks):
    export = exports.export_start(actor=bob, map=carded_map, query={})
    run_tasks()
    export.refresh_from_db()
    PdfExport.objects.filter(pk=export.pk).update(
        finished_at=timezone.now() - exports.KEEP_FOR - datetime.timedelta(minutes=1)
    )

    state = client_for(bob).get(f"/api/maps/{carded_map.pk}/exports/{export.pk}/").json()

    assert state["status"] == "expired" and state["file_url"] is None
    assert not (media / export.file.name).exists()


def test_an_export_whose_maker_left_the_workshop_fails(alice, bob, carded_map, run_tasks):
    export = exports.export_start(actor=bob, map=carded_map, query={})
    services.membership_remove(actor=alice, workshop=carded_map.workshop, user=bob)

    run_tasks()

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.error
    assert not export.file


# --- the synchronous download's bound ---------------------------------------------------------


def test_a_map_over_the_bound_is_not_rendered_in_the_request(
    client_for, client, bob, carded_map, settings
):
    settings.PDF_SYNC_MAX_CARDS = 0  # the map has one card

    api = client_for(bob).get(f"/api/maps/{carded_map.pk}/export.pdf?evidence=0")
    client.force_login(bob)
    page = client.get(f"/maps/{carded_map.pk}/export.pdf?evidence=0")

    assert api.status_code == 409
    assert api.json()["code"] == "export_in_background"
    assert api.json()["exports_url"] == exports_url(carded_map)
    assert page.status_code == 302
    assert page["Location"] == f"/maps/{carded_map.pk}/export/?evidence=0"


def test_a_map_with_too_much_evidence_is_not_rendered_in_the_request(
    client_for, bob, carded_map, stages, settings
):
    settings.PDF_SYNC_MAX_PIECES = 1
    for text in ("One quote", "Two quotes"):
        evidence.evidence_attach(
            actor=bob, map=carded_map, kind="quote", stage_id=stages[0].pk, text=text
        )

    response = client_for(bob).get(f"/api/maps/{carded_map.pk}/export.pdf")

    assert response.status_code == 409
    assert "1 card and 2 pieces of evidence" in response.json()["detail"]


def test_a_map_at_the_bounds_is_rendered_in_the_request(
    client_for, bob, carded_map, stages, settings
):
    settings.PDF_SYNC_MAX_CARDS, settings.PDF_SYNC_MAX_PIECES = 1, 1
    evidence.evidence_attach(
        actor=bob, map=carded_map, kind="quote", stage_id=stages[0].pk, text="One quote"
    )

    response = client_for(bob).get(f"/api/maps/{carded_map.pk}/export.pdf")

    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# --- the export page --------------------------------------------------------------------------


def test_the_export_page_starts_an_export_with_the_lanes_chosen(client, bob, carded_map, lanes):
    client.force_login(bob)
    assert client.get(f"/maps/{carded_map.pk}/export/").status_code == 200

    response = client.post(
        f"/maps/{carded_map.pk}/export/", {"lanes": [lanes["actions"].pk], "evidence": "1"}
    )

    export = PdfExport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#export-{export.pk}")
    assert export.query == f"evidence=1&lanes={lanes['actions'].pk}"
    page = client.get(f"/maps/{carded_map.pk}/export/").content.decode()
    assert f'id="export-{export.pk}"' in page and "Waiting for a free renderer" in page


def test_the_export_page_is_404_for_mallory(client, mallory, carded_map):
    client.force_login(mallory)

    assert client.get(f"/maps/{carded_map.pk}/export/").status_code == 404
    assert client.post(f"/maps/{carded_map.pk}/export/", {"evidence": "1"}).status_code == 404


def test_a_deleted_map_s_files_go_after_a_day(alice, bob, carded_map, media, run_tasks):
    export = exports.export_start(actor=bob, map=carded_map, query={})
    run_tasks()
    export.refresh_from_db()
    left = media / export.file.name
    services.map_delete(actor=alice, map=carded_map)  # its exports go with it, not their files
    day_ago = (timezone.now() - exports.KEEP_FOR - datetime.timedelta(minutes=1)).timestamp()
    os.utime(left, (day_ago, day_ago))

    exports.files_sweep()

    assert not left.exists()
