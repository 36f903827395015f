"""The executive PDF of a journey map (docs/api.md, "The PDF").

Three steps: gather the map into plain rows and numbers (gather.py, evidence.py, curve.py;
picks.py chooses the few pieces of evidence each stage prints, in the database), render print
HTML with a Django template (so every piece of user text is autoescaped), lay it out with
WeasyPrint (render.py, engine.py). The renderer sees only what MapFetcher hands it
(fetcher.py): the project's static files and this map's own images. Nothing from the network,
no other file. Small maps download in the request (download.py); any map can be made in the
background by the tasks worker (exports.py).
"""

from ..numbers import number, quantity, signed, signed_percent
from .fetcher import BASE_URL, THUMBNAIL_PX, MapFetcher
from .gather import PainPoint, chunks, gather
from .options import ExportOptions, check_options, filename_for, parse_options
from .render import layout, media_of, render_html, render_pdf

__all__ = [
    "BASE_URL",
    "THUMBNAIL_PX",
    "ExportOptions",
    "MapFetcher",
    "PainPoint",
    "check_options",
    "chunks",
    "filename_for",
    "gather",
    "layout",
    "media_of",
    "number",
    "parse_options",
    "quantity",
    "render_html",
    "render_pdf",
    "signed",
    "signed_percent",
]
