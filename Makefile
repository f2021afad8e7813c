# Two commands set everything up on a fresh machine with Python and git:
#   make build   create .venv, install Dateline, build the sample site into output/
#   make test    install what the tests need (Chromium included) and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve lint format clean bench

build: $(STAMP)
	$(BIN)/dateline build

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Browser tests drive Debian's Chromium; install it when it is missing.
/usr/bin/chromium:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

test: $(STAMP) /usr/bin/chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

serve: $(STAMP)
	$(BIN)/dateline serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Dateline against Hugo on generated archives (needs ../shared/bench/); see README, Speed.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf output .dateline-cache
