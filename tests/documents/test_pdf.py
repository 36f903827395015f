"""The executive PDF: rendered for real and read back with pdftotext, as a reader would."""

import io
import re
import subprocess
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from documents import pdf
from workshops import services

PNG_SIZE = (1600, 1000)

INJECTIONS = [
    "<img src=file:///etc/passwd>",
    "<script>alert('pwned')</script>",
    '<img src="http://127.0.0.1:8000/admin/">',
]

STORY = {
    "Awareness": [
        ("touchpoints", "Instagram ad for the autumn collection", {}),
        ("emotions", "Curious", {"emotion_score": 1}),
    ],
    "Research": [
        ("actions", "Adds three items to the cart as a wishlist", {}),
        ("pain_points", "Size guide is hidden below the fold", {"severity": 2}),
    ],
    "Decision": [
        ("actions", "Returns three times before buying", {}),
        ("pain_points", "Cart forgets items after seven days", {"severity": 3}),
        ("emotions", "Frustrated", {"emotion_score": -2}),
    ],
    "Purchase": [
        ("pain_points", "Delivery cost appears late", {"severity": 1}),
        ("opportunities", "Remarketing to 3+ visit users", {}),
    ],
}


def add_card(actor, journey_map, stage, lane, text, **extra):
    event = services.card_create(
        actor=actor, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text, **extra
    )
    return event.payload["card"]["id"]


@pytest.fixture
def story_map(bob, journey_map, stages, lanes):
    by_title = {stage.title: stage for stage in stages}
    for title, cards in STORY.items():
        for kind, text, extra in cards:
            add_card(bob, journey_map, by_title[title], lanes[kind], text, **extra)
    return journey_map


def text_of(data: bytes, tmp_path, first=None, last=None) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    result = subprocess.run(
        ["pdftotext", "-raw", *pages, str(path), "-"], capture_output=True, check=True, text=True
    )
    return result.stdout


def squeezed(text: str) -> str:
    """Text without the line breaks and spaces that wrapping adds."""
    return re.sub(r"\s+", "", text)


def test_stage_titles_and_card_texts_appear_in_pdf(story_map, stages, tmp_path):
    text = squeezed(text_of(pdf.render_pdf(story_map), tmp_path))
    for stage in stages:
        assert squeezed(stage.title) in text
    for cards in STORY.values():
        for _, card_text, _ in cards:
            assert squeezed(card_text) in text


def test_cover_names_map_workshop_state_and_contributors(story_map, tmp_path):
    cover = text_of(pdf.render_pdf(story_map), tmp_path, first=1, last=1)
    for expected in ["Online shopping", "Retail journeys", "Current state", "Bob"]:
        assert expected in cover


def test_summary_ranks_pain_points_by_severity(story_map, tmp_path):
    summary = text_of(pdf.render_pdf(story_map), tmp_path, first=2, last=2)
    order = [
        summary.index(text)
        for text in ["Cart forgets items", "Size guide is hidden", "Delivery cost appears late"]
    ]
    assert order == sorted(order)


def test_pain_points_rank_by_severity_then_votes_then_evidence():
    def point(severity, votes=0, evidence=0):
        return pdf.PainPoint(
            card=SimpleNamespace(severity=severity),
            stage=SimpleNamespace(position=0),
            evidence=[None] * evidence,
            votes=votes,
        )

    high, voted, evidenced, plain = point(3), point(2, votes=5), point(2, evidence=3), point(2)
    low = point(1, votes=50, evidence=9)
    ranked = sorted([low, plain, evidenced, voted, high], key=lambda p: p.rank_key)
    assert [id(p) for p in ranked] == [id(high), id(voted), id(evidenced), id(plain), id(low)]


def test_injection_payloads_print_as_text(bob, story_map, stages, lanes, tmp_path, monkeypatch):
    for payload in INJECTIONS:
        add_card(bob, story_map, stages[0], lanes["thoughts"], payload)
    fetched = []
    original = pdf.MapFetcher.fetch
    monkeypatch.setattr(
        pdf.MapFetcher,
        "fetch",
        lambda self, url, headers=None: fetched.append(url) or original(self, url),
    )
    text = squeezed(text_of(pdf.render_pdf(story_map), tmp_path))
    for payload in INJECTIONS:
        assert squeezed(payload) in text
    assert fetched == [pdf.BASE_URL + "static/css/print.css"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "http://localhost:8000/api/maps/1/",
        "http://example.com/",
        "https://example.com/static/css/print.css",
        pdf.BASE_URL + "static/../../../../etc/passwd",
        pdf.BASE_URL + "media/evidence/other-map/heatmap.png",
        pdf.BASE_URL + "etc/passwd",
        "data:text/plain,hello",
    ],
)
def test_fetcher_refuses_everything_else(url):
    fetcher = pdf.MapFetcher(allowed_media={"evidence/this-map/heatmap.png"})
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_fetcher_serves_the_print_stylesheet():
    response = pdf.MapFetcher().fetch(pdf.BASE_URL + "static/css/print.css")
    assert b"@page" in response.read()


def test_fetcher_serves_this_maps_images_scaled_down(tmp_path, settings):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "evidence").mkdir()
    Image.new("RGB", (3000, 1500), "teal").save(tmp_path / "evidence" / "heatmap.png")
    fetcher = pdf.MapFetcher(allowed_media={"evidence/heatmap.png"})
    response = fetcher.fetch(pdf.BASE_URL + "media/evidence/heatmap.png")
    with Image.open(response) as image:
        assert max(image.size) == pdf.THUMBNAIL_PX


def test_excluding_a_lane_removes_its_cards(story_map, lanes, tmp_path):
    kept = [lane.pk for kind, lane in lanes.items() if kind != "pain_points"]
    options = pdf.ExportOptions(lane_ids=frozenset(kept))
    text = squeezed(text_of(pdf.render_pdf(story_map, options), tmp_path))
    assert squeezed("Cart forgets items after seven days") not in text
    assert squeezed("Returns three times before buying") in text


def test_evidence_sections_only_when_asked(story_map, tmp_path):
    with_evidence = text_of(pdf.render_pdf(story_map), tmp_path)
    without = text_of(
        pdf.render_pdf(story_map, pdf.ExportOptions(include_evidence=False)), tmp_path
    )
    assert "Evidence by stage" in with_evidence
    assert "Evidence by stage" not in without


def test_pdf_has_outline_title_and_language(story_map, stages):
    document = pdf.layout(story_map)
    outline = {
        label: [child[0] for child in children]
        for label, _, children, _ in document.make_bookmark_tree()
    }
    assert list(outline) == ["Cover", "Executive summary", "The journey", "Evidence by stage"]
    assert outline["The journey"] == ["stages 1–4 of 7", "stages 5–7 of 7"]
    assert outline["Evidence by stage"] == [
        f"{s.number} {s.title}" for s in pdf.gather(story_map)["stages"]
    ]
    assert document.metadata.title.startswith("Online shopping")
    assert document.metadata.lang == "en"
    html = pdf.render_html(story_map)
    assert '<html lang="en">' in html and '<meta name="author"' in html


def test_a_wide_map_repeats_lane_titles_on_every_map_page(alice, bob, journey_map, lanes, tmp_path):
    for index in range(5):  # 7 + 5 = 12 stages: two map pages of six
        services.stage_create(actor=alice, map=journey_map, title=f"Extra {index}")
    data = pdf.render_pdf(journey_map, pdf.ExportOptions(include_evidence=False))
    pages = text_of(data, tmp_path).split("\f")
    map_pages = [page for page in pages if re.search(r"stages \d+–\d+ of 12", page)]
    assert len(map_pages) == 2
    for page in map_pages:
        assert "PAIN POINTS" in page and "OPPORTUNITIES" in page


def test_a_2000_character_card_is_printed_whole(bob, journey_map, stages, lanes, tmp_path):
    text = " ".join(f"w{n:04d}" for n in range(400))[:2000]
    add_card(bob, journey_map, stages[3], lanes["thoughts"], text)
    unbroken = "x" * 1990 + "ENDMARKER"
    add_card(bob, journey_map, stages[4], lanes["thoughts"], unbroken)
    printed = text_of(pdf.render_pdf(journey_map), tmp_path)
    # The card runs over a page break, where the footer and repeated header come between.
    words = [word for word in printed.split() if word.startswith("w0")]
    assert words == text.split()
    assert unbroken in squeezed(printed)


def test_an_empty_map_renders(alice, workshop, tmp_path):
    empty = services.map_create(actor=alice, workshop=workshop, title="Blank", template="blank")
    text = text_of(pdf.render_pdf(empty), tmp_path)
    assert "This map has no stages yet." in text


def test_a_map_of_30_stages_renders(alice, bob, journey_map, lanes, tmp_path):
    for index in range(23):
        services.stage_create(actor=alice, map=journey_map, title=f"Step {index + 8}")
    stage = journey_map.stages.last()
    add_card(bob, journey_map, stage, lanes["emotions"], "Last of all", emotion_score=2)
    text = text_of(pdf.render_pdf(journey_map), tmp_path)
    assert "stages 25–30 of 30" in text and "Last of all" in text


def test_stages_split_into_balanced_pages():
    assert [len(group) for group in pdf.chunks(7)] == [4, 3]
    assert [len(group) for group in pdf.chunks(12)] == [6, 6]
    assert [len(group) for group in pdf.chunks(30)] == [6] * 5
    assert pdf.chunks(0) == []


def test_emotion_curve_is_vector_svg_in_the_html(story_map):
    html = pdf.render_html(story_map)
    assert "<svg" in html and "<circle" in html and "<img" not in html.split("<body>")[1]


def test_api_returns_pdf_to_a_viewer(carol, story_map, client_for):
    response = client_for(carol).get(f"/api/maps/{story_map.pk}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_api_accepts_pdf_in_accept_header(carol, story_map, client_for):
    response = client_for(carol).get(
        f"/api/maps/{story_map.pk}/export.pdf", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200


def test_api_hides_the_map_from_mallory(mallory, story_map, client_for):
    response = client_for(mallory).get(f"/api/maps/{story_map.pk}/export.pdf")
    assert response.status_code == 404


def test_api_refuses_a_lane_of_another_map(alice, bob, workshop, story_map, client_for):
    other = services.map_create(actor=alice, workshop=workshop, title="Other")
    lane = other.lanes.first()
    response = client_for(bob).get(f"/api/maps/{story_map.pk}/export.pdf?lanes={lane.pk}")
    assert response.status_code == 400


def test_api_lane_option_changes_the_content(bob, story_map, lanes, client_for, tmp_path):
    response = client_for(bob).get(
        f"/api/maps/{story_map.pk}/export.pdf?lanes={lanes['actions'].pk}&evidence=0"
    )
    text = text_of(response.content, tmp_path)
    assert "Returns three times before buying" in text
    assert "Instagram ad" not in text and "Evidence by stage" not in text


def test_page_download_returns_pdf_to_a_member(client, bob, story_map):
    client.force_login(bob)
    response = client.get(f"/maps/{story_map.pk}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="online-shopping.pdf"' in response["Content-Disposition"]


def test_page_download_is_404_for_mallory(client, mallory, story_map):
    client.force_login(mallory)
    assert client.get(f"/maps/{story_map.pk}/export.pdf").status_code == 404


def test_export_command_writes_a_file(story_map, tmp_path):
    target = tmp_path / "map.pdf"
    call_command("export_pdf", story_map.pk, str(target), "--no-evidence")
    assert "Returns three times before buying" in text_of(target.read_bytes(), tmp_path)


def test_page_download_refuses_a_malformed_option(client, bob, story_map):
    client.force_login(bob)
    response = client.get(f"/maps/{story_map.pk}/export.pdf?evidence=maybe")
    assert response.status_code == 400


def test_board_page_links_to_the_pdf(client, carol, journey_map):
    client.force_login(carol)
    response = client.get(f"/maps/{journey_map.pk}/")
    assert f'href="/maps/{journey_map.pk}/export.pdf"' in response.content.decode()


@pytest.fixture
def demo_maps(db):
    from workshops.models import JourneyMap

    call_command("load_demo", stdout=io.StringIO())
    return {m.title: m for m in JourneyMap.objects.all()}


def test_demo_maps_read_back_whole(demo_maps, tmp_path):
    retail = squeezed(text_of(pdf.render_pdf(demo_maps["Online clothing purchase"]), tmp_path))
    insurer_map = demo_maps["Buying business insurance online"]
    insurer = squeezed(text_of(pdf.render_pdf(insurer_map), tmp_path))
    assert squeezed("Hannah, the careful repeat browser") in retail
    assert squeezed("comes back on average three times before buying") in retail
    for stage in insurer_map.stages.all():
        assert squeezed(stage.title) in insurer
    for card in insurer_map.cards.all():
        assert squeezed(card.text) in insurer
    assert squeezed("only 3% of visitors click it") in insurer


def test_page_download_sends_anonymous_users_to_log_in(client, story_map):
    response = client.get(f"/maps/{story_map.pk}/export.pdf")
    assert response.status_code == 302 and "login" in response["Location"]


def png_upload(name="heatmap.png", color="orange"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", PNG_SIZE, color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def evidenced_map(bob, story_map, stages, media):
    """The insurer's figures on the story map: a metric, a quote, a survey answer, a recording
    and a heatmap on the Decision stage, and a metric on its worst pain point."""
    from evidence import services as evidence

    decision = stages[2]
    pain = story_map.cards.get(text__startswith="Cart forgets")

    def attach(**kw):
        evidence.evidence_attach(actor=bob, map=story_map, **kw)

    attach(
        kind="metric",
        stage_id=decision.pk,
        name="Buy Policy click rate",
        value=4.5,
        baseline=3,
        unit="%",
        source="GA4",
        period="Q3 2026",
        sample_size=18200,
    )
    attach(kind="metric", card_id=pain.pk, name="Carts lost after 7 days", value=31, unit="%")
    attach(
        kind="quote",
        stage_id=decision.pk,
        text="I keep the cart as my wishlist.",
        who="Interview 4",
    )
    attach(
        kind="survey",
        stage_id=decision.pk,
        question="How easy was it to find your size?",
        answer="Hard, the guide is hidden",
        score=4,
        score_scale="nps",
        segment="Mobile",
    )
    attach(
        kind="recording",
        stage_id=decision.pk,
        url="https://insights.hotjar.com/r?site=1&recording=42",
        start_seconds=83,
    )
    attach(kind="image", stage_id=decision.pk, image=png_upload(), caption="Checkout heatmap")
    return story_map


def test_metric_figures_appear_with_their_change(evidenced_map, tmp_path):
    text = text_of(pdf.render_pdf(evidenced_map), tmp_path)
    summary = text.split("\f")[1]
    assert "Buy Policy click rate" in summary
    assert "3%" in summary and "4.5%" in summary and "+50%" in summary
    assert "Carts lost after 7 days" in text and "31%" in text


def test_evidence_section_shows_quotes_survey_recordings_and_images(
    evidenced_map, tmp_path, monkeypatch
):
    fetched = []
    original = pdf.MapFetcher.fetch
    monkeypatch.setattr(
        pdf.MapFetcher,
        "fetch",
        lambda self, url, headers=None: fetched.append(url) or original(self, url),
    )
    data = pdf.render_pdf(evidenced_map)
    text = squeezed(text_of(data, tmp_path))
    for expected in [
        "I keep the cart as my wishlist.",
        "How easy was it to find your size?",
        "Hard, the guide is hidden",
        "4 / 10",
        "Hotjar recording",
        "from 1:23",
        "Checkout heatmap",
    ]:
        assert squeezed(expected) in text
    assert any("/media/evidence/thumbs/" in url for url in fetched)
    images = (
        subprocess.run(["pdfimages", "-list", "-"], input=data, capture_output=True, check=True)
        .stdout.decode()
        .splitlines()[2:]
    )
    assert len(images) == 1
    width = int(images[0].split()[3])
    assert width <= pdf.THUMBNAIL_PX  # a thumbnail went in, not the 1600-pixel original


def test_recording_links_work_in_the_pdf(evidenced_map):
    links = [link for page in pdf.layout(evidenced_map).pages for link in page.links]
    external = [target for kind, target, *_ in links if kind == "external"]
    assert "https://insights.hotjar.com/r?site=1&recording=42" in external


def test_coverage_per_stage_and_layer_in_summary(evidenced_map, tmp_path):
    summary = text_of(pdf.render_pdf(evidenced_map), tmp_path).split("\f")[1]
    decision_row = next(
        line for line in summary.splitlines() if "Decision" in line and line.strip().startswith("3")
    )
    # Quantitative: the stage's metric and the one on its pain-point card.
    assert decision_row.split()[-3:] == ["2", "2", "2"]
    research_row = next(
        line for line in summary.splitlines() if "Research" in line and line.strip().startswith("2")
    )
    assert research_row.split()[-3:] == ["—", "—", "—"]


def test_pain_point_evidence_is_named(evidenced_map):
    top = pdf.gather(evidenced_map)["pain_points"][0]
    assert top.card.text.startswith("Cart forgets")
    assert top.evidence_note == "Evidenced: 1 piece (quantitative)"


def test_better_evidenced_pain_point_ranks_first_at_equal_severity(
    bob, evidenced_map, stages, lanes
):
    from evidence import services as evidence

    add_card(bob, evidenced_map, stages[1], lanes["pain_points"], "Also severe", severity=3)
    points = pdf.gather(evidenced_map)["pain_points"]
    assert [p.card.text for p in points[:2]] == [
        "Cart forgets items after seven days",
        "Also severe",
    ]
    also = evidenced_map.cards.get(text="Also severe")
    for n in range(2):
        evidence.evidence_attach(
            actor=bob, map=evidenced_map, kind="quote", card_id=also.pk, text=f"Quote {n}"
        )
    points = pdf.gather(evidenced_map)["pain_points"]
    assert points[0].card.text == "Also severe"


def test_no_evidence_sections_when_off(evidenced_map, tmp_path):
    options = pdf.ExportOptions(include_evidence=False)
    text = text_of(pdf.render_pdf(evidenced_map, options), tmp_path)
    assert "I keep the cart as my wishlist." not in text
    assert "Hotjar recording" not in text
    assert "+50%" in text  # the summary keeps its key metrics


def test_excluded_lane_takes_its_cards_evidence_along(evidenced_map, lanes, tmp_path):
    kept = frozenset(lane.pk for kind, lane in lanes.items() if kind != "pain_points")
    text = text_of(pdf.render_pdf(evidenced_map, pdf.ExportOptions(lane_ids=kept)), tmp_path)
    assert "Carts lost after 7 days" not in text
    assert "Buy Policy click rate" in text


def test_another_maps_image_is_refused(alice, bob, workshop, evidenced_map, media):
    from evidence import services as evidence
    from evidence.models import Evidence

    other = services.map_create(actor=alice, workshop=workshop, title="Other map")
    evidence.evidence_attach(
        actor=bob, map=other, kind="image", image=png_upload(), stage_id=other.stages.first().pk
    )
    theirs = Evidence.objects.get(map=other, kind="image")
    fetcher = pdf.MapFetcher(allowed_media=pdf.media_of(evidenced_map))
    with pytest.raises(ValueError):
        fetcher.fetch(pdf.BASE_URL + "media/" + theirs.thumbnail.name)
    with pytest.raises(ValueError):
        fetcher.fetch(pdf.BASE_URL + "media/" + theirs.image.name)
    ours = Evidence.objects.get(map=evidenced_map, kind="image")
    assert fetcher.fetch(pdf.BASE_URL + "media/" + ours.thumbnail.name).read()


def test_a_map_with_no_evidence_says_its_stages_are_assumptions(story_map, tmp_path):
    text = text_of(pdf.render_pdf(story_map), tmp_path)
    assert "No metrics attached yet." in text
    assert text.count("No evidence yet") == story_map.stages.count()


def test_number_formats():
    assert pdf.number(4.5) == "4.5" and pdf.number(3.0) == "3" and pdf.number(12400) == "12,400"
    assert pdf.quantity(0.84, "%") == "0.84%" and pdf.quantity(2, "s") == "2 s"
    assert pdf.signed_percent(0.5) == "+50%" and pdf.signed_percent(-0.125) == "\u221212%"


def test_cover_shows_the_personas_photo(alice, workshop, story_map, media, tmp_path):
    from django.core.files.base import ContentFile

    persona = services.persona_create(actor=alice, workshop=workshop, name="Hannah")
    persona.photo.save("hannah.png", ContentFile(png_upload().read()))
    services.map_update(actor=alice, map=story_map, persona=persona.pk)
    data = pdf.render_pdf(story_map)
    assert "Hannah" in text_of(data, tmp_path, first=1, last=1)
    images = (
        subprocess.run(["pdfimages", "-list", "-"], input=data, capture_output=True, check=True)
        .stdout.decode()
        .splitlines()[2:]
    )
    assert len(images) == 1


def test_gathering_takes_the_same_queries_whatever_the_size(bob, evidenced_map, stages, lanes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evidence import services as evidence

    def queries():
        with CaptureQueriesContext(connection) as captured:
            pdf.gather(evidenced_map)
        return len(captured)

    before = queries()
    for stage in stages:
        card_id = add_card(bob, evidenced_map, stage, lanes["pain_points"], "More", severity=2)
        evidence.evidence_attach(
            actor=bob, map=evidenced_map, kind="quote", card_id=card_id, text="Another quote"
        )
    assert queries() == before


def test_export_command_takes_lanes_and_refuses_unknown_ones(story_map, lanes, tmp_path):
    from django.core.management.base import CommandError

    target = tmp_path / "actions.pdf"
    call_command("export_pdf", story_map.pk, str(target), "--lanes", str(lanes["actions"].pk))
    text = text_of(target.read_bytes(), tmp_path)
    assert "Returns three times before buying" in text and "Instagram ad" not in text
    with pytest.raises(CommandError):
        call_command("export_pdf", story_map.pk, str(target), "--lanes", "999999")
