# Every target sets itself up on a fresh Debian machine with Python 3.11: .venv, the package, Debian packages.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
HOST ?= 127.0.0.1
DEB_PACKAGES := chromium poppler-utils fonts-nanum
STAMP := $(VENV)/.installed

.PHONY: run test bench lint setup system-deps clean

run: setup
	$(BIN)/streamlit run app/web/streamlit_app.py --server.headless true --server.address $(HOST) \
		--server.port $(PORT) --browser.gatherUsageStats false

test: setup
	$(BIN)/ruff check app tests scripts
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m tests.benchmarks

lint: setup
	$(BIN)/ruff check app tests scripts

setup: $(STAMP) system-deps

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

system-deps:
	@bash scripts/ensure_debian_packages.sh $(DEB_PACKAGES)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
