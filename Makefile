# The two README commands: `make demo` and `make test`. Both create .venv on first use and
# reinstall the project only when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-quick bench bench-grading bench-autograde clean-venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dlgrade demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-quick: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python tests/benchmarks/bench_conv_pool.py

bench-grading: $(STAMP)
	$(BIN)/python tests/benchmarks/bench_grading.py

bench-autograde: $(STAMP)
	$(BIN)/python tests/benchmarks/bench_autograde.py

clean-venv:
	rm -rf $(VENV)
