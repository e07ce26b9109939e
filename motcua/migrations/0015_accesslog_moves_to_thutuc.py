"""AccessLog now belongs to thutuc (thutuc 0008): removed from this app's state only; the
table motcua_accesslog, its rows and its append-only trigger stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("motcua", "0014_formsubmission_moves_to_core"),
        ("thutuc", "0008_accesslog_from_motcua"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AccessLog")],
            database_operations=[],
        ),
    ]
