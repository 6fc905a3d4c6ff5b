# Samplan — set-up, demo and tests. Two commands matter: `make demo` and `make test`.
# GNU make. Every target is safe to repeat: stamp files keep repeated runs fast.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
# Targets share .venv and the vendored assets; run them one at a time even under make -j.
.NOTPARALLEL:

VENV          := .venv
PY            := $(VENV)/bin/python
INSTALL_STAMP := $(VENV)/.installed
VENDOR        := src/samplan/static/vendor
ASSETS_STAMP  := $(VENDOR)/.installed
CHROMIUM      := /usr/bin/chromium
DEMO_ADDR     ?= 127.0.0.1:8000
# Database for the PostgreSQL test run; pytest-django creates and drops test_<name>.
PG_URL        ?= postgres://postgres@127.0.0.1:5432/samplan
# Extra pytest arguments, e.g. make test PYTEST_ARGS="-k healthz -x"
PYTEST_ARGS   ?=
# Force a specific interpreter: make install PYTHON=/path/to/python3.12
PYTHON        ?=

# Candidates in order of preference; the first one that is Python >= 3.12 wins.
PYTHON_CANDIDATES = $(PYTHON) python3.13 python3.12 \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python)) \
	$(sort $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python)) \
	$(sort $(wildcard /root/.pyenv/versions/3.12*/bin/python)) \
	$(sort $(wildcard /root/.pyenv/versions/3.13*/bin/python)) \
	python3

DEMO_ENV = SAMPLAN_DEMO=1 SAMPLAN_DEBUG=0 SAMPLAN_INSECURE_HTTP=1

.PHONY: help venv install assets browser syslibs migrate demo test test-sqlite test-pg pg-up bench clean distclean \
	lint format mypy-baseline check-package

help:
	@echo "make demo         install, migrate the SQLite db in var/, load FFB + demo data, run worker + server on http://$(DEMO_ADDR)/"
	@echo "make test         install, vendor assets, ensure Chromium, run pytest on SQLite and then on PostgreSQL"
	@echo "make test-sqlite  pytest on SQLite only"
	@echo "make test-pg      pytest on PostgreSQL only (PG_URL=$(PG_URL))"
	@echo "make install      create $(VENV) (Python >= 3.12) and install requirements.lock"
	@echo "make assets       npm ci and copy DKFDS, htmx and axe-core into $(VENDOR)/"
	@echo "make browser      make sure Debian's Chromium is installed (apt-get as root)"
	@echo "make migrate      apply migrations to the local database"
	@echo "make lint         ruff (format check + rules), mypy against mypy-baseline.txt, import-linter layers"
	@echo "make format       ruff format + ruff's safe fixes, in place"
	@echo "make mypy-baseline  rewrite mypy-baseline.txt after fixing typing errors (it may only shrink)"
	@echo "make check-package  install the package without the lock into a fresh venv and run manage.py check"
	@echo "make bench        run benchmarks (bench/run.py) if present"
	@echo "make clean        remove generated files (keeps $(VENV), node_modules and var/)"
	@echo "make distclean    clean, and also remove $(VENV), node_modules and var/"

# --- Python ------------------------------------------------------------------------------

$(PY):
	@py=""; \
	for c in $(PYTHON_CANDIDATES); do \
	  if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    py="$$c"; break; \
	  fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "error: Samplan needs Python >= 3.12 (Django 6 requires it), and none was found." >&2; \
	  echo "       Tried: $(strip $(PYTHON_CANDIDATES))" >&2; \
	  echo "       Install Python 3.12 or 3.13, or run: make install PYTHON=/path/to/python3.12" >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py ($$("$$py" -V 2>&1))"; \
	"$$py" -m venv $(VENV)

$(INSTALL_STAMP): requirements.lock pyproject.toml | $(PY)
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "error: $(VENV) uses $$($(PY) -V 2>&1); Samplan needs Python >= 3.12. Remove it (make distclean) and retry." >&2; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

venv install: $(INSTALL_STAMP)

# --- Front-end assets (vendored; nothing is loaded from a CDN at run time) ----------------

# dkfds.min.css refers to ../fonts and ../img, so css/, js/, fonts/ and img/ stay siblings
# under vendor/dkfds/. axe-core is only used by the browser tests (accessibility checks).
$(ASSETS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/dkfds $(VENDOR)/axe-core
	cp -R node_modules/dkfds/dist/css node_modules/dkfds/dist/js node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img $(VENDOR)/dkfds/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe-core/axe.min.js
	@touch $@

assets: $(ASSETS_STAMP)

# --- Chromium for the Playwright browser tests (never downloaded by the tests) -----------

browser:
	@if [ -x $(CHROMIUM) ]; then \
	  echo "Chromium: $$($(CHROMIUM) --version 2>/dev/null || echo $(CHROMIUM))"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium (apt-get)…"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update && apt-get install -y chromium fonts-dejavu-core </dev/null; \
	else \
	  echo "error: $(CHROMIUM) is missing. The browser tests need Debian's Chromium:" >&2; \
	  echo "       sudo apt-get update && sudo apt-get install -y chromium fonts-dejavu-core" >&2; \
	  exit 1; \
	fi

# --- Pango for WeasyPrint (PDFs of plans); Debian's libraries, checked not downloaded ----

syslibs:
	@if ldconfig -p | grep -q 'libpango-1.0.so' && ldconfig -p | grep -q 'libpangoft2-1.0.so'; then \
	  echo "Pango: present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's pango for WeasyPrint (apt-get)…"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update && apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 </dev/null; \
	else \
	  echo "error: WeasyPrint needs pango: sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0" >&2; \
	  exit 1; \
	fi

# --- Local database, demo --------------------------------------------------------------

migrate: install assets syslibs
	@mkdir -p var/mail var/static
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py createcachetable  # only acts when SAMPLAN_CACHE_LOCATION is set

demo: migrate
	@set -euo pipefail; \
	export $(DEMO_ENV); \
	$(PY) manage.py load_ffb; \
	if $(PY) manage.py help --commands | grep -qx seed_demo; then \
	  $(PY) manage.py seed_demo --if-empty; \
	else \
	  echo "warning: manage.py seed_demo is not available yet; starting without demo data." >&2; \
	fi; \
	$(PY) manage.py db_worker >>var/worker.log 2>&1 & \
	echo $$! >var/worker.pid; \
	stop_worker() { \
	  if [ -f var/worker.pid ]; then kill "$$(cat var/worker.pid)" 2>/dev/null || true; rm -f var/worker.pid; fi; \
	}; \
	trap stop_worker EXIT; \
	trap 'exit 130' INT TERM; \
	echo "Background worker started (pid $$(cat var/worker.pid), log var/worker.log)."; \
	echo ""; \
	echo "  Samplan: http://$(DEMO_ADDR)/   (Ctrl-C stops the server and the worker)"; \
	echo ""; \
	$(PY) manage.py runserver $(DEMO_ADDR)

# --- Tests -----------------------------------------------------------------------------

test: test-sqlite test-pg

# The SQLite run ignores any DATABASE_URL in the environment.
test-sqlite: install assets browser syslibs
	env -u DATABASE_URL SAMPLAN_REQUIRE_BROWSER=1 $(PY) -m pytest $(PYTEST_ARGS)

test-pg: install assets browser syslibs pg-up
	DATABASE_URL='$(PG_URL)' SAMPLAN_REQUIRE_BROWSER=1 $(PY) -m pytest $(PYTEST_ARGS)

# Start the local cluster if PG_URL's server does not answer (Debian's pg_ctlcluster, as root).
pg-up:
	@if pg_isready -q -d '$(PG_URL)' 2>/dev/null; then exit 0; fi; \
	if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then \
	  for v in $$(ls /etc/postgresql); do \
	    echo "Starting PostgreSQL $$v…"; pg_ctlcluster --skip-systemctl-redirect "$$v" main start || true; \
	  done; \
	fi; \
	for i in $$(seq 1 30); do pg_isready -q -d '$(PG_URL)' 2>/dev/null && exit 0; sleep 1; done; \
	echo "error: PostgreSQL does not answer at $(PG_URL). Start it, or pass PG_URL=postgres://user@host:port/db" >&2; \
	exit 1

bench: install
	@if [ -f bench/run.py ]; then $(PY) bench/run.py; else echo "No benchmarks yet (see bench/README.md)."; fi

# --- Lint -----------------------------------------------------------------------------

# mypy-baseline fails on a new typing error and on a fixed one still in the baseline, so the
# baseline can only shrink (fix, then `make mypy-baseline`, then commit the smaller file).
lint: install
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/ruff check src tests bench
	@# mypy exits 1 when it finds errors (the baseline has some) and 2 when it fails itself.
	@# "||": the recipe shell runs with -e, which would end the subshell at mypy's 1 first.
	( $(VENV)/bin/mypy || test $$? -eq 1 ) | $(VENV)/bin/mypy-baseline filter --no-colors --hide-stats
	$(VENV)/bin/lint-imports --no-logo  # the layer contracts in pyproject.toml ([tool.importlinter])

format: install
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

mypy-baseline: install
	( $(VENV)/bin/mypy || test $$? -eq 1 ) | $(VENV)/bin/mypy-baseline sync

# A run-time import that pyproject.toml does not declare passes in .venv (the lock has
# everything) but fails here: a fresh venv with only the package and its declared deps.
PKG_VENV := var/pkgcheck
check-package: | $(PY)
	rm -rf $(PKG_VENV)
	$(PY) -m venv $(PKG_VENV)
	$(PKG_VENV)/bin/python -m pip install --quiet --disable-pip-version-check .
	cd $(PKG_VENV) && SAMPLAN_DEMO=1 SAMPLAN_VAR_DIR="$$PWD" DJANGO_SETTINGS_MODULE=samplan.settings \
	  bin/python -m django check --fail-level WARNING
	rm -rf $(PKG_VENV) build

# --- Cleaning --------------------------------------------------------------------------

clean:
	rm -rf $(VENDOR) var/static .pytest_cache .import_linter_cache test-results build src/*.egg-info
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules var
