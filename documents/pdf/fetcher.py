"""The one way the PDF renderer reads a file: the project's static files and this map's own
images. Nothing from the network, no other file."""

import io
import mimetypes
import posixpath
import ssl
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from PIL import Image
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A host that can never resolve (RFC 2606): relative URLs in the print HTML join onto it, and the
# fetcher answers for it alone.
BASE_URL = "https://export.invalid/"


STATIC_PREFIX = "/static/"


MEDIA_PREFIX = "/media/"


THUMBNAIL_PX = 640


class RefusedFetch(ValueError):
    pass


class MapFetcher(URLFetcher):
    """Serves static files and the allowed media files; refuses every other URL.

    User text is autoescaped, so it cannot add tags; this is the second line: even a URL that
    reached the HTML could not read a local file, the loopback or the network."""

    def __init__(self, *, allowed_media: set[str] = frozenset()):
        # It never opens a connection, so its TLS context trusts no certificate: loading the
        # system's (what WeasyPrint's default does) took 25 ms of every export.
        nothing_trusted = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        super().__init__(
            allowed_protocols=["https"], allow_redirects=False, ssl_context=nothing_trusted
        )
        self.allowed_media = set(allowed_media)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or parts.query:
            raise RefusedFetch(f"Refused to fetch {url[:200]}")
        path = posixpath.normpath(unquote(parts.path))
        if path.startswith(STATIC_PREFIX):
            return self._static(url, path.removeprefix(STATIC_PREFIX))
        if path.startswith(MEDIA_PREFIX) and path.removeprefix(MEDIA_PREFIX) in self.allowed_media:
            return self._thumbnail(url, path.removeprefix(MEDIA_PREFIX))
        raise RefusedFetch(f"Refused to fetch {url[:200]}")

    def _static(self, url, name):
        try:
            found = finders.find(name)
        except SuspiciousFileOperation:
            found = None
        if not found:
            raise RefusedFetch(f"No static file {name}")
        with open(found, "rb") as handle:
            body = handle.read()
        kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": kind})

    def _thumbnail(self, url, name):
        """Re-encode as a small JPEG: WeasyPrint would otherwise embed whatever arrives, large
        screenshots included, and PDF has no WebP."""
        with default_storage.open(name) as handle, Image.open(handle) as image:
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                flat = Image.new("RGB", image.size, "white")
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=82)
        return URLFetcherResponse(url, buffer.getvalue(), {"Content-Type": "image/jpeg"})
