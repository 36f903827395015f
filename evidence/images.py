"""Uploaded heatmaps and screenshots: accepted by what they contain, never by their name.

Pillow opens the file; only PNG, JPEG, WebP and GIF pass. The pixel count is read from the header
before the pixels are decoded, so a small file that would unpack to gigabytes (a decompression
bomb) is refused cheaply. The picture is turned the way its EXIF orientation says and written
again without any metadata (camera, GPS, software), with a small thumbnail beside it.

Memory: a picture at the limit (40 megapixels) takes 120-160 MB decoded, even from a file of a
few KB. So the decoded picture is the only full-size copy (turned in place, the thumbnail made
from it directly), and a process decodes at most MAX_PIXELS of pictures at once: more uploads
wait for their turn instead of adding their own 160 MB each (bench/image_memory.py measures it:
four at once took 1.7 GB, now about 100 MB, what one does).
"""

import io
import threading
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from workshops.services.checks import refuse

from .models import Evidence

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMBNAIL_BOX = (480, 1440)  # 480 px wide; tall full-page heatmaps stay readable
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp", "gif": "image/gif"}
# What a re-encoded picture keeps of the original's info: how to draw it, nothing about it.
KEPT_INFO = ("transparency", "icc_profile")
# Modes Pillow resizes well as they are; others (palette, 16-bit) are made RGBA first.
RESIZABLE = ("RGB", "RGBA", "L", "LA")


@dataclass
class PreparedImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


class PixelBudget:
    """At most `limit` pixels decoded at once in this process: a picture waits for its turn
    while others would take it past the limit. A picture never waits for itself (none is over
    the limit), and one that is decoding waits for nothing, so the waits always end."""

    def __init__(self, limit: int):
        self.limit, self.in_use, self.waiting = limit, 0, 0
        self.turns = threading.Condition()

    @contextmanager
    def reserve(self, pixels: int):
        pixels = min(pixels, self.limit)
        with self.turns:
            self.waiting += 1
            self.turns.wait_for(lambda: self.in_use + pixels <= self.limit)
            self.waiting -= 1
            self.in_use += pixels
        try:
            yield
        finally:
            with self.turns:
                self.in_use -= pixels
                self.turns.notify_all()


DECODING = PixelBudget(MAX_PIXELS)


def refuse_image(message: str):
    refuse("image", message)


def prepare(upload) -> PreparedImage:
    """Check an uploaded file and return the clean picture and its thumbnail, named at random."""
    if upload is None or not hasattr(upload, "read"):
        refuse_image("Upload an image file (PNG, JPEG, WebP or GIF).")
    if upload.size > MAX_BYTES:
        megabytes = upload.size / 1024 / 1024
        refuse_image(
            f"The image is {megabytes:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB."
        )
    width, height, extension = _check(upload)
    with DECODING.reserve(width * height):
        picture = _decode(upload)
        try:
            encoded, thumbnail = _encode(picture, extension), _thumbnail(picture)
            width, height = picture.size  # turned upright: a portrait photo swaps them
        finally:
            picture.close()  # the pixels go now, before the next picture's turn
    name = uuid.uuid4().hex
    return PreparedImage(
        image=ContentFile(encoded, name=f"{name}.{extension}"),
        thumbnail=ContentFile(thumbnail, name=f"{name}.webp"),
        width=width,
        height=height,
    )


@contextmanager
def _refusing_bad_pictures():
    # Pillow warns, then refuses, above its own pixel limit; a warning is a refusal here.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            refuse_image(
                f"The image has too many pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels."
            )
        except UnidentifiedImageError:
            refuse_image("This file is not an image we accept (PNG, JPEG, WebP or GIF).")
        except (OSError, SyntaxError, ValueError, EOFError):
            refuse_image("The image is damaged or cut short.")


def _check(upload) -> tuple[int, int, str]:
    """The picture's size and extension from its header, no pixel decoded yet."""
    upload.seek(0)
    with _refusing_bad_pictures():
        picture = Image.open(upload)
        extension = FORMATS.get(picture.format)
        if extension is None:
            refuse_image(f"{picture.format} images are not accepted; use PNG, JPEG, WebP or GIF.")
        if picture.width * picture.height > MAX_PIXELS:
            refuse_image(
                f"The image is {picture.width}x{picture.height} pixels; the limit is "
                f"{MAX_PIXELS // 1_000_000} megapixels."
            )
        # WeasyPrint makes Pillow load cut-short files for the whole process; verify() still
        # checks that a PNG's chunks are all there and intact, without decoding the pixels.
        picture.verify()
    return picture.width, picture.height, extension


def _decode(upload) -> Image.Image:
    upload.seek(0)
    with _refusing_bad_pictures():
        picture = Image.open(upload)
        picture.load()
        info = {key: picture.info[key] for key in KEPT_INFO if key in picture.info}
        ImageOps.exif_transpose(picture, in_place=True)  # no second full-size copy
    picture.info = info
    return picture


def _encode(picture: Image.Image, extension: str) -> bytes:
    # Nothing passed for exif or text chunks and the info emptied: no metadata is written.
    out = io.BytesIO()
    options = {"jpg": {"quality": 90}, "webp": {"quality": 90}}.get(extension, {})
    picture.save(out, format=_format_of(extension), **options)
    return out.getvalue()


def _thumbnail(picture: Image.Image) -> bytes:
    # Resized from the picture itself (a full-size RGBA copy first would add 160 MB), and only
    # ever made smaller.
    source = picture if picture.mode in RESIZABLE else picture.convert("RGBA")
    scale = min(THUMBNAIL_BOX[0] / source.width, THUMBNAIL_BOX[1] / source.height)
    if scale < 1:
        size = (max(1, round(source.width * scale)), max(1, round(source.height * scale)))
        source = source.resize(size, Image.Resampling.BICUBIC, reducing_gap=3.0)
    small = source.convert("RGBA")
    out = io.BytesIO()
    small.save(out, format="WEBP", quality=80)
    return out.getvalue()


def _format_of(extension: str) -> str:
    return next(name for name, ext in FORMATS.items() if ext == extension)


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")


@dataclass
class StoredImage:
    image: str
    thumbnail: str
    width: int
    height: int


def _storage():
    return Evidence._meta.get_field("image").storage  # the storage the model's file fields use


def store(prepared: PreparedImage) -> StoredImage:
    storage = _storage()
    return StoredImage(
        image=storage.save(f"evidence/{prepared.image.name}", prepared.image),
        thumbnail=storage.save(f"evidence/thumbs/{prepared.thumbnail.name}", prepared.thumbnail),
        width=prepared.width,
        height=prepared.height,
    )


def discard(stored: StoredImage) -> None:
    storage = _storage()
    for name in (stored.image, stored.thumbnail):
        storage.delete(name)
