# naikkelas — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
BUSINESSES ?= 11000

.PHONY: demo test install lint format check clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { echo "Cannot create a virtualenv: on Debian run 'apt-get install python3-venv' (Python >= 3.11)."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed

## Set up a synthetic demo register of Kota Serang and serve it on http://127.0.0.1:$(PORT)
demo: install
	$(BIN)/naikkelas demo --port $(PORT) --businesses $(BUSINESSES)

## Run the whole test suite (SQLite by default; PostgreSQL when DATABASE_URL points at one)
test: install
	$(BIN)/python -m pytest

## Static checks: ruff, formatting, mypy, import contracts, missing migrations
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	NAIKKELAS_DATA_DIR=$$(mktemp -d) $(BIN)/naikkelas manage makemigrations --check --dry-run

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

check: lint test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
