# Konferenz – quick start: `make run` (window on a demo database) and `make test` (lint, types, tests).
# Everything runs in a local virtual environment (.venv) created on first use.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := .demo/konferenz-demo.sqlite
PYTEST_ARGS ?=
# one process per core, at most four; a test file stays in one process (its module fixtures are built once)
PYTEST_PARALLEL ?= -n auto --maxprocesses 4 --dist loadfile

.PHONY: help setup run demo test lint typecheck unit bench dist dist-test clean

help:
	@echo "make run    – Programm mit Demodatenbank starten ($(DEMO_DB))"
	@echo "make test   – Lint (ruff), Typprüfung (mypy), Architekturregel und alle Tests"
	@echo "make bench  – Benchmarks, Ergebnis in .bench/results.json"
	@echo "make dist   – eigenständiges Programmpaket in dist/konferenz/ (ohne Python lauffähig)"
	@echo "make dist-test – das Paket bauen und in leerer Umgebung prüfen"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 oder neuer wird benötigt."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@# bytecode for our own modules too (an editable install is not compiled; saves ~0.2 s per start)
	$(BIN)/python -m compileall -q konferenz ui > /dev/null
	@touch $(STAMP)

setup: $(STAMP)

$(DEMO_DB): | $(STAMP)
	@mkdir -p $(dir $(DEMO_DB))
	$(BIN)/konferenz demo --db $(DEMO_DB)

demo: $(DEMO_DB)

run: setup $(DEMO_DB)
	$(BIN)/konferenz --db $(DEMO_DB)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

unit: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

test: lint typecheck unit

bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/run.py

DIST_STAMP := $(VENV)/.dist-installed

$(DIST_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,dist]"
	@touch $(DIST_STAMP)

# one folder with the program, Qt, fonts, templates and migrations (packaging/konferenz.spec)
dist: $(DIST_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/konferenz.spec
	@du -sh dist/konferenz

dist-test: dist
	KONFERENZ_BUNDLE=$(CURDIR)/dist/konferenz QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q tests/dist

clean:
	rm -rf $(VENV) .demo .bench .pytest_cache .mypy_cache .ruff_cache dist build
