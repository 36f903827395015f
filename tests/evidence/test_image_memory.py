"""Pictures near the pixel limit cost 120-160 MB each decoded, whatever the size of their file:
a process decodes at most MAX_PIXELS of them at once, and the others wait for their turn
(bench/image_memory.py measures the memory)."""

import io
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from evidence import images

PATIENCE = 10  # seconds: only a broken budget waits this long


def png(size) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def hold(budget: images.PixelBudget, pixels: int):
    """Reserve in a thread of its own and keep it until released; wait until it holds it."""
    holding, release = threading.Event(), threading.Event()

    def run():
        with budget.reserve(pixels):
            holding.set()
            release.wait(PATIENCE)

    thread = threading.Thread(target=run)
    thread.start()
    assert holding.wait(PATIENCE)
    return thread, release


def wait_until(condition) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, "the condition never came"
        time.sleep(0.005)


def test_a_picture_waits_while_one_at_the_limit_is_decoding():
    budget = images.PixelBudget(images.MAX_PIXELS)
    first, release_first = hold(budget, images.MAX_PIXELS)
    entered = threading.Event()

    def decode_another():
        with budget.reserve(1):
            entered.set()

    second = threading.Thread(target=decode_another)
    second.start()
    wait_until(lambda: budget.waiting == 1)
    assert not entered.is_set()
    release_first.set()
    second.join(PATIENCE)
    first.join(PATIENCE)

    assert entered.is_set()
    assert budget.waiting == 0 and budget.in_use == 0


def test_small_pictures_decode_side_by_side():
    budget = images.PixelBudget(images.MAX_PIXELS)
    first, release_first = hold(budget, 2_000_000)
    second, release_second = hold(budget, 2_000_000)  # would time out if it had to wait

    assert budget.in_use == 4_000_000 and budget.waiting == 0
    for release in (release_first, release_second):
        release.set()
    first.join(PATIENCE)
    second.join(PATIENCE)
    assert budget.in_use == 0


def test_a_refused_picture_gives_its_turn_back(monkeypatch):
    budget = images.PixelBudget(images.MAX_PIXELS)
    monkeypatch.setattr(images, "DECODING", budget)
    cut_short = png((400, 300))[:-20]  # header intact, the pixels cut short

    with pytest.raises(Exception, match="damaged or cut short"):
        images.prepare(SimpleUploadedFile("cut.png", cut_short, "image/png"))

    assert budget.in_use == 0


def test_the_thumbnail_of_a_small_picture_keeps_its_size():
    prepared = images.prepare(SimpleUploadedFile("small.png", png((120, 90)), "image/png"))

    assert Image.open(prepared.thumbnail).size == (120, 90)
    assert (prepared.width, prepared.height) == (120, 90)


def test_the_thumbnail_of_a_big_picture_is_480_wide():
    prepared = images.prepare(SimpleUploadedFile("big.png", png((4000, 2000)), "image/png"))

    assert Image.open(prepared.thumbnail).size == (480, 240)
