import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_wsgi_application()

# A production web process without its secrets refuses to start (motcua.checks).
from motcua.checks import ensure_production_ready  # noqa: E402

ensure_production_ready()
