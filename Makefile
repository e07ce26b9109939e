# The two commands of the README:
#   make run   -> installs what is needed, migrates, loads demo data, serves http://127.0.0.1:8000
#   make test  -> installs what is needed and runs the whole test suite
# Tests use SQLite unless DATABASE_URL / REDIS_URL are set; `make test-services` starts a
# throwaway PostgreSQL and Redis on loopback first (what CI does).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-services smoke system venv lint check services services-stop worker beat clean

run: venv
	bash .ci/install-system.sh --runtime
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Tests marked `isolated` repoint this process's Celery app at servers they start and kill:
# they run in a second pytest process, after the rest.
PYTEST := $(PY) -m pytest -q -rs

test: venv
	bash .ci/install-system.sh
	$(PYTEST) -m "not isolated"
	$(PYTEST) -m isolated

test-services: venv
	bash .ci/install-system.sh
	bash .ci/services.sh start
	. /tmp/motcua-services/services.env && $(PYTEST) -m "not isolated" && $(PYTEST) -m isolated

# The production smoke (.ci/smoke.py, ~30 s): docker-compose.yml's processes (migrate,
# collectstatic, gunicorn, the Celery workers and beat) started for real on loopback and used
# over HTTP. It uses the PostgreSQL and Redis of DATABASE_URL / REDIS_URL (a throwaway
# database, Redis db 15), or starts them on loopback like `make test-services`.
smoke: venv
	@set -e; if [ -z "$$DATABASE_URL" ] || [ -z "$$REDIS_URL" ]; then \
	  bash .ci/services.sh start; . "$${SERVICES_ROOT:-/tmp/motcua-services}/services.env"; fi; \
	$(PY) .ci/smoke.py

system:
	bash .ci/install-system.sh

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

lint: venv
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run

services:
	bash .ci/services.sh start

services-stop:
	bash .ci/services.sh stop

worker: venv
	$(VENV)/bin/celery -A motcua worker -l INFO -Q celery,scans,notifications,reports

beat: venv
	$(VENV)/bin/celery -A motcua beat -l INFO

clean:
	rm -rf $(VENV) db.sqlite3
	find staticfiles -mindepth 1 ! -name .gitkeep -delete
