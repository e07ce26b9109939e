from django.apps import AppConfig


class BaocaoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "baocao"
    verbose_name = "Báo cáo cải cách hành chính"
