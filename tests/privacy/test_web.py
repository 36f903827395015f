"""The "Your data" page (privacy/web.py): linked from every page's header, for the person logged
in only, with all of it to download as JSON."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_header_links_to_your_data(bob, workshop):
    page = logged_in(bob).get(f"/workshops/{workshop.pk}/").content.decode()

    assert 'href="/accounts/data/"' in page and "Your data" in page


def test_the_page_counts_what_is_held(bob, card):
    page = logged_in(bob).get("/accounts/data/")

    assert page.status_code == 200
    assert page.context["rows"][1] == ("Cards you wrote", 1)
    assert "Download your data" in page.content.decode()


def test_the_download_is_the_persons_data_and_is_not_cached(bob, card):
    download = logged_in(bob).get("/accounts/data/download/")

    assert download["Content-Disposition"].startswith('attachment; filename="your-data-')
    assert download["Cache-Control"] == "private, no-store"
    data = json.loads(download.content)
    assert data["account"]["username"] == "bob"
    assert [written["text"] for written in data["cards"]] == ["Adds items to the cart"]


def test_nobody_logged_in_is_sent_to_log_in(db):
    for path in ("/accounts/data/", "/accounts/data/download/"):
        answer = Client().get(path)
        assert answer.status_code == 302 and "/login" in answer["Location"]
