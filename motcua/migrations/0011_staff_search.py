"""The staff search (motcua.search): folded applicant names, exact lookups on phone and
identity number, and on PostgreSQL a trigram GIN index over the folded names (pg_trgm, a
trusted extension: the database owner may create it). SQLite gets the column and the
B-tree indexes only; its search is a plain LIKE, fine at demo size."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from thutuc.text import fold

TRIGRAM_INDEX = "dossier_applicant_search_trgm"
BATCH = 2000


def applicant_search_text(*names):
    # the same as motcua.models.dossier.applicant_search_text, frozen here
    return (" " + " ".join(filter(None, (fold(name) for name in names))))[:800]


def fill_applicant_search(apps, schema_editor):
    Dossier = apps.get_model("motcua", "Dossier")
    rows = Dossier.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while True:
        batch = list(
            rows.filter(pk__gt=last).only("pk", "applicant_name", "organisation_name", "representative_name")[
                :BATCH
            ]
        )
        if not batch:
            return
        for dossier in batch:
            dossier.applicant_search = applicant_search_text(
                dossier.applicant_name, dossier.organisation_name, dossier.representative_name
            )
        Dossier.objects.using(schema_editor.connection.alias).bulk_update(batch, ["applicant_search"])
        last = batch[-1].pk


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON motcua_dossier "
        "USING gin (applicant_search gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("motcua", "0010_access_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="applicant_search",
            field=models.CharField(blank=True, default="", editable=False, max_length=800),
        ),
        migrations.RunPython(fill_applicant_search, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Xem hồ sơ đầy đủ"),
                    ("print", "In phiếu"),
                    ("export", "Xuất dữ liệu"),
                    ("download", "Tải tệp"),
                    ("search", "Tìm hồ sơ theo thông tin cá nhân"),
                ],
                max_length=16,
                verbose_name="thao tác",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["applicant_phone"], name="dossier_applicant_phone"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["applicant_id_number"], name="dossier_applicant_id_number"),
        ),
        # CreateExtension does nothing on another database than PostgreSQL
        TrigramExtension(),
        migrations.RunPython(add_trigram_index, drop_trigram_index, elidable=False),
    ]
