"""Evidence: each kind's checks, providers, coverage, the API's permissions, and that a change to
evidence is a change to the map like any other (revision, history, live boards)."""

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from evidence import coverage, services
from evidence.models import Evidence, Provider
from evidence.providers import parse_start, provider_of, start_link
from workshops import services as map_services
from workshops.models import JourneyMap, MapEvent

METRIC = {
    "kind": "metric",
    "name": "Buy Policy clicks",
    "value": 4.5,
    "unit": "%",
    "baseline": 3,
    "target": 5,
    "period": "Q2 2026",
    "source": "GA4",
    "sample_size": 12000,
}
SURVEY = {
    "kind": "survey",
    "question": "How likely are you to recommend us?",
    "answer": "Easy to buy",
    "score": 9,
    "segment": "Returning buyers",
    "source": "Typeform",
}
QUOTE = {
    "kind": "quote",
    "text": "I keep the cart as my wishlist.",
    "who": "Returning buyer",
    "source": "interview",
}
RECORDING = {
    "kind": "recording",
    "url": "https://www.youtube.com/watch?v=abc123",
    "start_seconds": "1:23",
    "note": "Hesitates at the size chart",
}


def attach(actor, journey_map, stage, **values):
    return services.evidence_attach(actor=actor, map=journey_map, stage_id=stage.pk, **values)


def revision_of(journey_map) -> int:
    return JourneyMap.objects.get(pk=journey_map.pk).revision


def url(journey_map, suffix=""):
    return f"/api/maps/{journey_map.pk}/evidence/{suffix}"


# --- each kind and its checks -------------------------------------------------------------


@pytest.mark.parametrize("values", [METRIC, SURVEY, QUOTE, RECORDING], ids=lambda v: v["kind"])
def test_editor_attaches_each_kind_to_a_stage(bob, journey_map, stages, values):
    event = attach(bob, journey_map, stages[1], **values)

    piece = Evidence.objects.get()
    assert event.type == "evidence.created"
    assert event.payload["evidence"]["id"] == piece.pk
    assert event.payload["evidence"]["stage"] == stages[1].pk
    assert piece.added_by == bob and piece.kind == values["kind"]


def test_metric_reads_its_change_from_the_baseline(bob, journey_map, stages):
    data = attach(bob, journey_map, stages[0], **METRIC).payload["evidence"]

    assert data["layer"] == "quantitative"
    assert data["value"] == 4.5 and data["baseline"] == 3.0
    assert data["change_percent"] == 50.0
    assert "question" not in data and "url" not in data  # each kind shows its own fields


def test_survey_score_without_scale_reads_as_nps(bob, journey_map, stages):
    data = attach(bob, journey_map, stages[0], **SURVEY).payload["evidence"]
    assert data["score_scale"] == "nps" and data["layer"] == "qualitative"


@pytest.mark.parametrize(
    "values, field",
    [
        ({**METRIC, "value": "a lot"}, "value"),
        ({**METRIC, "value": None}, "value"),
        ({**METRIC, "value": float("nan")}, "value"),
        ({**METRIC, "value": True}, "value"),
        ({**METRIC, "name": "  "}, "name"),
        ({**METRIC, "sample_size": -3}, "sample_size"),
        ({**SURVEY, "score": 11}, "score"),
        ({**SURVEY, "score": 0, "score_scale": "csat"}, "score"),
        ({**SURVEY, "score_scale": "stars"}, "score_scale"),
        ({**SURVEY, "answer": "", "score": None}, "answer"),
        ({**QUOTE, "text": ""}, "text"),
        ({**RECORDING, "url": "javascript:alert(1)"}, "url"),
        ({**RECORDING, "url": "JavaScript:alert(1)"}, "url"),
        ({**RECORDING, "url": "java\tscript:alert(1)"}, "url"),
        ({**RECORDING, "url": "data:text/html,<script>alert(1)</script>"}, "url"),
        ({**RECORDING, "url": "file:///etc/passwd"}, "url"),
        ({**RECORDING, "url": "ftp://example.com/rec.mp4"}, "url"),
        ({**RECORDING, "url": "https://"}, "url"),
        ({**RECORDING, "start_seconds": "1:75"}, "start_seconds"),
        ({**QUOTE, "collected_on": "2999-01-01"}, "collected_on"),
        ({**QUOTE, "collected_on": "yesterday"}, "collected_on"),
        ({**QUOTE, "score": 3}, "score"),  # not a field of a quote
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_input_is_refused_and_nothing_stored(bob, journey_map, stages, values, field):
    before = revision_of(journey_map)

    with pytest.raises(ValidationError) as refused:
        attach(bob, journey_map, stages[0], **values)

    assert field in refused.value.message_dict
    assert not Evidence.objects.exists()
    assert revision_of(journey_map) == before


def test_unknown_kind_is_refused(bob, journey_map, stages):
    with pytest.raises(ValidationError) as refused:
        attach(bob, journey_map, stages[0], kind="rumour", text="heard it")
    assert "kind" in refused.value.message_dict


def test_card_evidence_is_on_the_card_stage(bob, journey_map, card):
    data = services.evidence_attach(actor=bob, map=journey_map, card_id=card.pk, **QUOTE)
    assert data.payload["evidence"]["card"] == card.pk
    assert data.payload["evidence"]["stage"] == card.stage_id


def test_card_and_another_stage_is_refused(bob, journey_map, stages, card):
    with pytest.raises(ValidationError) as refused:
        services.evidence_attach(
            actor=bob, map=journey_map, card_id=card.pk, stage_id=stages[3].pk, **QUOTE
        )
    assert "stage" in refused.value.message_dict


def test_evidence_needs_a_stage_or_card(bob, journey_map):
    with pytest.raises(ValidationError) as refused:
        services.evidence_attach(actor=bob, map=journey_map, **QUOTE)
    assert "stage" in refused.value.message_dict


def test_stage_of_another_map_is_refused(alice, bob, workshop, journey_map):
    other = map_services.map_create(actor=alice, workshop=workshop, title="Insurer", template="b2b")
    with pytest.raises(ValidationError):
        attach(bob, journey_map, other.stages.first(), **QUOTE)


def test_update_checks_the_merged_piece(bob, journey_map, stages):
    piece_id = attach(bob, journey_map, stages[0], **SURVEY).payload["evidence"]["id"]

    with pytest.raises(ValidationError):
        services.evidence_update(
            actor=bob, map=journey_map, evidence_id=piece_id, score_scale="csat"
        )  # 9 is no CSAT score
    event = services.evidence_update(
        actor=bob,
        map=journey_map,
        evidence_id=piece_id,
        score=4,
        score_scale="csat",
        stage_id=stages[2].pk,
    )

    assert event.type == "evidence.updated"
    assert event.payload["evidence"]["score"] == 4
    assert event.payload["evidence"]["stage"] == stages[2].pk


# --- recordings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link, provider",
    [
        ("https://insights.hotjar.com/sites/123/playbacks/456", Provider.HOTJAR),
        ("https://app.cux.io/recordings/789", Provider.CUX),
        ("https://app.fullstory.com/ui/ABC/session/1:2", Provider.FULLSTORY),
        ("https://clarity.microsoft.com/player/abc/def", Provider.CLARITY),
        ("https://app.smartlook.com/org/1/project/2/recordings/3", Provider.SMARTLOOK),
        ("https://app.mouseflow.com/websites/1/recordings/2/play", Provider.MOUSEFLOW),
        ("https://www.loom.com/share/0123abcd", Provider.LOOM),
        ("https://www.youtube.com/watch?v=abc123", Provider.YOUTUBE),
        ("https://youtu.be/abc123", Provider.YOUTUBE),
        ("https://vimeo.com/76979871", Provider.VIMEO),
        ("https://YOUTUBE.COM./watch?v=x", Provider.YOUTUBE),
        ("https://evil-youtube.com/watch?v=x", Provider.OTHER),
        ("https://youtube.com.example.net/watch?v=x", Provider.OTHER),
        ("https://example.com/recording/1", Provider.OTHER),
    ],
)
def test_provider_is_recognised_from_the_host(link, provider):
    assert provider_of(link) == provider


@pytest.mark.parametrize(
    "text, seconds",
    [
        (83, 83),
        ("83", 83),
        ("1:23", 83),
        ("01:02:03", 3723),
        ("1m23s", 83),
        ("83s", 83),
        ("0", 0),
    ],
)
def test_start_time_reads_seconds_and_clock_times(text, seconds):
    assert parse_start(text) == seconds


@pytest.mark.parametrize(
    "link, provider, expected",
    [
        (
            "https://www.youtube.com/watch?v=abc&t=5",
            Provider.YOUTUBE,
            "https://www.youtube.com/watch?v=abc&t=83",
        ),
        ("https://youtu.be/abc", Provider.YOUTUBE, "https://youtu.be/abc?t=83"),
        ("https://vimeo.com/76979871", Provider.VIMEO, "https://vimeo.com/76979871#t=83s"),
        ("https://www.loom.com/share/abcd", Provider.LOOM, "https://www.loom.com/share/abcd?t=83"),
        ("https://insights.hotjar.com/r/1", Provider.HOTJAR, "https://insights.hotjar.com/r/1"),
    ],
)
def test_start_link_opens_at_the_start_time(link, provider, expected):
    assert start_link(link, provider, 83) == expected


def test_recording_gets_its_provider_and_start_link(bob, journey_map, stages):
    data = attach(bob, journey_map, stages[0], **RECORDING).payload["evidence"]

    assert data["provider"] == "youtube" and data["start_seconds"] == 83
    assert data["start_url"] == "https://www.youtube.com/watch?v=abc123&t=83"
    assert data["layer"] == "behavioural"


# --- permissions, history, live boards ------------------------------------------------------


def test_viewer_cannot_add_evidence(carol, journey_map, stages):
    with pytest.raises(PermissionDenied):
        attach(carol, journey_map, stages[0], **QUOTE)
    assert not Evidence.objects.exists()


def test_outsider_cannot_learn_the_map_exists(mallory, journey_map, stages):
    with pytest.raises(Http404):
        attach(mallory, journey_map, stages[0], **QUOTE)


def test_evidence_change_bumps_revision_and_history(bob, journey_map, stages):
    before = revision_of(journey_map)

    created = attach(bob, journey_map, stages[0], **QUOTE)
    piece_id = created.payload["evidence"]["id"]
    services.evidence_update(actor=bob, map=journey_map, evidence_id=piece_id, who="Support agent")
    services.evidence_delete(actor=bob, map=journey_map, evidence_id=piece_id)

    assert revision_of(journey_map) == before + 3
    events = list(MapEvent.objects.filter(map=journey_map, revision__gt=before))
    assert [e.type for e in events] == ["evidence.created", "evidence.updated", "evidence.deleted"]
    assert events[1].payload["evidence"]["who"] == "Support agent"
    assert events[2].payload["evidence"]["text"] == QUOTE["text"]  # what was deleted
    assert not Evidence.objects.exists()


def test_resent_operation_is_applied_once(bob, journey_map, stages):
    first = attach(bob, journey_map, stages[0], op_id="op-1", **QUOTE)
    again = attach(bob, journey_map, stages[0], op_id="op-1", **QUOTE)
    assert first.pk == again.pk and Evidence.objects.count() == 1


@pytest.fixture
def board_channel(journey_map, in_memory_channel_layer):
    layer = get_channel_layer()
    async_to_sync(layer.flush)()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(f"map-{journey_map.pk}", channel)
    yield channel
    async_to_sync(layer.flush)()


def received(channel, timeout=0.5):
    async def receive():
        try:
            return await asyncio.wait_for(get_channel_layer().receive(channel), timeout)
        except TimeoutError:
            return None

    return async_to_sync(receive)()


def test_evidence_is_broadcast_to_open_boards(
    bob, journey_map, stages, board_channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = attach(bob, journey_map, stages[0], **METRIC)

    message = received(board_channel)
    assert message["type"] == "map.event" and message["revision"] == event.revision
    wire = json.loads(message["text"])
    assert wire["event"] == "evidence.created"
    assert wire["payload"]["evidence"]["name"] == "Buy Policy clicks"


def test_refused_evidence_is_not_broadcast(
    carol, journey_map, stages, board_channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        attach(carol, journey_map, stages[0], **METRIC)
    assert received(board_channel, timeout=0.1) is None


# --- coverage -----------------------------------------------------------------------------


def test_coverage_per_stage_and_layer_counts_cards(bob, journey_map, stages, card):
    attach(bob, journey_map, stages[0], **METRIC)
    attach(bob, journey_map, stages[0], **QUOTE)
    services.evidence_attach(actor=bob, map=journey_map, card_id=card.pk, **SURVEY)  # stage 0
    attach(bob, journey_map, stages[2], **RECORDING)

    report = coverage.map_coverage(journey_map)

    first, second, third = report["stages"][:3]
    assert first["layers"] == {"quantitative": 1, "qualitative": 2, "behavioural": 0}
    assert first["total"] == 3 and first["evidenced_layers"] == 2 and not first["assumption"]
    assert second["total"] == 0 and second["assumption"]
    assert third["layers"]["behavioural"] == 1
    assert report["cards"] == {card.pk: 1}
    summary = report["summary"]
    assert summary["pieces"] == 4 and summary["evidenced_stages"] == 2
    assert summary["evidenced_stage_layers"] == 3
    assert summary["percent"] == round(100 * 3 / (3 * len(stages)))
    assert summary["evidenced_cards"] == 1


def test_card_evidence_follows_its_card_to_another_stage(bob, journey_map, stages, lanes, card):
    services.evidence_attach(actor=bob, map=journey_map, card_id=card.pk, **QUOTE)
    map_services.card_move(
        actor=bob,
        map=journey_map,
        card_id=card.pk,
        stage_id=stages[4].pk,
        lane_id=lanes["actions"].pk,
        position=0,
    )

    counts = coverage.evidence_counts(journey_map)

    assert counts["stages"][stages[0].pk] == 0
    assert counts["stages"][stages[4].pk] == 1
    assert counts["cards"] == {card.pk: 1}


def test_coverage_takes_a_fixed_number_of_queries(bob, journey_map, stages, card):
    def queries() -> int:
        board = JourneyMap.objects.get(pk=journey_map.pk)
        with CaptureQueriesContext(connection) as captured:
            coverage.map_coverage(board)
            coverage.evidence_counts(board)
        return len(captured)

    attach(bob, journey_map, stages[0], **QUOTE)
    few = queries()
    for stage in stages:
        attach(bob, journey_map, stage, **METRIC)
        services.evidence_attach(actor=bob, map=journey_map, card_id=card.pk, **QUOTE)
    assert queries() == few


# --- the API ------------------------------------------------------------------------------


def test_api_creates_lists_and_filters(client_for, bob, carol, journey_map, stages, card):
    client = client_for(bob)
    for body in (
        {**METRIC, "stage": stages[0].pk},
        {**QUOTE, "card": card.pk},
        {**RECORDING, "stage": stages[1].pk},
    ):
        response = client.post(url(journey_map), body, format="json")
        assert response.status_code == 201, response.data
        assert int(response["X-Map-Revision"]) == revision_of(journey_map)

    viewer = client_for(carol)
    listed = viewer.get(url(journey_map)).data
    assert [piece["kind"] for piece in listed] == ["metric", "quote", "recording"]  # in order
    assert "question" not in listed[0] and "url" in listed[2]  # each kind's own fields
    on_first = viewer.get(url(journey_map), {"stage": stages[0].pk}).data
    assert {piece["kind"] for piece in on_first} == {"metric", "quote"}  # the card's included
    assert [p["kind"] for p in viewer.get(url(journey_map), {"card": card.pk}).data] == ["quote"]
    assert [p["kind"] for p in viewer.get(url(journey_map), {"kind": "recording"}).data] == [
        "recording"
    ]
    assert len(viewer.get(url(journey_map), {"layer": "qualitative"}).data) == 1


def test_api_refuses_a_metric_value_that_is_not_a_number(client_for, bob, journey_map, stages):
    response = client_for(bob).post(
        url(journey_map), {**METRIC, "value": "abc", "stage": stages[0].pk}, format="json"
    )
    assert response.status_code == 400 and "value" in response.data
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
    ],
)
def test_api_refuses_recording_links_that_are_not_http(client_for, bob, journey_map, stages, link):
    response = client_for(bob).post(
        url(journey_map), {**RECORDING, "url": link, "stage": stages[0].pk}, format="json"
    )
    assert response.status_code == 400 and "url" in response.data
    assert not Evidence.objects.exists()


def test_api_refuses_unknown_fields_and_kinds(client_for, bob, journey_map, stages):
    client = client_for(bob)
    misspelt = client.post(
        url(journey_map), {**QUOTE, "stage": stages[0].pk, "whoo": "x"}, format="json"
    )
    no_kind = client.post(url(journey_map), {"text": "x", "stage": stages[0].pk}, format="json")
    assert misspelt.status_code == 400 and "whoo" in misspelt.data
    assert no_kind.status_code == 400 and "kind" in no_kind.data
    assert not Evidence.objects.exists()


def test_viewer_cannot_add_evidence_through_the_api(client_for, carol, journey_map, stages):
    response = client_for(carol).post(
        url(journey_map), {**QUOTE, "stage": stages[0].pk}, format="json"
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_outsider_gets_404_everywhere(client_for, bob, mallory, journey_map, stages):
    piece_id = attach(bob, journey_map, stages[0], **QUOTE).payload["evidence"]["id"]
    client = client_for(mallory)

    assert client.get(url(journey_map)).status_code == 404
    assert (
        client.post(url(journey_map), {**QUOTE, "stage": stages[0].pk}, format="json").status_code
        == 404
    )
    assert client.get(url(journey_map, f"{piece_id}/")).status_code == 404
    assert (
        client.patch(url(journey_map, f"{piece_id}/"), {"who": "x"}, format="json").status_code
        == 404
    )
    assert client.delete(url(journey_map, f"{piece_id}/")).status_code == 404
    assert client.get(f"/api/maps/{journey_map.pk}/coverage/").status_code == 404
    assert Evidence.objects.get().who == QUOTE["who"]


def test_api_patch_and_delete(client_for, bob, carol, journey_map, stages):
    piece_id = attach(bob, journey_map, stages[0], **METRIC).payload["evidence"]["id"]
    detail = url(journey_map, f"{piece_id}/")

    assert client_for(carol).patch(detail, {"value": 5}, format="json").status_code == 403
    changed_kind = client_for(bob).patch(detail, {"kind": "quote"}, format="json")
    patched = client_for(bob).patch(detail, {"value": 5.1}, format="json")
    deleted = client_for(bob).delete(detail)

    assert changed_kind.status_code == 400
    assert patched.status_code == 200 and patched.data["value"] == 5.1
    assert deleted.status_code == 204 and not Evidence.objects.exists()


def test_api_coverage(client_for, bob, carol, journey_map, stages):
    attach(bob, journey_map, stages[0], **METRIC)
    response = client_for(carol).get(f"/api/maps/{journey_map.pk}/coverage/")
    assert response.status_code == 200
    assert response.data["stages"][0]["layers"]["quantitative"] == 1
    assert response.data["summary"]["evidenced_stages"] == 1


def test_evidence_routes_are_in_the_schema(client_for, bob):
    response = client_for(bob).get("/api/schema/", {"format": "json"})
    paths = json.loads(response.content)["paths"]
    for path in (
        "/api/maps/{map_id}/evidence/",
        "/api/maps/{map_id}/evidence/{id}/",
        "/api/maps/{map_id}/evidence/import/preview/",
        "/api/maps/{map_id}/evidence/import/",
        "/api/maps/{map_id}/evidence/{id}/image",
        "/api/maps/{map_id}/coverage/",
    ):
        assert path in paths, path


# --- the admin ----------------------------------------------------------------------------


def test_admin_changes_and_deletes_through_the_services(client, bob, journey_map, stages):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", password="x"))
    piece_id = attach(bob, journey_map, stages[0], **QUOTE).payload["evidence"]["id"]
    before = revision_of(journey_map)
    change = f"/admin/evidence/evidence/{piece_id}/change/"

    page = client.get(change)
    saved = client.post(
        change,
        {
            "collected_on": "",
            "note": "",
            "text": "Cart = wishlist",
            "who": "Returning buyer",
            "source": "interview",
        },
    )
    deleted = client.post(f"/admin/evidence/evidence/{piece_id}/delete/", {"post": "yes"})

    assert page.status_code == 200 and b"question" not in page.content  # a quote's fields only
    assert saved.status_code == 302 and deleted.status_code == 302
    events = MapEvent.objects.filter(map=journey_map, revision__gt=before)
    assert [event.type for event in events] == ["evidence.updated", "evidence.deleted"]
    assert events[0].payload["evidence"]["text"] == "Cart = wishlist"
    assert not Evidence.objects.exists()


def test_patch_moves_a_card_piece_to_a_stage(client_for, bob, journey_map, stages, card):
    piece_id = services.evidence_attach(actor=bob, map=journey_map, card_id=card.pk, **QUOTE)
    detail = url(journey_map, f"{piece_id.payload['evidence']['id']}/")

    moved = client_for(bob).patch(detail, {"stage": stages[5].pk}, format="json")

    assert moved.status_code == 200, moved.data
    assert (moved.data["stage"], moved.data["card"]) == (stages[5].pk, None)


def test_counts_for_the_board_take_one_query_on_a_prefetched_board(bob, journey_map, stages, card):
    services.evidence_attach(actor=bob, map=journey_map, card_id=card.pk, **QUOTE)
    attach(bob, journey_map, stages[1], **METRIC)
    board = JourneyMap.objects.with_board().get(pk=journey_map.pk)

    with CaptureQueriesContext(connection) as captured:
        counts = coverage.evidence_counts(board)

    assert len(captured) == 1
    assert counts["stages"][stages[0].pk] == 1 and counts["stages"][stages[1].pk] == 1
    assert counts["stages"][stages[2].pk] == 0 and counts["cards"] == {card.pk: 1}
