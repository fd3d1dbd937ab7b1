# flexhub: `make demo` runs everything on SQLite; `make test` runs the suite on SQLite and PostgreSQL.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PYTEST_ARGS ?=

.PHONY: venv demo test lint

venv: $(VENV)/.installed

# Re-installs only when pyproject.toml is newer than the stamp.
$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --upgrade pip
	$(VENV)/bin/python -m pip install -e '.[dev]'
	touch $@

demo: export FLEXHUB_DATABASE_URL ?= sqlite:///./var/flexhub.db
demo: venv
	$(VENV)/bin/flexhub db upgrade
	$(VENV)/bin/flexhub demo

test: venv
	$(VENV)/bin/python -m pytest -n 2 $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check src tests
