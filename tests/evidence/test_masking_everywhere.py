"""Personal data in evidence text is masked before it is stored, so no way out shows it: the
REST API, the live board's socket, the PDF, the JSON export and webhooks. A facilitator may
turn masking off for a map, as a change of the map that the history words; editors may not."""

import json
import subprocess

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import versions
from evidence import imports, masking, services
from evidence.models import Evidence
from notifications import webhooks
from tests.live import headers_for, next_of, open_board
from workshops import history
from workshops.models import JourneyMap, MapEvent

pytestmark = pytest.mark.django_db(transaction=True)  # the webhook's worker checks its connection

SAID = "Sizes run small. Call me on +49 151 23456789 or write to jane.doe@example.com"
MASKED = "Sizes run small. Call me on [phone] or write to [e-mail]"
PERSONAL = ("23456789", "jane.doe@example.com")


def quote_through_the_api(client, journey_map, stage, text=SAID):
    return client.post(
        f"/api/maps/{journey_map.pk}/evidence/",
        {"kind": "quote", "stage": stage.pk, "text": text, "who": "Returning buyer"},
        format="json",
    )


def holds_none_of_it(text: str) -> bool:
    return not any(personal in text for personal in PERSONAL)


def settings_url(journey_map) -> str:
    return f"/api/maps/{journey_map.pk}/evidence/settings/"


def test_a_typed_quote_is_stored_masked_and_read_back_masked(client_for, bob, journey_map, stages):
    answer = quote_through_the_api(client_for(bob), journey_map, stages[0])

    assert answer.status_code == 201, answer.data
    assert answer.data["text"] == MASKED
    assert Evidence.objects.get().text == MASKED
    listed = client_for(bob).get(f"/api/maps/{journey_map.pk}/evidence/")
    assert MASKED in listed.content.decode() and holds_none_of_it(listed.content.decode())


def test_an_update_is_masked_too(client_for, bob, journey_map, stages):
    piece = quote_through_the_api(client_for(bob), journey_map, stages[0], text="Fine").data

    changed = client_for(bob).patch(
        f"/api/maps/{journey_map.pk}/evidence/{piece['id']}/",
        {"note": "Asked to be called back on 020 7946 0958"},
        format="json",
    )

    assert changed.status_code == 200, changed.data
    assert Evidence.objects.get().note == "Asked to be called back on [phone]"


def test_the_live_board_hears_the_masked_text(client_for, bob, carol, journey_map, stages):
    client, headers = client_for(bob), headers_for(carol)

    async def scenario():
        board, _ = await open_board(headers, journey_map.pk)
        try:
            await database_sync_to_async(quote_through_the_api)(client, journey_map, stages[0])
            event = await next_of(board, "event")
            assert event["event"] == "evidence.created"
            assert event["payload"]["evidence"]["text"] == MASKED
            assert holds_none_of_it(json.dumps(event))
        finally:
            await board.disconnect()

    async_to_sync(scenario)()


def test_the_json_export_and_the_pdf_hold_the_masked_text(client_for, bob, journey_map, stages):
    quote_through_the_api(client_for(bob), journey_map, stages[0])

    exported = client_for(bob).get(f"/api/maps/{journey_map.pk}/export.json")
    printed = client_for(bob).get(f"/api/maps/{journey_map.pk}/export.pdf")

    assert exported.status_code == 200
    assert MASKED in exported.content.decode() and holds_none_of_it(exported.content.decode())
    assert printed.status_code == 200
    words = subprocess.run(
        ["pdftotext", "-", "-"], input=printed.content, capture_output=True, check=True
    ).stdout.decode()
    assert "[phone]" in words and "[e-mail]" in words and holds_none_of_it(words)


def test_a_webhook_carries_the_masked_text(
    settings, client_for, alice, bob, workshop, journey_map, stages, receiver, run_tasks
):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on 127.0.0.1
    webhooks.webhook_create(
        actor=alice, workshop=workshop, url=receiver.url(), events=["version.saved"]
    )
    versions.version_save(actor=bob, map=journey_map, name="Before")
    services.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="metric",
        stage_id=stages[0].pk,
        name="Replies to support@linen.example",
        value=12,
    )
    versions.version_save(actor=bob, map=journey_map, name="After")

    run_tasks()

    body = receiver.wait_for(2)[-1].body.decode()
    assert "Replies to [e-mail]" in body and "support@linen.example" not in body


# --- the switch ---------------------------------------------------------------------------------


def test_a_facilitator_turns_masking_off_and_the_history_says_who(
    client_for, alice, bob, journey_map, stages
):
    answer = client_for(alice).put(
        settings_url(journey_map), {"mask_personal_data": False}, format="json"
    )

    assert answer.status_code == 200, answer.data
    assert answer.data == {"stale_after_days": 90, "mask_personal_data": False}
    event = MapEvent.objects.filter(map=journey_map).latest("revision")
    assert (event.type, event.actor) == ("evidence.masking_set", alice)
    assert history.describe(event) == "turned off the masking of personal data in evidence text"
    assert quote_through_the_api(client_for(bob), journey_map, stages[0]).data["text"] == SAID
    assert client_for(bob).get(settings_url(journey_map)).data["mask_personal_data"] is False


def test_turning_masking_back_on_masks_what_is_stored_from_then_on(alice, bob, journey_map, stages):
    services.evidence_masking_set(actor=alice, map=journey_map, on=False)
    services.evidence_attach(
        actor=bob, map=journey_map, kind="quote", stage_id=stages[0].pk, text=SAID
    )
    services.evidence_masking_set(actor=alice, map=journey_map, on=True)
    services.evidence_attach(
        actor=bob, map=journey_map, kind="quote", stage_id=stages[0].pk, text=SAID
    )

    assert list(Evidence.objects.order_by("pk").values_list("text", flat=True)) == [SAID, MASKED]


def test_an_editor_cannot_turn_masking_off(client_for, bob, journey_map):
    answer = client_for(bob).put(
        settings_url(journey_map), {"mask_personal_data": False}, format="json"
    )

    assert answer.status_code == 403
    assert masking.is_on(JourneyMap.objects.get(pk=journey_map.pk))


@pytest.mark.parametrize("body", [{"mask_personal_data": "no"}, {"mask_personal_data": 0}, {}])
def test_a_switch_that_is_not_true_or_false_is_refused_and_changes_nothing(
    client_for, alice, journey_map, body
):
    revision = journey_map.revision

    answer = client_for(alice).put(settings_url(journey_map), body, format="json")

    assert answer.status_code == 400
    assert set(answer.json()) & {"mask_personal_data", "non_field_errors"}
    journey_map.refresh_from_db()
    assert journey_map.revision == revision and masking.is_on(journey_map)


def test_a_version_restored_on_a_map_with_masking_off_keeps_its_text(
    alice, bob, journey_map, stages
):
    services.evidence_masking_set(actor=alice, map=journey_map, on=False)
    services.evidence_attach(
        actor=bob, map=journey_map, kind="quote", stage_id=stages[0].pk, text=SAID
    )
    version = versions.version_save(actor=bob, map=journey_map, name="Unmasked")
    journey_map.refresh_from_db()  # as a request would read it

    versions.version_restore(actor=bob, map=journey_map, version=version)

    assert list(Evidence.objects.values_list("text", flat=True)) == [SAID]


# --- imports ------------------------------------------------------------------------------------

FEEDBACK_CSV = b"Answer,Country\nCall me on +49 151 23456789,Germany\n"


def preview_as(client, journey_map, content: bytes):
    upload = SimpleUploadedFile("export.csv", content, content_type="text/csv")
    return client.post(
        f"/api/maps/{journey_map.pk}/evidence/import/preview/", {"file": upload}, format="multipart"
    )


def test_the_import_preview_says_whether_the_map_masks_and_who_may_change_it(
    client_for, alice, bob, journey_map
):
    as_bob = preview_as(client_for(bob), journey_map, FEEDBACK_CSV).data
    as_alice = preview_as(client_for(alice), journey_map, FEEDBACK_CSV).data

    assert as_bob["masking"] == {"on": True, "can_change": False}
    assert as_alice["masking"] == {"on": True, "can_change": True}
    assert as_bob["sample"][0][0] == "Call me on [phone]"


def test_an_imported_file_is_stored_masked(client_for, bob, journey_map, stages, run_tasks):
    upload = SimpleUploadedFile("export.csv", FEEDBACK_CSV, content_type="text/csv")
    started = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/evidence/import/",
        {
            "file": upload,
            "mapping": json.dumps({"Answer": "text"}),
            "kind": "quote",
            "confirm": "true",
            "stage": stages[0].pk,
        },
        format="multipart",
    )
    assert started.status_code == 202, started.data

    run_tasks()

    assert list(Evidence.objects.values_list("text", flat=True)) == ["Call me on [phone]"]


def test_a_wide_metric_file_is_stored_masked_in_every_name_and_fixed_value(
    alice, journey_map, stages, run_tasks
):
    # A GA4-shaped report: the row's label and the fixed values are masked once a row, and
    # each of the row's metrics is named with the masked label (importing/wideplans.py).
    data = (
        b"Page path and screen class,Views,Users\n"
        b"/account/jane.doe@example.com/,120,80\n"
        b"/help/,40,30\n"
    )
    found = imports.import_preview(actor=alice, map=journey_map, data=data)
    mapping = {**found["mapping"], "fixed": {"note": "Asked by +49 151 23456789"}}
    imports.import_start(
        actor=alice, map=journey_map, data=data, file_name="pages.csv", mapping=mapping,
        stage_id=stages[0].pk,
    )  # fmt: skip

    run_tasks()

    stored = list(Evidence.objects.order_by("name").values_list("name", "note"))
    assert len(stored) == 4, stored
    assert all(holds_none_of_it(f"{name} {note}") for name, note in stored), stored
    assert ("Users, /account/[e-mail]/", "Asked by [phone]") in stored
    assert ("Views, /help/", "Asked by [phone]") in stored
