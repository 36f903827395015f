"""The board's Download PDF in Chromium: it leads to the map's export page, where the PDF is made
by the server's background worker and offered for download once it is ready."""

import pytest
from playwright.sync_api import expect

from documents.models import PdfExport
from workshops import services

from .conftest import orm

pytestmark = pytest.mark.browser


def _a_card(cast, journey_map):
    stage = journey_map.stages.first()
    lane = journey_map.lanes.get(kind="actions")
    services.card_create(
        actor=cast["bob"],
        map=journey_map,
        stage_id=stage.pk,
        lane_id=lane.pk,
        text="Compares sizes",
    )


def _delete_files(journey_map):
    for export in PdfExport.objects.filter(map=journey_map):
        export.file.delete(save=False)


def test_download_pdf_makes_the_pdf_in_the_background_and_offers_it(board_page, cast, journey_map):
    orm(_a_card, cast, journey_map)
    page = board_page("carol", journey_map)

    page.get_by_role("link", name="Download PDF").click()
    expect(page.get_by_role("heading", name="“Online shopping” as a PDF")).to_be_visible()
    page.get_by_role("button", name="Make the PDF").click()

    item = page.locator(".export-item").first
    download_link = item.get_by_role("link", name="Download PDF")
    expect(download_link).to_be_visible(timeout=30_000)  # queued, rendered by the worker thread
    expect(item.locator(".export-status")).to_have_text("Ready to download")
    with page.expect_download() as downloaded:
        download_link.click()
    path = downloaded.value.path()
    try:
        assert downloaded.value.suggested_filename == "online-shopping.pdf"
        with open(path, "rb") as handle:
            assert handle.read(5) == b"%PDF-"
    finally:
        orm(_delete_files, journey_map)
