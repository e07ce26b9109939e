from django.apps import AppConfig


class KhieunaiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "khieunai"
    verbose_name = "Phản ánh, kiến nghị, khiếu nại, tố cáo"
