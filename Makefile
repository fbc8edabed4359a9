# veille: set-up, demo, tests, quality, benchmarks. `make demo` and `make test` do all the set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INPUT ?= ../shared/seeds
DB ?= veille.db
STAMP := $(VENV)/.installed
SEEDS_GOLD ?= ../shared/eval/seeds.gold.json
DEV ?= ../shared/eval/dev

.PHONY: install demo test test-fast bench eval lint clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,web,spark]'
	touch $(STAMP)

install: $(STAMP)

# Java for Spark and Chromium for the browser test, from Debian when missing.
system-deps:
	@./scripts/system-deps.sh

demo: install
	$(BIN)/veille run $(INPUT) --db $(DB)
	$(BIN)/veille report --db $(DB)

test: install system-deps
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

bench: install
	$(BIN)/python bench/run.py

# Scores and every miss by cause on the sample articles, then on the development set if present.
eval: install
	$(BIN)/python bench/eval_gold.py $(SEEDS_GOLD) $(INPUT)
	@if [ -f $(DEV)/gold.json ]; then \
		echo "$(BIN)/python bench/eval_gold.py $(DEV)/gold.json $(DEV)/articles.jsonl"; \
		$(BIN)/python bench/eval_gold.py $(DEV)/gold.json $(DEV)/articles.jsonl; \
	else echo "no $(DEV)/gold.json: development set skipped"; fi

lint: install
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
