"""PostgreSQL: index a stored tsvector column instead of an expression (see places.search_index)."""

from django.db import migrations


def create_indexes(apps, schema_editor):
    from foodcommons.places.search_index import dialect

    with schema_editor.connection.cursor() as cursor:
        dialect(schema_editor.connection.vendor).create(cursor)


def back_to_expression_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS place_search_vector_gin")
        cursor.execute("ALTER TABLE places_place DROP COLUMN IF EXISTS search_vector")
        cursor.execute("CREATE INDEX IF NOT EXISTS place_search_gin ON places_place USING gin (to_tsvector('simple', search_text))")


class Migration(migrations.Migration):
    dependencies = [("places", "0002_search_indexes")]
    operations = [migrations.RunPython(create_indexes, back_to_expression_index)]
