"""A GIN index on Offer.search_vector — on PostgreSQL only. SQLite has no tsvector; there
the catalogue searches the ``search_stems`` column instead (see catalogue.search)."""

from django.db import migrations

INDEX = "catalogue_offer_search_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalogue_offer USING GIN (search_vector)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
