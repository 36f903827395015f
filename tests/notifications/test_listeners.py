"""The hook the map domain offers (workshops/services/pipeline.py): listeners hear each change
once it has committed, beside the broadcast, and one that fails breaks neither the change, nor
the broadcast, nor the other listeners. A version saved is announced the same way."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from documents import versions
from notifications import webhooks
from workshops import services
from workshops.models import MapEvent
from workshops.services import pipeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def listeners(monkeypatch):
    """Listeners registered for one test only (the app's own stay registered)."""
    monkeypatch.setattr(pipeline, "_event_listeners", list(pipeline._event_listeners))
    monkeypatch.setattr(pipeline, "_announcement_listeners", list(pipeline._announcement_listeners))


@pytest.fixture
def board_channel(journey_map, in_memory_channel_layer):
    layer = get_channel_layer()
    async_to_sync(layer.flush)()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(journey_map.group_name, channel)
    yield channel
    async_to_sync(layer.flush)()


async def _receive(channel, timeout):
    try:
        return await asyncio.wait_for(get_channel_layer().receive(channel), timeout)
    except TimeoutError:
        return None


def test_a_failing_listener_breaks_neither_the_change_nor_the_broadcast(
    bob, journey_map, card, listeners, board_channel, django_capture_on_commit_callbacks, caplog
):
    heard = []

    def broken(event):
        raise RuntimeError("a listener's bug")

    pipeline.register_event_listener(broken)
    pipeline.register_event_listener(heard.append)
    with django_capture_on_commit_callbacks(execute=True):
        event = services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Live")

    assert MapEvent.objects.filter(pk=event.pk, type="card.updated").exists()
    assert async_to_sync(_receive)(board_channel, 1)["revision"] == event.revision
    assert heard == [event]
    assert "A listener failed on" in caplog.text


def test_listeners_hear_nothing_of_a_change_rolled_back(
    bob, journey_map, card, listeners, django_capture_on_commit_callbacks
):
    heard = []
    pipeline.register_event_listener(heard.append)
    pipeline.register_announcement_listener(lambda kind, subject: heard.append(kind))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Undone")
            versions.version_save(actor=bob, map=journey_map, name="Never")
            raise RuntimeError("the caller's own failure, after the change")
    assert heard == []


def test_a_saved_version_is_announced_once_committed(
    bob, journey_map, listeners, django_capture_on_commit_callbacks
):
    heard = []
    pipeline.register_announcement_listener(lambda kind, subject: heard.append((kind, subject)))
    with django_capture_on_commit_callbacks() as callbacks:
        version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
        assert heard == []
    for callback in callbacks:
        callback()
    assert heard == [("version.saved", version)]


def test_changes_no_endpoint_wants_queue_nothing(
    alice, bob, workshop, journey_map, card, django_capture_on_commit_callbacks
):
    webhooks.webhook_create(
        actor=alice, workshop=workshop, url="https://r.example/", events=["vote.closed"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.card_update(actor=bob, map=journey_map, card_id=card.pk, text="Edited")
        versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    assert not DBTaskResult.objects.exists()
