"""Issue 17: a dossier keeps the terms it was received under (thutuc.models.case_versions).

Every existing dossier gets a version of its case as the case stands now (the best record of
the terms there is); the version's steps take the ids of the catalogue steps they copy, so the
dossiers' current steps and the append-only history's `step_id` values stay exactly as they
are — no history row is rewritten — and migration 0020 points both columns at the versions.
"""

import django.db.models.deletion
from django.db import migrations, models


def _fee_text(fee) -> str:
    if fee.amount is None:
        return ""
    if fee.amount == 0:
        return "Miễn phí"
    return f"{int(fee.amount):,}".replace(",", ".") + (" USD" if fee.currency == "USD" else " đồng")


def freeze_existing_terms(apps, schema_editor):
    Dossier = apps.get_model("motcua", "Dossier")
    DossierEvent = apps.get_model("motcua", "DossierEvent")
    ProcedureCase = apps.get_model("thutuc", "ProcedureCase")
    ProcedureStep = apps.get_model("thutuc", "ProcedureStep")
    ProcedureFee = apps.get_model("thutuc", "ProcedureFee")
    CaseVersion = apps.get_model("thutuc", "CaseVersion")
    CaseVersionStep = apps.get_model("thutuc", "CaseVersionStep")

    case_ids = set(Dossier.objects.values_list("case_id", flat=True).distinct())
    # every catalogue step a dossier or a history row names, whatever its case
    named = set(Dossier.objects.exclude(current_step_id=None).values_list("current_step_id", flat=True))
    named |= set(DossierEvent.objects.exclude(step_id=None).values_list("step_id", flat=True))
    case_ids |= set(ProcedureStep.objects.filter(pk__in=named).values_list("case_id", flat=True))
    for case in ProcedureCase.objects.filter(pk__in=case_ids).select_related("procedure").order_by("pk"):
        fees = [
            {
                "kind": f.kind,
                "amount": None if f.amount is None else str(f.amount),
                "currency": f.currency,
                "per_unit": f.per_unit,
                "cap": None if f.cap is None else str(f.cap),
                "description": f.description,
                "exemptions": f.exemptions,
                "channel": f.channel,
                "collected": f.collected,
                "text": _fee_text(f),
            }
            for f in ProcedureFee.objects.filter(case=case).order_by("pk")
        ]
        version = CaseVersion.objects.create(
            digest=f"migrated-case-{case.pk}",
            procedure_code=case.procedure.code,
            procedure_name=case.procedure.name,
            case_name=case.name,
            channel="",
            processing_time=case.processing_time if case.processing_time is not None else 0,
            processing_unit=case.processing_unit,
            cutoff_time=case.cutoff_time,
            fees=fees,
        )
        CaseVersionStep.objects.bulk_create(
            [
                CaseVersionStep(
                    id=step.pk,  # the ids the dossiers and their history already hold
                    version=version,
                    order=step.order,
                    name=step.name,
                    agency_id=step.agency_id,
                    role=step.role,
                    allotted_time=step.allotted_time,
                    allotted_unit=step.allotted_unit,
                )
                for step in ProcedureStep.objects.filter(case=case).order_by("order", "pk")
            ]
        )
        Dossier.objects.filter(case_id=case.pk).update(case_version=version)
    if schema_editor.connection.vendor == "postgresql":
        from django.core.management.color import no_style

        sql = schema_editor.connection.ops.sequence_reset_sql(no_style(), [CaseVersionStep, CaseVersion])
        for statement in sql:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("motcua", "0018_online_inbox_and_electronic_result"),
        ("thutuc", "0010_case_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="case_version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dossiers",
                to="thutuc.caseversion",
                verbose_name="phiên bản trường hợp khi tiếp nhận",
            ),
        ),
        migrations.RunPython(freeze_existing_terms, migrations.RunPython.noop),
    ]
