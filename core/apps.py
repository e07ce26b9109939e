from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared plumbing of the portal: it knows no domain app (tests/test_layers.py)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Nền tảng dùng chung"
