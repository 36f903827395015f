"""The site's 404 and 500 pages in both modes: DEBUG=0 (production) and DEBUG=1 (`make run`, the
demo), where Django would show its technical pages to the room; DEBUG_TECHNICAL_PAGES=1 brings
those back for a developer. The API answers JSON either way."""

import logging

import pytest
from django.http import Http404
from django.test import Client
from django.urls import path

import cjm.urls

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a fault on purpose")


def gone(request):
    raise Http404("No JourneyMap matches the given query.")


# The project's URLs and a few that fail, for these tests (pytest.mark.urls).
urlpatterns = [
    *cjm.urls.urlpatterns,
    path("boom/", boom),
    path("gone/", gone),
    path("api/boom/", boom),
]


@pytest.fixture(params=[False, True], ids=["DEBUG=0", "DEBUG=1"])
def mode(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_an_unknown_address_answers_the_sites_page_in_both_modes(mode, alice):
    client = Client()
    client.force_login(alice)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Page not found" in text and "Go to your workshops" in text
    assert "URLconf" not in text and "Using the URLconf" not in text  # no URL list


@pytest.mark.urls(__name__)
def test_a_view_s_404_answers_the_sites_page_in_both_modes(mode):
    response = Client().get("/gone/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Page not found" in text and "No JourneyMap matches" not in text


@pytest.mark.urls(__name__)
def test_a_fault_answers_the_sites_500_page_in_both_modes(mode, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong on our side" in text
    assert "Traceback" not in text and "a fault on purpose" not in text
    # The person running the server still reads what went wrong.
    assert any("a fault on purpose" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_a_missing_slash_is_still_redirected_in_debug(settings, alice, workshop):
    settings.DEBUG = True
    client = Client()
    client.force_login(alice)
    response = client.get(f"/workshops/{workshop.pk}")
    assert response.status_code == 301
    assert response.url == f"/workshops/{workshop.pk}/"


@pytest.mark.urls(__name__)
def test_technical_pages_come_back_when_asked(settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_PAGES = True
    response = Client(raise_request_exception=False).get("/no-such-page/")
    assert response.status_code == 404
    assert "Using the URLconf" in response.content.decode()


@pytest.mark.urls(__name__)
def test_the_api_answers_json_in_debug_too(settings):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    assert client.get("/api/no-such-thing/").json() == {"detail": "Not found."}
    assert client.get("/api/boom/").json() == {"detail": "Server error."}
