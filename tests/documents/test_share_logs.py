"""A share link's token never reaches a log (documents/sharing/logs.py, cjm/serve.py): what
Django logs of a share path, and Daphne's access log, keep only the token's first characters."""

import io
import logging

import pytest
from daphne.access import AccessLogGenerator
from django.test import Client

from cjm.serve import hiding
from documents.sharing import links
from documents.sharing.logs import HideShareTokens, hide_tokens

pytestmark = pytest.mark.django_db

TOKEN = "Ab3dEf" + "x" * 37


def test_a_share_path_keeps_only_the_tokens_hint():
    assert (
        hide_tokens(f"GET /share/{TOKEN}/map.png?width=800")
        == "GET /share/Ab3dEf…/map.png?width=800"
    )
    assert hide_tokens("/share/abc/") == "/share/abc…/"
    assert hide_tokens("/maps/7/share/") == "/maps/7/share/…"
    assert hide_tokens("/maps/7/versions/") == "/maps/7/versions/"


@pytest.fixture
def console():
    """What the settings' console handler (LOGGING) writes, while the test runs."""
    (handler,) = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, HideShareTokens) for f in handler.filters)
    ]
    written = io.StringIO()
    kept = handler.setStream(written)
    yield written
    handler.setStream(kept)


def test_what_django_logs_of_a_share_link_holds_no_token(alice, journey_map, console):
    _, token = links.share_link_create(actor=alice, map=journey_map)
    links.share_link_revoke(actor=alice, link=journey_map.share_links.get())

    assert Client().get(f"/share/{token}/board.json").status_code == 404

    logged = console.getvalue()
    assert f"Not Found: /share/{token[:6]}…/board.json" in logged
    assert token not in logged


def test_daphnes_access_log_holds_no_token():
    stream = io.StringIO()
    log = hiding(AccessLogGenerator(stream))

    details = {"client": "127.0.0.1:5000", "method": "GET", "status": 200, "size": 10}
    log("http", "complete", {**details, "path": f"/share/{TOKEN}/"})
    log("http", "complete", {**details, "path": "/maps/7/"})

    lines = stream.getvalue().splitlines()
    assert '"GET /share/Ab3dEf…/" 200' in lines[0]
    assert TOKEN not in stream.getvalue()
    assert '"GET /maps/7/" 200' in lines[1]
