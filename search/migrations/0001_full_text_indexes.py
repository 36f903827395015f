"""On PostgreSQL, a GIN index on each source's document (search/engines.py, `document`), built
from the very expression the search filters on, so that the planner uses it. The indexes are
on the tables of workshops and evidence, which search reads; their apps know nothing of them
(they are not in their models' state), and other databases get none."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from search.engines import document

# (app label, model, index name, the fields of its source in search/sources.py)
INDEXES = [
    ("workshops", "JourneyMap", "search_map_text", ("title", "description")),
    ("workshops", "Card", "search_card_text", ("text",)),
    (
        "evidence",
        "Evidence",
        "search_evidence_text",
        ("name", "question", "answer", "text", "who", "caption", "note"),
    ),
]


def _indexes(apps):
    for app, model, name, fields in INDEXES:
        yield apps.get_model(app, model), GinIndex(document(fields), name=name)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0004_audit_event"),
        ("evidence", "0003_evidence_import"),
    ]

    operations = [migrations.RunPython(create, drop)]
