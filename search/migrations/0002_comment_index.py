"""The comments' full-text index on PostgreSQL, as 0001 made the others'."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from search.engines import document

INDEXES = [("workshops", "Comment", "search_comment_text", ("text",))]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for app, model, name, fields in INDEXES:
            schema_editor.add_index(apps.get_model(app, model), GinIndex(document(fields), name=name))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for app, model, name, fields in INDEXES:
            schema_editor.remove_index(
                apps.get_model(app, model), GinIndex(document(fields), name=name)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_full_text_indexes"),
        ("workshops", "0006_comments_and_mentions"),
    ]

    operations = [migrations.RunPython(create, drop)]
