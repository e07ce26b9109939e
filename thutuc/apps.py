from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ThutucConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "thutuc"
    verbose_name = "Thủ tục hành chính và cơ quan"

    def ready(self):
        from django.apps import apps
        from django.utils.translation import gettext_lazy as _

        # django-axes names its admin section "Axes": the admin is Vietnamese throughout.
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = _("Khóa đăng nhập sai nhiều lần")

        from .accounts.roles import sync_role_permissions

        # Models added by later migrations bring new permissions; keep the roles in step.
        post_migrate.connect(sync_role_permissions, dispatch_uid="thutuc.sync_role_permissions")

        from .calendar_store import forget_calendars

        # A migration (tests flush and re-run them) may rewrite the calendar without the
        # services: the processes' cached calendars go (calendar changes: calendar_changes.py).
        post_migrate.connect(forget_calendars, dispatch_uid="thutuc.forget_calendars_after_migrate")

        from .accounts import access

        # The signed-in user, roles and permissions are cached between requests: dropped when changed.
        access.connect()
