# The two commands of the README: `make demo` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install lint bench clean postgres

$(BIN)/ftfhub: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $(BIN)/ftfhub

install: $(BIN)/ftfhub

demo: install
	$(BIN)/ftfhub demo

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy
	$(BIN)/mypy --strict tools
	$(BIN)/lint-imports

test: lint
	bash scripts/postgres.sh tests
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/names_speed.py

clean:
	rm -rf $(VENV) ftfhub-demo ftfhub-demo-workbench .pytest_cache .mypy_cache .ruff_cache

# A local PostgreSQL database for the hub: eval "$$(make -s postgres)" sets FTFHUB_DATABASE_URL.
postgres:
	@bash scripts/postgres.sh hub
