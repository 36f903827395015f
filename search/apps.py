from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search across the workshops a person belongs to (docs/api.md, "Search"). It reads
    workshops and evidence, and sits above both; on PostgreSQL it owns the full-text indexes
    of their texts (migrations/)."""

    name = "search"
    verbose_name = "Search"
