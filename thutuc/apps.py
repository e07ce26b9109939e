from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ThutucConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "thutuc"
    verbose_name = "Thủ tục hành chính và cơ quan"

    def ready(self):
        from .roles import sync_role_permissions

        # Models added by later migrations bring new permissions; keep the roles in step.
        post_migrate.connect(sync_role_permissions, dispatch_uid="thutuc.sync_role_permissions")

        from . import receivers

        # Working-calendar edits announce thutuc.signals.calendar_changed after commit.
        receivers.connect()
