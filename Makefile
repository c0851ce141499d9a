# csc-warehouse: `make demo` and `make test` are all a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BOOT ?= python3.11
VENV        := .venv
BIN         := $(VENV)/bin
UV_VERSION  := 0.13.9
STAMP       := $(VENV)/.installed

# Demo settings: a synthetic organisation, reporting month ending AS_OF.
AS_OF   ?= 2026-10-31
LA_CODE ?= E06000039
SEED    ?= 42
DEMO_DIR ?= $(CURDIR)/data/demo
# Airflow runs the monthly publication on the 16th for the previous month (deliveries may come 15 days late).
RUN_DATE = $(shell $(PYTHON_BOOT) -c "import datetime as d; a=d.date.fromisoformat('$(AS_OF)'); print(a + d.timedelta(days=16))")

export AIRFLOW_HOME ?= $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__PARALLELISM := 4
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION := True
export GX_ANALYTICS_ENABLED := false
export TQDM_DISABLE := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: help install lock demo test test-fast lint format airflow pg-start pg-stop clean sql docs oracle-cin-venv oracle-cin oracle-venv oracle-903 spark-venv test-spark

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

install: $(STAMP)  ## create .venv from requirements.lock (does nothing when it is up to date)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON_BOOT) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	@for attempt in 1 2 3; do \
	  UV_COMPILE_BYTECODE=1 $(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock && break; \
	  [ $$attempt = 3 ] && exit 1; echo "retrying the install ($$attempt)"; sleep 5; \
	done
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . --config-settings editable_mode=compat
	@touch $(STAMP)
	@echo "environment ready in $(VENV)"

lock:  ## re-resolve requirements.lock from pyproject.toml (then commit it)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

demo: install  ## generate a synthetic organisation, run the nightly and monthly DAGs under Airflow, publish
	@CSC_DATA_DIR=$(DEMO_DIR) $(BIN)/python -m pipeline generate --as-of $(AS_OF) --la-code $(LA_CODE) --seed $(SEED)
	@$(BIN)/airflow db migrate >/dev/null 2>&1 || $(BIN)/airflow db migrate
	@$(BIN)/airflow pools set csc_warehouse_writer 1 "the single writer of the warehouse" >/dev/null
	@echo "running the nightly load under Airflow (logical date $(RUN_DATE))"
	@CSC_DATA_DIR=$(DEMO_DIR) $(BIN)/airflow dags test csc_nightly_load $(RUN_DATE) > $(AIRFLOW_HOME)/demo_nightly.log 2>&1 \
	  || { tail -n 40 $(AIRFLOW_HOME)/demo_nightly.log; exit 1; }
	@echo "running the monthly publication under Airflow"
	@CSC_DATA_DIR=$(DEMO_DIR) $(BIN)/airflow dags test csc_monthly_publication $(RUN_DATE) > $(AIRFLOW_HOME)/demo_monthly.log 2>&1 \
	  || { tail -n 40 $(AIRFLOW_HOME)/demo_monthly.log; exit 1; }
	@grep -q "state=success\|success" $(AIRFLOW_HOME)/demo_monthly.log
	@CSC_DATA_DIR=$(DEMO_DIR) $(BIN)/python -m pipeline show --as-of $(AS_OF) --la-code $(LA_CODE)

test: install  ## the whole suite: unit, dbt on DuckDB and PostgreSQL, DAG import and end-to-end run, lint
	@scripts/pg.sh start
	@status=0; \
	  $(BIN)/pytest -n 2 --dist loadgroup || status=$$?; \
	  scripts/pg.sh stop; \
	  [ $$status = 0 ] || exit $$status
	@$(MAKE) --no-print-directory lint

lint:  ## ruff and sqlfluff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/tests

format:  ## apply ruff formatting and sqlfluff fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/sqlfluff fix dbt_project/models dbt_project/tests

airflow: install  ## Airflow's UI on http://127.0.0.1:8080 with these DAGs (low parallelism for 2 cores)
	$(BIN)/airflow db migrate
	$(BIN)/airflow pools set csc_warehouse_writer 1 "the single writer of the warehouse"
	@echo "Airflow UI: http://127.0.0.1:8080 (the admin password is printed below and kept in $(AIRFLOW_HOME))"
	PATH="$(CURDIR)/$(BIN):$$PATH" AIRFLOW__API__HOST=127.0.0.1 AIRFLOW__API__PORT=8080 $(BIN)/airflow standalone

sql: install  ## SQL shell on the analysts' read-only copy of the demo warehouse (marts and publish only)
	@CSC_DATA_DIR=$(DEMO_DIR) $(BIN)/python -m pipeline sql

docs: install  ## serve the dbt docs site built with that copy on http://127.0.0.1:8080
	@CSC_DATA_DIR=$(DEMO_DIR) $(BIN)/python -m pipeline docs --serve

pg-start:  ## start the throwaway PostgreSQL used by the tests
	scripts/pg.sh start

pg-stop:
	scripts/pg.sh stop

clean:  ## remove generated data, Airflow state and build output (keeps .venv)
	rm -rf data .airflow dbt_project/target dbt_project/logs

# The CIN census oracle: csc-validator-be-cin pins pandas<2, so it runs from its own venv.
ORACLE_CIN_VENV := .venv-oracle-cin
ORACLE_CIN_DIR  ?= $(CURDIR)/data/oracle-cin
# One collection year (e.g. 2025-26) or, empty, every year written.
ORACLE_CIN_CY   ?=

oracle-cin-venv: $(ORACLE_CIN_VENV)/.installed  ## the CIN census oracle's venv, from oracle/requirements-cin.lock

$(ORACLE_CIN_VENV)/.installed: oracle/requirements-cin.lock | $(STAMP)
	@test -x $(ORACLE_CIN_VENV)/bin/python || $(PYTHON_BOOT) -m venv $(ORACLE_CIN_VENV)
	@$(BIN)/uv pip sync --quiet --python $(ORACLE_CIN_VENV)/bin/python oracle/requirements-cin.lock
	@touch $@

oracle-cin: install oracle-cin-venv  ## generate an organisation's CIN census and count the DfE CIN rules it breaks
	@rm -rf $(ORACLE_CIN_DIR)
	@$(BIN)/python -m synth.cin --out $(ORACLE_CIN_DIR) --la-code $(LA_CODE) --as-of $(AS_OF) --seed $(SEED)
	@$(ORACLE_CIN_VENV)/bin/python oracle/run_cin_oracle.py $(ORACLE_CIN_DIR) $(if $(ORACLE_CIN_CY),--collection-year $(ORACLE_CIN_CY))

# The SSDA903 oracle: csc-validator-be-903 pins pandas<2, so it runs from its own venv (docs/oracle.md).
ORACLE_903_VENV := .venv-oracle
ORACLE_903_DIR  ?= $(CURDIR)/data/oracle-903
ORACLE_903_CYS  ?= 2023-24 2024-25 2025-26 2026-27

oracle-venv: $(ORACLE_903_VENV)/.installed  ## the SSDA903 oracle's venv, from oracle/requirements-903.lock

$(ORACLE_903_VENV)/.installed: oracle/requirements-903.lock | $(STAMP)
	@test -x $(ORACLE_903_VENV)/bin/python || $(PYTHON_BOOT) -m venv $(ORACLE_903_VENV)
	@$(BIN)/uv pip sync --quiet --python $(ORACLE_903_VENV)/bin/python oracle/requirements-903.lock
	@touch $@

oracle-903: install oracle-venv  ## generate an organisation's SSDA903 set and count the DfE rules it breaks, per year
	@rm -rf $(ORACLE_903_DIR)
	@$(BIN)/python -m synth.ssda903 --inbound-dir $(ORACLE_903_DIR) --la-code $(LA_CODE) --as-of $(AS_OF) --seed $(SEED)
	@for cy in $(ORACLE_903_CYS); do \
	  $(ORACLE_903_VENV)/bin/python oracle/run_903_oracle.py --inbound-dir $(ORACLE_903_DIR) --la-code $(LA_CODE) \
	    --cy $$cy --no-fail --json $(ORACLE_903_DIR)/oracle-903-$$cy.json || exit 1; \
	done

# Benchmarks (docs/benchmarks.md, "End to end"): measured, never asserted. `make bench` is one organisation with
# 6 history years and 12 monthly deliveries, then a nightly re-run (minutes); `make bench-national` is 150
# organisations over one year (the generator alone takes tens of minutes on 2 cores; BENCH_ORGANISATIONS=15 runs a
# sample that keeps the national size mix). Both replace their table in docs/benchmarks.md.
.PHONY: bench bench-national
BENCH_ORGANISATIONS ?= 150

bench: install  ## end-to-end benchmark, one organisation over 6 years + nightly re-run (writes docs/benchmarks.md)
	$(BIN)/python bench/bench_end_to_end.py --scenario one-org-6y --write-docs

bench-national: install  ## end-to-end benchmark, 150 organisations over 1 year (BENCH_ORGANISATIONS=15: a sample)
	$(BIN)/python bench/bench_end_to_end.py --scenario national-1y --organisations $(BENCH_ORGANISATIONS) --write-docs
# The Spark build (docs/spark.md): dbt-spark in session mode runs from its own venv, on Debian's Java 17.
SPARK_VENV := .venv-spark

spark-venv: $(SPARK_VENV)/.installed  ## dbt-spark's venv (session mode) from spark/requirements-spark.lock, plus Java 17

$(SPARK_VENV)/.installed: spark/requirements-spark.lock | $(STAMP)
	@scripts/ensure_java.sh
	@test -x $(SPARK_VENV)/bin/python || $(PYTHON_BOOT) -m venv $(SPARK_VENV)
	@UV_COMPILE_BYTECODE=1 $(BIN)/uv pip sync --quiet --python $(SPARK_VENV)/bin/python spark/requirements-spark.lock
	@touch $@

# What the Spark build selects (docs/spark.md): empty (the default) = the whole project; or a dbt selection.
SPARK_SELECT ?=

test-spark: install spark-venv  ## build the dbt project on Spark (session mode) and compare with DuckDB (docs/spark.md)
	CSC_SPARK_TESTS=1 CSC_SPARK_SELECT="$(SPARK_SELECT)" $(BIN)/pytest tests/spark -m spark -n 0
