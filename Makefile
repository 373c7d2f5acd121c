# The two commands of README.md: `make run` and `make test`. Everything else is a step they call.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages translations system-deps lock clean backup restore bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "iomborder needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian packages the project needs (Pango for WeasyPrint, fonts, gettext, Chromium for the browser tests).
system-deps:
	@scripts/install-system-deps.sh

translations: $(VENV)/.installed
	$(PY) manage.py compiletranslations

# The embedded default: SQLite, a file-system broker, a real Celery worker beside the site, demo data.
run: export DEBUG = 1
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed system-deps translations
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_framework
	$(PY) manage.py seed_demo $(if $(DEMO_PASSWORD),--password "$(DEMO_PASSWORD)")
	@echo ""
	@echo "iomborder runs at http://$(HOST):$(PORT)/ (the accounts are listed above; Ctrl-C stops it)."
	@echo ""
	@HOST=$(HOST) PORT=$(PORT) VENV=$(VENV) scripts/run-dev.sh

test: $(VENV)/.installed system-deps translations
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compiletranslations --check

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract the strings to translate into locale/*/LC_MESSAGES/django.po (needs GNU gettext: make system-deps).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale fr --locale es --no-obsolete --ignore '.venv/*' --ignore 'var/*'

# Re-pin the dependencies from requirements*.in in a throw-away environment.
lock:
	rm -rf var/lock && $(PYTHON) -m venv var/lock
	var/lock/bin/pip install --quiet -r requirements.in
	(echo "# Exact pins of requirements.in (regenerate: make lock)."; var/lock/bin/pip freeze) > requirements.txt
	var/lock/bin/pip install --quiet -r requirements-dev.in
	var/lock/bin/python scripts/pin_dev_requirements.py > requirements-dev.txt
	rm -rf var/lock

# The benchmarks, on the database in use (DATABASE_URL, else SQLite): figures to compare within one run.
bench: $(VENV)/.installed system-deps translations
	$(PY) benchmarks/workspace.py
	$(PY) benchmarks/drafts.py
	$(PY) benchmarks/lists.py
	$(PY) benchmarks/throughput.py
	$(PY) benchmarks/home.py
	$(PY) benchmarks/report.py
	$(PY) benchmarks/followup.py
	$(PY) benchmarks/search.py
	$(PY) benchmarks/split_report.py

# Backups: the database and the files in one archive in var/backups (see README.md, Backups).
backup: $(VENV)/.installed
	$(PY) manage.py backup

# make restore ARCHIVE=var/backups/iomborder-backup-....tar.gz: into an empty database and files folder only.
restore: $(VENV)/.installed
	$(PY) manage.py restore "$(ARCHIVE)"

clean:
	rm -rf var/test var/broker var/cache
