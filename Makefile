# ACCMR portal. `make run` and `make test` work on a fresh machine; see README.md.
SHELL := /bin/bash
# Django 6 needs Python 3.12+; pyenv installs are found even when their shims are not active.
PYTHON ?= $(shell for v in 3.13 3.12; do for c in python$$v $$HOME/.pyenv/versions/$$v*/bin/python$$v /usr/bin/python$$v /usr/local/bin/python$$v; do $$c -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && { echo $$c; exit 0; }; done; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
# Tests never reach an outside host: map tiles come from a local blank tile.
TEST_ENV := MAP_TILES_URL=/static/img/tile.png CHROMIUM=$(CHROMIUM) TEST_REDIS_URL=redis://127.0.0.1:6379/14

.PHONY: setup run test test-sqlite lint fmt messages migrations-check seed bench chromium redis clean

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or 3.13 is required (python3.12 or python3.13)." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# Install, compile the translations (pure Python: no gettext needed) and collect static files.
setup: $(BIN)/.installed
	$(BIN)/python -m accmr.core.compilemessages locale
	$(BIN)/python manage.py collectstatic --noinput -v0

run: setup
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py ensure_admin
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
# The task worker (mail, …) runs beside the server, as in production, and stops with it
# (SIGTERM: it finishes its task first); README "The two commands" says why.
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py runserver 0.0.0.0:$(PORT)

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
chromium:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || { echo "Install Chromium (Debian: apt-get install chromium) for the browser tests." >&2; exit 1; }

# The cache tests also run against a real Redis on 127.0.0.1:6379 (TEST_REDIS_URL).
redis:
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { command -v redis-server >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }; redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null && sleep 1; } || { echo "Start Redis on 127.0.0.1:6379 (Debian: apt-get install redis-server) for the cache tests." >&2; exit 1; }

# One test process per core (pytest-xdist; each has its own test database, live server and
# Chromium); TEST_WORKERS=0 runs them in this process. pytest's last line gives the count and time.
TEST_WORKERS ?= auto
test: setup chromium redis
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The project's and the apps' template folders. djhtml reads only their .html files, so the
# plain-text e-mails (*/email/*.txt) keep their layout; it changes indentation, never text.
TEMPLATE_DIRS := templates accmr/core/templates tests/kit/templates

# ruff for Python, djhtml for the templates, ESLint (npm, pinned in package-lock.json) for static/js.
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check --tabwidth 2 $(TEMPLATE_DIRS)
	@command -v npm >/dev/null || { echo "The JavaScript lint needs Node.js and npm (Debian: apt-get install npm)." >&2; exit 1; }
	test -d node_modules || npm ci --no-audit --no-fund --loglevel=error
	npx eslint static/js

fmt:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml --tabwidth 2 $(TEMPLATE_DIRS)

# Needs GNU gettext (xgettext) to extract strings; compiling does not.
messages:
	$(BIN)/python manage.py makemessages -l el --no-location --no-obsolete --ignore=.venv --ignore=staticfiles

migrations-check:
	$(BIN)/python manage.py makemigrations --check --dry-run

seed:
	$(BIN)/python manage.py seed_demo

bench: setup
	$(BIN)/python scripts/benchmark.py

lighthouse: setup
	BIN=$(BIN) bash scripts/lighthouse.sh

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 node_modules
