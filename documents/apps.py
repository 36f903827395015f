from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The map as a document: its JSON file, named versions, comparison, the executive PDF.
    Each needs both the map and its evidence, so it sits above the workshops and evidence apps,
    which know nothing of it."""

    name = "documents"
