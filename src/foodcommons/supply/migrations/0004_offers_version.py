"""The offers' version row and the triggers that change its token with every write to the offers (SQLite and PostgreSQL)."""

from django.db import migrations, models

# A random token rather than a counter: a rolled-back write must not give a later, different write the same value.
UPSERT = ("INSERT INTO supply_offersversion (id, token) VALUES (1, {random}) "
          "ON CONFLICT (id) DO UPDATE SET token = excluded.token")
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER supply_offer_{event.lower()} AFTER {event} ON supply_offer BEGIN {UPSERT.format(random='random()')}; END"
    for event in ("INSERT", "UPDATE", "DELETE")
]
POSTGRES_TRIGGER = [
    "CREATE FUNCTION supply_offer_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    + UPSERT.format(random="floor(random() * 9007199254740991)::bigint") + "; RETURN NULL; END $$",
    "CREATE TRIGGER supply_offer_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON supply_offer "
    "FOR EACH STATEMENT EXECUTE FUNCTION supply_offer_changed()",
]


def _statements(vendor: str, forwards: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_TRIGGERS if forwards else [f"DROP TRIGGER IF EXISTS supply_offer_{e}" for e in ("insert", "update", "delete")]
    if vendor == "postgresql":
        return POSTGRES_TRIGGER if forwards else ["DROP TRIGGER IF EXISTS supply_offer_changed ON supply_offer",
                                                  "DROP FUNCTION IF EXISTS supply_offer_changed()"]
    return []


def create_triggers(apps, schema_editor):
    schema_editor.connection.cursor().execute(UPSERT.format(random="1"))
    for statement in _statements(schema_editor.connection.vendor, forwards=True):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, forwards=False):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("supply", "0003_registrations"),
    ]

    operations = [
        migrations.CreateModel(
            name="OffersVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
