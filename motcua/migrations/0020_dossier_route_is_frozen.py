"""Issue 17: the dossier's current step and its history's steps are steps of its frozen route
(thutuc.CaseVersionStep, PROTECT), never the catalogue's; no cascade or SET NULL from the
catalogue reaches a dossier or an append-only row. The history table's trigger stops letting
`step_id` be cleared (it was the one SET NULL it allowed). A dossier's paper keeps a plain
reference to the catalogue paper it was ticked against (no constraint, nothing on delete)."""

import django.db.models.deletion
from django.db import migrations, models

TRIGGER = (
    "DROP TRIGGER IF EXISTS motcua_dossierevent_append_only ON motcua_dossierevent; "
    "CREATE TRIGGER motcua_dossierevent_append_only BEFORE UPDATE OR DELETE ON motcua_dossierevent "
    "FOR EACH ROW EXECUTE FUNCTION motcua_refuse_history_rewrite({args});"
)


def refuse_any_step_change(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER.format(args=""))


def allow_step_set_null(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER.format(args="'step_id'"))


class Migration(migrations.Migration):

    dependencies = [
        ("motcua", "0019_dossier_case_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dossier",
            name="case_version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dossiers",
                to="thutuc.caseversion",
                verbose_name="phiên bản trường hợp khi tiếp nhận",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="current_step",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="thutuc.caseversionstep",
                verbose_name="bước xử lý hiện tại",
            ),
        ),
        migrations.AlterField(
            model_name="dossierevent",
            name="step",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="thutuc.caseversionstep",
                verbose_name="bước xử lý",
            ),
        ),
        migrations.AlterField(
            model_name="dossierdocument",
            name="procedure_document",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="thutuc.proceduredocument",
            ),
        ),
        migrations.AlterField(
            model_name="dossierdocument",
            name="name",
            field=models.CharField(max_length=3000, verbose_name="tên giấy tờ"),
        ),
        migrations.AddField(
            model_name="dossierdocument",
            name="print_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="tên ngắn in trên phiếu"),
        ),
        migrations.RunPython(refuse_any_step_change, allow_step_set_null),
    ]
