# Two commands do everything on a fresh machine with Python 3.11+:
#   make site   build the sample digest into site/ (then `make serve` shows it)
#   make test   run the whole test suite, ruff and mypy
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: site serve test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes; the install is editable.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

site: $(VENV)/.installed
	$(BIN)/digest build

serve: site
	$(BIN)/digest serve

lint: $(VENV)/.installed
	$(BIN)/ruff check digest tests benchmarks
	$(BIN)/ruff format --check digest tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache

# Build speed and memory against Pelican (and Hugo when Debian's `hugo` is installed);
# not part of `make test`. Arguments: make bench BENCH_ARGS="--sizes 1000 --repeat 1";
# cold builds of other archive shapes: BENCH_ARGS="--variant all --sizes 1000".
# The bytes of a built site by kind of file: benchmarks/bytes.py SITE.
# pip is upgraded first: pip 23.2 fails to resolve the bench extra (lxml[html-clean]).
.PHONY: bench
bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/build.py $(BENCH_ARGS)

# Main-text extraction on public, human-annotated pages against readability-lxml and
# trafilatura (benchmarks/extraction.py says where the pages come from; they are unpacked
# into benchmarks/data/, never committed). Arguments: BENCH_ARGS="--half dev --pages".
.PHONY: bench-extract
bench-extract: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/extraction.py $(BENCH_ARGS)
