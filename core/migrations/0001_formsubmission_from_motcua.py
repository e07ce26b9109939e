"""FormSubmission (the one-time form tokens, core.once) moves here from the dossier app.

State only: the table motcua_formsubmission and its rows stay as they are (the model keeps
db_table). The content type is relabelled motcua → core, so that its permission rows (and
any group or user holding them) follow the model instead of being recreated."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def relabel_content_type(old_label, new_label, model):
    def relabel(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        moved = ContentType.objects.using(db).filter(app_label=old_label, model=model)
        if not moved.exists():
            return  # a new database: post_migrate creates the content type under the new label
        # one left by an earlier run under the new label holds nothing the old one does not
        ContentType.objects.using(db).filter(app_label=new_label, model=model).delete()
        moved.update(app_label=new_label)

    return relabel


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("motcua", "0012_one_time_form_tokens"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FormSubmission",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("token", models.UUIDField(editable=False, unique=True)),
                        ("path", models.CharField(max_length=500)),
                        ("redirect_to", models.CharField(blank=True, max_length=500)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "biểu mẫu đã gửi",
                        "verbose_name_plural": "biểu mẫu đã gửi",
                        "db_table": "motcua_formsubmission",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            relabel_content_type("motcua", "core", "formsubmission"),
            relabel_content_type("core", "motcua", "formsubmission"),
            elidable=False,
        ),
    ]
