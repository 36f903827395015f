# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# 127.0.0.1 serves this machine alone; HOST=0.0.0.0 serves the room (every LAN address).
HOST ?= 127.0.0.1
# axe-core for the browser tests' accessibility checks, from npm at test time, never committed.
AXE_VERSION := 4.14.1
AXE := .test-tools/node_modules/axe-core/axe.min.js

.PHONY: run test install install-test system-deps lint migrations-check test-fast test-browser \
	test-services

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Exact versions from constraints.txt (its header says how to refresh it); ranges in pyproject.toml.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt $(VENV)/.installed
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Prints the addresses people open (for HOST=0.0.0.0, this machine's LAN addresses) and lets
# them in for this run: ALLOWED_HOSTS (the board's WebSocket origins too) and CSRF_TRUSTED_ORIGINS.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@room="$$($(BIN)/python scripts/room_addresses.py --host '$(HOST)' --port '$(PORT)')" \
	  && eval "$$room" && TASKS_IN_PROCESS=1 exec $(BIN)/python -m cjm.serve -b '$(HOST)' -p '$(PORT)' \
	  --no-server-name cjm.asgi:application

# Chromium and npm (for axe-core) for the browser tests, fonts and poppler for the PDF tests
# (which run with the fast ones), PostgreSQL and Redis for the production run; Debian packages.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null \
	    || ! command -v npm >/dev/null \
	    || ! fc-list | grep -qi dejavu || ! fc-list | grep -qi liberation \
	    || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	    || ! command -v redis-server >/dev/null; then \
	  apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu fonts-liberation \
	    poppler-utils postgresql redis-server npm; \
	fi

# Lint and format (ruff) and the architecture's import contracts (lint-imports, pyproject.toml).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

test-fast: install-test system-deps
	$(BIN)/pytest -m "not browser"

$(AXE): | system-deps
	npm install --silent --no-save --no-audit --no-fund --prefix .test-tools axe-core@$(AXE_VERSION)

# Sync Playwright leaves an event loop running, so browser tests run in their own process, last.
test-browser: install-test system-deps $(AXE)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m browser

# The fast suite again as production runs: PostgreSQL and Redis, started for the run and stopped
# after it; the tests of several Daphne processes run only here.
test-services: install-test system-deps
	scripts/with-services $(BIN)/pytest -m "not browser"

test: lint migrations-check test-fast test-services test-browser
