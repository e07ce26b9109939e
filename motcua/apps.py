from django.apps import AppConfig


class MotcuaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "motcua"
    verbose_name = "Hồ sơ một cửa"

    def ready(self):
        from . import checks  # noqa: F401  (registers the production settings check)
