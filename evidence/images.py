"""Uploaded heatmaps and screenshots: accepted by what they contain, never by their name.

Pillow opens the file; only PNG, JPEG, WebP and GIF pass. The pixel count is read from the header
before the pixels are decoded, so a small file that would unpack to gigabytes (a decompression
bomb) is refused cheaply. The picture is turned the way its EXIF orientation says and written
again without any metadata (camera, GPS, software), with a small thumbnail beside it.
"""

import io
import uuid
import warnings
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


@dataclass
class PreparedImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


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
    picture, extension = _open(upload)
    name = uuid.uuid4().hex
    return PreparedImage(
        image=ContentFile(_encode(picture, extension), name=f"{name}.{extension}"),
        thumbnail=ContentFile(_thumbnail(picture), name=f"{name}.webp"),
        width=picture.width,
        height=picture.height,
    )


def _open(upload) -> tuple[Image.Image, str]:
    upload.seek(0)
    # Pillow warns, then refuses, above its own pixel limit; a warning is a refusal here.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(upload)
            extension = FORMATS.get(picture.format)
            if extension is None:
                refuse_image(
                    f"{picture.format} images are not accepted; use PNG, JPEG, WebP or GIF."
                )
            if picture.width * picture.height > MAX_PIXELS:
                refuse_image(
                    f"The image is {picture.width}x{picture.height} pixels; the limit is "
                    f"{MAX_PIXELS // 1_000_000} megapixels."
                )
            # WeasyPrint makes Pillow load cut-short files for the whole process; verify() still
            # checks that a PNG's chunks are all there and intact. Then open again to decode.
            picture.verify()
            upload.seek(0)
            picture = Image.open(upload)
            picture.load()
            upright = ImageOps.exif_transpose(picture)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            refuse_image(
                f"The image has too many pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels."
            )
        except UnidentifiedImageError:
            refuse_image("This file is not an image we accept (PNG, JPEG, WebP or GIF).")
        except (OSError, SyntaxError, ValueError, EOFError):
            refuse_image("The image is damaged or cut short.")
    upright.info = {key: picture.info[key] for key in KEPT_INFO if key in picture.info}
    return upright, extension


def _encode(picture: Image.Image, extension: str) -> bytes:
    # Nothing passed for exif or text chunks and the info emptied: no metadata is written.
    out = io.BytesIO()
    options = {"jpg": {"quality": 90}, "webp": {"quality": 90}}.get(extension, {})
    picture.save(out, format=_format_of(extension), **options)
    return out.getvalue()


def _thumbnail(picture: Image.Image) -> bytes:
    small = picture.convert("RGBA")
    small.thumbnail(THUMBNAIL_BOX)
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
