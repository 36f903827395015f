"""A journey map as a JSON document (docs/map-format.md): export, reading and checking, import.

The same document is a map's saved version (documents/versions.py) and one side of a
comparison (documents/compare.py)."""

from .export import map_export, without_origins
from .format import FORMAT, MAX_BYTES, VERSION
from .reading import Plan, check_document, check_size, read_document
from .writing import discard_pictures, map_import, store_pictures, write_content

__all__ = [
    "FORMAT",
    "MAX_BYTES",
    "VERSION",
    "Plan",
    "check_document",
    "check_size",
    "discard_pictures",
    "map_export",
    "map_import",
    "read_document",
    "store_pictures",
    "without_origins",
    "write_content",
]
