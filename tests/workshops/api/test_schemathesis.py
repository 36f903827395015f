"""The API held to its own OpenAPI schema by schemathesis, for every operation of /api/schema/.

Schemathesis generates requests from the schema, valid ones and invalid ones, and sends them
through the WSGI application as Alice, who facilitates a real workshop (so she edits its map
too): unless the path is what a request gets wrong, its ids are those of her workshop's rows, so
that reads and writes, valid or not, reach real rows; an invalid path keeps the ids schemathesis
made up (huge, negative, text).
A test fails on any 500, on an answer the schema does not list (status, content type, headers,
body), and on an invalid request that is not refused.

Bounded to stay part of the fast suite: a few examples per operation, no deadline, and the same
examples on every run, so that a failure comes from a change rather than from chance. To explore
further: CJM_SCHEMATHESIS_EXAMPLES=200 CJM_SCHEMATHESIS_RANDOM=1 .venv/bin/pytest <this file>.
"""

import os
from types import SimpleNamespace

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from documents import versions
from evidence import services as evidence_services
from workshops import services
from workshops.models import Role
from workshops.services import accounts, comments, invites

EXAMPLES_PER_OPERATION = int(os.environ.get("CJM_SCHEMATHESIS_EXAMPLES", "12"))
RANDOM = os.environ.get("CJM_SCHEMATHESIS_RANDOM") == "1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# In a form every value is text: an object or a number sent in one arrives as the text it was
# written as, so there is no invalid type to refuse.
FORM_CHECKS = [check for check in CHECKS if check is not negative_data_rejection]
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


# Read when the module is collected, through the application itself (the schema view reads no
# database).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
schema.config.generation.update(max_examples=EXAMPLES_PER_OPERATION)


@pytest.fixture
def connection_kept():
    """As Django's test client does: the end of a request must not close the database
    connection, which would end the test's transaction (on PostgreSQL; SQLite keeps it)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(connection_kept, alice, bob, workshop, journey_map, stages, lanes, card):
    """Alice's workshop with one of everything, and the ids to put in paths."""
    piece = evidence_services.evidence_attach(
        actor=bob, map=journey_map, kind="metric", stage_id=stages[0].pk, name="Sign-ups", value=1.2
    )
    version = versions.version_save(actor=bob, map=journey_map, name="Q3 review")
    persona = services.persona_create(actor=alice, workshop=workshop, name="Returning buyer")
    invite = invites.invite_create(actor=alice, workshop=workshop, role=Role.EDITOR, expires="7d")
    token, secret = accounts.token_create(user=alice)
    comment = comments.comment_create(actor=alice, map=journey_map, card_id=card.pk, text="Why?")
    ids = {
        "workshop_id": workshop.pk,
        "map_id": journey_map.pk,
        "stage_id": stages[1].pk,
        "lane_id": lanes["kpis"].pk,
        "card_id": card.pk,
        "pk": piece.payload["evidence"]["id"],
        "version_id": version.pk,
        "persona_id": persona.pk,
        "invite_id": invite.pk,
        "user_id": bob.pk,
        "key": token.token_key,
        "comment_id": comment.payload["comment"]["id"],
    }
    return SimpleNamespace(ids=ids, headers={"Authorization": f"Token {secret}"})


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=not RANDOM,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_the_api_answers_as_its_schema_says(case, world):
    if case.meta is None or not case.meta.is_negative_at(ParameterLocation.PATH):
        path = case.path_parameters or {}
        case.path_parameters = {
            **path,
            **{name: world.ids[name] for name in path if name in world.ids},
        }
    checks = FORM_CHECKS if case.media_type in FORMS else CHECKS
    case.call_and_validate(headers=world.headers, checks=checks)
