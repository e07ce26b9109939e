"""FormSubmission now belongs to core (core 0001): removed from this app's state only; the
table motcua_formsubmission and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("motcua", "0013_staff_search"),
        ("core", "0001_formsubmission_from_motcua"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="FormSubmission")],
            database_operations=[],
        ),
    ]
