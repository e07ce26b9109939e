from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    from thutuc.models.catalogue import procedure_search_text

    Procedure = apps.get_model("thutuc", "Procedure")
    for procedure in Procedure.objects.select_related("field").iterator(chunk_size=500):
        text = procedure_search_text(procedure.code, procedure.name, procedure.field.name)
        if text != procedure.search_text:
            Procedure.objects.filter(pk=procedure.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("thutuc", "0005_catalogue_case_order_unique"),
    ]

    operations = [
        migrations.AlterField(
            model_name="procedure",
            name="search_text",
            field=models.CharField(db_index=True, default="", editable=False, max_length=800),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
    ]
