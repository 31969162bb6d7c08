"""PostgreSQL: move the text index from a column of places_place to a narrow table (see places.search_index)."""

from django.db import migrations


def to_search_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from foodcommons.places.search_index import PG_SEARCH_TABLE, dialect

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE places_place DROP COLUMN IF EXISTS search_vector")
        dialect("postgresql").create(cursor)
        cursor.execute(
            f"INSERT INTO {PG_SEARCH_TABLE} (id, vector) SELECT id, to_tsvector('simple', search_text) "
            "FROM places_place WHERE deleted_at IS NULL ON CONFLICT (id) DO NOTHING"
        )


def drop_search_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS places_place_search")
        cursor.execute(
            "ALTER TABLE places_place ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
        )
        cursor.execute("CREATE INDEX IF NOT EXISTS place_search_vector_gin ON places_place USING gin (search_vector)")


class Migration(migrations.Migration):
    dependencies = [("places", "0003_stored_search_vector")]
    operations = [migrations.RunPython(to_search_table, drop_search_table)]
