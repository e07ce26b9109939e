"""Create the five staff roles as groups, with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so that
    # the groups get them on the first migrate too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
        app_config.models_module = None

    from thutuc.accounts.roles import sync_role_permissions

    sync_role_permissions(apps=apps, using=schema_editor.connection.alias)


def remove_roles(apps, schema_editor):
    from thutuc.accounts.roles import Role

    apps.get_model("auth", "Group").objects.filter(name__in=[str(r) for r in Role]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("thutuc", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
