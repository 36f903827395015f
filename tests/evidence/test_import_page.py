"""The import page: editors get it with the map's stages and the import API's addresses; a
viewer is told why not, an outsider learns nothing; the board and the workshop page link to it
for editors only. What the page does with a file is in tests/browser/test_evidence_import.py."""

import json

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    logged_in = Client()
    logged_in.force_login(user)
    return logged_in


def page_url(journey_map) -> str:
    return reverse("map-evidence-import", args=[journey_map.pk])


def embedded_stages(html: str) -> list:
    start = html.index('<script id="import-stages" type="application/json">')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)


def test_editor_gets_the_page_with_the_maps_stages_in_order(bob, journey_map, stages):
    answer = client(bob).get(page_url(journey_map))

    assert answer.status_code == 200
    html = answer.content.decode()
    assert embedded_stages(html) == [{"id": stage.pk, "title": stage.title} for stage in stages]
    assert '<input type="file" id="import-file"' in html and 'for="import-file"' in html
    assert "js/import-page" in html


def test_the_page_carries_the_api_addresses_it_posts_to(alice, journey_map):
    html = client(alice).get(page_url(journey_map)).content.decode()

    map_id = journey_map.pk
    assert f'data-preview-url="/api/maps/{map_id}/evidence/import/preview/"' in html
    assert f'data-import-url="/api/maps/{map_id}/evidence/import/"' in html
    assert f'data-board-url="/maps/{map_id}/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_viewer_is_refused_with_the_reason(carol, journey_map):
    answer = client(carol).get(page_url(journey_map))

    assert answer.status_code == 403
    assert "editor role" in answer.content.decode()


def test_outsider_gets_404_and_anonymous_goes_to_log_in(mallory, journey_map):
    assert client(mallory).get(page_url(journey_map)).status_code == 404
    answer = Client().get(page_url(journey_map))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


def test_board_links_to_the_page_for_editors_only(bob, carol, journey_map):
    link = f'href="{page_url(journey_map)}"'
    board = reverse("map-board", args=[journey_map.pk])

    assert link in client(bob).get(board).content.decode()
    assert link not in client(carol).get(board).content.decode()


def test_workshop_page_links_each_map_to_it_for_editors_only(alice, bob, carol, journey_map):
    link = f'href="{page_url(journey_map)}"'
    workshop = reverse("workshop-detail", args=[journey_map.workshop_id])

    for user in (alice, bob):
        assert link in client(user).get(workshop).content.decode()
    assert link not in client(carol).get(workshop).content.decode()
