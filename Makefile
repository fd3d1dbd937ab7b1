# flexhub: `make demo` runs everything on SQLite; `make test` runs the suite on SQLite and PostgreSQL.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PYTEST_ARGS ?=

.PHONY: venv assets browser pgbench wrk nats demo test lint

venv: $(VENV)/.installed

# Re-installs only when pyproject.toml is newer than the stamp.
$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --upgrade pip
	$(VENV)/bin/python -m pip install -e '.[dev]'
	touch $@

# The dashboard's browser libraries (ECharts, htmx), from the npm registry; served by flexhub itself.
assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium (and CJK fonts, and pdftoppm for label previews) for the browser tests; never a browser download of Playwright's own.
browser:
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null && fc-list 2>/dev/null | grep -qi "noto sans cjk" || { \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk poppler-utils; }

# pgbench for `flexhub bench pgbench` and its test. Debian keeps it in /usr/lib/postgresql/NN/bin (/usr/bin/pgbench
# is only a wrapper), with the server up to 16 and the client from 17: install both where it is absent.
pgbench:
	@ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || { [ ! -d /usr/lib/postgresql ] && command -v pgbench >/dev/null; } || { \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql-client postgresql-contrib; }

# wrk for `flexhub bench http` (Debian's package; the bench falls back to its own asyncio client without it).
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }

# nats-server for the JetStream tests: the machine's server on 4222, and the three-node clusters the tests start.
nats:
	@command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || { \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server; }

demo: export FLEXHUB_DATABASE_URL ?= sqlite:///./var/flexhub.db
demo: venv assets
	$(VENV)/bin/flexhub db upgrade
	$(VENV)/bin/flexhub demo

test: venv assets browser pgbench wrk nats
	$(VENV)/bin/python -m pytest -n 2 --dist worksteal --durations=40 $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
