"""The cast of every test, as in healthchecks: Alice facilitates the workshop, Bob edits, Carol
views, and Mallory has no access at all."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from workshops import services
from workshops.models import Role


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default hasher takes about half a second per user by design; tests make four per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits count in the cache, which outlives a test (Redis's, under
    scripts/with-services): every test starts with none of them spent."""
    cache.clear()


@pytest.fixture
def in_memory_channel_layer(settings):
    """For tests that reach into the channel layer from several event loops (each async_to_sync
    runs its own): Redis's pub/sub layer keeps one layer per loop, so a channel made in one is
    unknown to the next. Such tests check what the services send, not the layer that carries it;
    the live-board tests, one loop each, run on whichever layer is configured."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture
def fresh_channel_layer():
    """Each async_to_sync runs its own event loop; the in-memory layer's queues must not outlive
    it. Live-board test modules use it for every test."""
    layer = get_channel_layer()
    async_to_sync(layer.flush)()
    yield
    async_to_sync(layer.flush)()


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", password="password", first_name="Alice")


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob", password="password", first_name="Bob")


@pytest.fixture
def carol(db):
    return User.objects.create_user("carol", password="password", first_name="Carol")


@pytest.fixture
def mallory(db):
    return User.objects.create_user("mallory", password="password", first_name="Mallory")


@pytest.fixture
def workshop(alice, bob, carol):
    workshop = services.workshop_create(actor=alice, name="Retail journeys")
    services.membership_set(actor=alice, workshop=workshop, user=bob, role=Role.EDITOR)
    services.membership_set(actor=alice, workshop=workshop, user=carol, role=Role.VIEWER)
    return workshop


@pytest.fixture
def journey_map(alice, workshop):
    """A B2C map: seven stages and the eight default lanes, no cards yet."""
    return services.map_create(
        actor=alice, workshop=workshop, title="Online shopping", template="b2c"
    )


@pytest.fixture
def stages(journey_map):
    return list(journey_map.stages.all())


@pytest.fixture
def lanes(journey_map):
    return {lane.kind: lane for lane in journey_map.lanes.all()}


@pytest.fixture
def card(bob, journey_map, stages, lanes):
    event = services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[0].pk,
        lane_id=lanes["actions"].pk,
        text="Adds items to the cart",
    )
    return journey_map.cards.get(pk=event.payload["card"]["id"])


@pytest.fixture
def client_for():
    """An API client logged in as the given user (or anonymous for None)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def run_tasks():
    """Run the queued background tasks through the real worker (django-tasks-db's db_worker),
    until none is left. The worker checks its database connection between tasks, so tests that
    use it need django_db(transaction=True)."""

    def run():
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
        )

    return run
