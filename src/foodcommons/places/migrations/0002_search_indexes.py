"""Create the spatial and full-text indexes of the database in use (see places.search_index)."""

from django.db import migrations


def create_indexes(apps, schema_editor):
    from foodcommons.places.search_index import dialect

    with schema_editor.connection.cursor() as cursor:
        dialect(schema_editor.connection.vendor).create(cursor)


def drop_indexes(apps, schema_editor):
    statements = {
        "sqlite": ["DROP TABLE IF EXISTS places_place_rtree", "DROP TABLE IF EXISTS places_place_fts"],
        "postgresql": ["DROP INDEX IF EXISTS place_bbox_gist", "DROP INDEX IF EXISTS place_search_gin", "DROP TABLE IF EXISTS places_place_search"],
    }
    with schema_editor.connection.cursor() as cursor:
        for statement in statements.get(schema_editor.connection.vendor, []):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
