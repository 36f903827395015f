"""The map as one picture (documents/pdf/png.py): the PDF's map pages, drawn by PDFium, at the
width asked, within bounds; through the API for members, and through a share link that
allows it."""

import io

import pytest
from django.test import Client
from PIL import Image

from documents.pdf import png
from documents.sharing import links
from workshops import services
from workshops.services import voting

pytestmark = pytest.mark.django_db


def picture(answer) -> Image.Image:
    image = Image.open(io.BytesIO(answer.content))
    image.load()
    return image


def url_of(journey_map, query="") -> str:
    return f"/api/maps/{journey_map.pk}/export.png{query}"


def test_a_member_gets_a_png_of_the_width_asked(carol, journey_map, card, client_for):
    answer = client_for(carol).get(url_of(journey_map, "?width=1200"))

    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    assert answer["Content-Disposition"] == 'inline; filename="online-shopping.png"'
    image = picture(answer)
    assert image.format == "PNG"
    assert image.width == 1200
    assert image.height > 400


def test_without_a_width_the_picture_is_the_default_width(carol, journey_map, card, client_for):
    answer = client_for(carol).get(url_of(journey_map))

    assert picture(answer).width == png.DEFAULT_WIDTH


@pytest.mark.parametrize("width", ["399", "4001", "wide", "-5", "1e3"])
def test_a_width_outside_the_limits_is_refused_naming_them(carol, journey_map, client_for, width):
    answer = client_for(carol).get(url_of(journey_map, f"?width={width}"))

    assert answer.status_code == 400
    assert answer.json() == {"width": ["Give a width from 400 to 4,000 pixels."]}


def test_an_unknown_lane_is_refused(carol, journey_map, client_for):
    answer = client_for(carol).get(url_of(journey_map, "?lanes=999999"))

    assert answer.status_code == 400
    assert "lanes" in answer.json()


def test_outsiders_get_no_picture(mallory, journey_map, client_for):
    assert client_for(mallory).get(url_of(journey_map)).status_code == 404
    assert client_for(None).get(url_of(journey_map)).status_code == 401


def test_each_page_is_trimmed_of_the_paper_under_its_last_lane(
    carol, journey_map, card, client_for
):
    # Seven stages make two map pages; one card leaves most of each page blank.
    image = picture(client_for(carol).get(url_of(journey_map, "?width=1000")))

    whole_pages = 2 * 1000 * 210 / 297
    assert image.height < 0.9 * whole_pages


def test_fewer_lanes_make_a_shorter_picture(carol, journey_map, lanes, card, client_for):
    client = client_for(carol)

    every_lane = picture(client.get(url_of(journey_map, "?width=800")))
    two = f"?width=800&lanes={lanes['actions'].pk},{lanes['emotions'].pk}"
    fewer = picture(client.get(url_of(journey_map, two)))

    assert fewer.width == every_lane.width == 800
    assert fewer.height < every_lane.height


def test_a_private_card_leaves_the_picture_as_it_was(alice, bob, journey_map, stages, lanes, card):
    voting.private_start(actor=alice, map=journey_map)
    before = png.render_png(journey_map, width=600)

    services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[0].pk,
        lane_id=lanes["actions"].pk,
        text="A secret idea, long enough to take a line or two of the cell it is in",
    )

    after = png.render_png(journey_map, width=600)
    assert Image.open(io.BytesIO(after)).tobytes() == Image.open(io.BytesIO(before)).tobytes()


def test_more_cards_than_a_picture_draws_answer_409_pointing_to_fewer_lanes(
    settings, carol, journey_map, card, client_for
):
    settings.PDF_SYNC_MAX_CARDS = 0

    answer = client_for(carol).get(url_of(journey_map))

    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "picture_too_big"
    assert "fewer lanes" in body["detail"]


def test_a_picture_past_its_pixels_answers_409_with_the_widest_that_fits(
    monkeypatch, carol, journey_map, card, client_for
):
    monkeypatch.setattr(png, "MAX_PIXELS", 2_000_000)

    answer = client_for(carol).get(url_of(journey_map, "?width=4000"))

    assert answer.status_code == 409
    widest = answer.json()["widest"]
    assert png.MIN_WIDTH <= widest < 4000
    assert f"width={widest}" in answer.json()["detail"]
    fits = client_for(carol).get(url_of(journey_map, f"?width={widest}"))
    assert fits.status_code == 200


def test_a_share_link_gives_the_picture_only_when_allowed(alice, journey_map, card):
    _, allowed = links.share_link_create(actor=alice, map=journey_map)
    _, refused = links.share_link_create(actor=alice, map=journey_map, allow_png=False)

    answer = Client().get(f"/share/{allowed}/map.png?width=700")
    assert answer.status_code == 200
    assert picture(answer).width == 700
    assert answer["X-Robots-Tag"] == "noindex, nofollow"
    denied = Client().get(f"/share/{refused}/map.png?width=700")
    assert (denied.status_code, denied.content) == (404, b"")


def test_a_share_links_picture_refuses_a_width_outside_the_limits(alice, journey_map):
    _, token = links.share_link_create(actor=alice, map=journey_map)

    answer = Client().get(f"/share/{token}/map.png?width=5000")

    assert answer.status_code == 400
    assert answer.content.decode() == "Give a width from 400 to 4,000 pixels."
