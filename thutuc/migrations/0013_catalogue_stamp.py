"""Issue 21: one row whose token changes, by trigger, with every write to the rows intake keeps
in memory (thutuc.models.stamp, thutuc.stamp): a case's channels, fees and steps, and the
agency tree."""

from django.db import migrations, models

STAMPED = ("thutuc_casechannel", "thutuc_procedurefee", "thutuc_procedurestep", "thutuc_agency")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION thutuc_new_catalogue_stamp() RETURNS trigger AS $$
BEGIN
    INSERT INTO thutuc_cataloguestamp (id, token) VALUES (1, gen_random_uuid()::text)
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""
# Statement-level: one new token per statement, however many rows it writes (an import).
PG_TRIGGER = (
    "CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION thutuc_new_catalogue_stamp();"
)
# SQLite has row-level triggers only (and no TRUNCATE: a flush deletes the rows).
SQLITE_TRIGGER = (
    "CREATE TRIGGER {table}_stamp_{op} AFTER {op} ON {table} BEGIN "
    "INSERT INTO thutuc_cataloguestamp (id, token) VALUES (1, lower(hex(randomblob(16)))) "
    "ON CONFLICT (id) DO UPDATE SET token = excluded.token; END;"
)
OPS = ("INSERT", "UPDATE", "DELETE")


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for table in STAMPED:
            schema_editor.execute(PG_TRIGGER.format(table=table))
        schema_editor.execute(
            "INSERT INTO thutuc_cataloguestamp (id, token) VALUES (1, gen_random_uuid()::text)"
        )
    elif vendor == "sqlite":
        for table in STAMPED:
            for op in OPS:
                schema_editor.execute(SQLITE_TRIGGER.format(table=table, op=op))
        schema_editor.execute(
            "INSERT INTO thutuc_cataloguestamp (id, token) VALUES (1, lower(hex(randomblob(16))))"
        )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in STAMPED:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table};")
        elif vendor == "sqlite":
            for op in OPS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{op};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS thutuc_new_catalogue_stamp();")


class Migration(migrations.Migration):
    dependencies = [
        ("thutuc", "0012_catalogue_rows_ordered_by_case_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueStamp",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=36)),
            ],
            options={
                "verbose_name": "dấu phiên bản danh mục",
                "default_permissions": (),
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
