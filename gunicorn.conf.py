"""gunicorn settings of the production image (gunicorn reads ./gunicorn.conf.py by itself).

The access log writes the path without its query string and without the Referer: a query
string or a referring address can carry what must not be kept (a receipt printed before
the PIN moved to the URL fragment has `?pin=` in its QR code; see docs/trust-hardening.md)."""

import os

# An empty variable (`GUNICORN_BIND=` in a .env copied from .env.example) means the default.
bind = os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"
workers = int(os.environ.get("GUNICORN_WORKERS") or "3")
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or "60")
accesslog = "-"
# %(U)s is the path only (never %(r)s or %(q)s, which include the query string).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'
