from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`python manage.py bench`: a development tool, installed only outside production
    (motcua/settings.py) and left out of the Docker image (.dockerignore)."""

    name = "bench"
    verbose_name = "Đo hiệu năng"
