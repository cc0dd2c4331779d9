# One command to run the app, one to run the tests. Both set up what they need first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench setup clean

run: setup                     ## set up and open the app on the default local workspace
	$(BIN)/vcio-desk

test: setup                    ## set up and run the whole test suite (lint, layers, tests)
	$(BIN)/ruff check vcio_desk tests db
	$(BIN)/lint-imports --no-cache
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
	PYTHON=$(BIN)/python ./scripts/test-postgres.sh    # store + services on $$VCIO_DESK_TEST_PG

bench: setup                   ## measure the figures against their budgets (tests/bench)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/system-deps.sh
	./scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
