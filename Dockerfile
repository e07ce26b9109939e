# Production image: gunicorn web, Celery worker and beat share it (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation2 fonts-noto-core curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
# collectstatic and compile_translations need no database; the key is a build-time placeholder only.
RUN SECRET_KEY=build-only-placeholder DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && SECRET_KEY=build-only-placeholder DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py compile_translations \
    && useradd --system --uid 1000 --home /app motcua && mkdir -p /app/media && chown motcua /app/media
USER motcua
EXPOSE 8000
# gunicorn.conf.py: bind, workers, timeout, and an access log without query strings.
CMD ["gunicorn", "motcua.wsgi:application"]
