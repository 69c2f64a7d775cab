# Vigie: every command starts from a fresh machine with only Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1

.DEFAULT_GOAL := help
.PHONY: help setup setup-spark demo demo-no-serve test test-long test-spark test-unit lint typecheck format manifest dev api dashboards pipeline status lock clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --python $(BIN)/python --quiet -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps -e .
	@touch $(STAMP)

MANIFEST := transformations/target/manifest.json
DBT_SOURCES := $(shell find transformations -path transformations/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' \) -print 2>/dev/null)

$(MANIFEST): $(STAMP) $(DBT_SOURCES)
	$(BIN)/vigie pipeline manifest

setup: $(STAMP) $(MANIFEST) ## Create .venv, install the pinned dependencies (requirements.lock), parse the dbt project

demo: setup ## Sample history -> dbt build -> serving snapshot, then serve API, Dagster UI, dashboards
	$(BIN)/vigie demo --host $(HOST)

demo-no-serve: setup ## The demo pipeline only: exits with a summary
	$(BIN)/vigie demo --no-serve

test: setup lint ## Lint (ruff, mypy), then the test suite but its long proofs (under 15 minutes)
	$(BIN)/pytest -m "not long and not spark"

test-long: setup ## The long proofs alone: builds in steps, two-year demo, benchmark chains, calibration
	$(BIN)/pytest -m "long and not spark"

SPARK_STAMP := $(VENV)/.spark-installed-stamp
$(SPARK_STAMP): $(STAMP) requirements-spark.lock
	$(BIN)/uv pip install --python $(BIN)/python --quiet -r requirements-spark.lock
	@touch $(SPARK_STAMP)

setup-spark: setup $(SPARK_STAMP) ## Add the Spark engine (pyspark, dbt-spark; needs Java 17): VIGIE_ENGINE=spark

test-spark: setup-spark ## The two-engine proof: the demo history built on DuckDB and on Spark, compared row for row
	$(BIN)/pytest -m spark

test-unit: setup ## The unit tests alone (no warehouse build, no service): the quick loop
	$(BIN)/pytest tests/unit -q

lint: setup typecheck ## ruff check, ruff format --check, then mypy (typecheck)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy reads the vigie packages through a tree of links (the component folders are mapped
# onto the vigie namespace at install time, which mypy cannot follow)
TYPECHECK := build/typecheck
typecheck: setup ## mypy --strict on the platform (the contracts and operations all share)
	@mkdir -p $(TYPECHECK)/vigie
	@for p in platform ingestion orchestration dashboards; do ln -sfn ../../../$$p $(TYPECHECK)/vigie/$$p; done
	cd $(TYPECHECK) && ../../$(BIN)/mypy --strict --config-file ../../pyproject.toml -p vigie.platform

format: setup ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

manifest: $(STAMP) ## dbt parse into transformations/target (what Dagster loads), even if up to date
	$(BIN)/vigie pipeline manifest

dev: setup ## Dagster UI alone on http://127.0.0.1:3000 (code location loads in seconds)
	@mkdir -p data/dagster && cp orchestration/dagster.yaml data/dagster/dagster.yaml
	DAGSTER_HOME=$(CURDIR)/data/dagster $(BIN)/dagster dev -m vigie.orchestration.definitions -h $(HOST) -p 3000

api: setup ## Platform API alone on http://127.0.0.1:8000/docs
	$(BIN)/vigie api --host $(HOST) --port 8000

dashboards: setup ## Dashboards alone on http://127.0.0.1:8501 (sign-in: [auth] of .streamlit/secrets.toml; `vigie serve` runs a local provider)
	$(BIN)/streamlit run dashboards/app.py --server.address $(HOST) --server.port 8501 --server.headless true --browser.gatherUsageStats false --client.toolbarMode viewer

pipeline: setup ## dbt build, then publish the serving snapshot if every test passed
	$(BIN)/vigie pipeline run

bench: setup ## Platform benchmarks: parse + validate (one core), full deposits over HTTP
	$(BIN)/vigie bench parse
	$(BIN)/vigie bench api

status: setup ## Where the data is, the current snapshot, the last build
	$(BIN)/vigie status

lock: setup ## Recompile requirements.lock and requirements-spark.lock (exact pins, no index URL)
	$(BIN)/uv pip compile requirements.in --python-version 3.11 --no-emit-index-url -o requirements.lock
	$(BIN)/uv pip compile requirements-spark.in --python-version 3.11 --no-emit-index-url -o requirements-spark.lock

clean: ## Remove .venv, caches and dbt's target (keeps ./data)
	rm -rf $(VENV) .pytest_cache .ruff_cache transformations/target transformations/logs *.egg-info
