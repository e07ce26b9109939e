"""The staff search (motcua.search): folded applicant names, exact lookups on phone and
identity number, and on PostgreSQL two indexes over the folded names, created here only
(SQLite has neither; its search is a plain LIKE, fine at demo size):
- a covering B-tree (varchar_pattern_ops) for names typed from their start: an index-only
  range that also carries what the search filters and sorts its candidates by;
- a trigram GIN index (pg_trgm, a trusted extension: the database owner may create it) for
  a word inside the names ("van an", a company's name)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from core.text import fold

TRIGRAM_INDEX = "dossier_applicant_search_trgm"
PREFIX_INDEX = "dossier_applicant_search_prefix"
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


def add_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {PREFIX_INDEX} ON motcua_dossier "
        "(applicant_search varchar_pattern_ops) "
        "INCLUDE (received_at, id, receiving_agency_id, competent_agency_id, current_unit_id)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON motcua_dossier "
        "USING gin (applicant_search gin_trgm_ops)"
    )


def drop_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {PREFIX_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("motcua", "0012_one_time_form_tokens"),
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
        migrations.RunPython(add_name_indexes, drop_name_indexes, elidable=False),
    ]
