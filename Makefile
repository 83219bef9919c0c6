# The two README commands: `make demo` and `make test`. Both create .venv on first use and
# reinstall the project only when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-quick lint bench bench-grading bench-autograde bench-serve bench-cnn bench-notebooks bench-a6-tiers bench-a7-tiers bench-similarity system-packages clean-venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dlgrade demo

# Debian packages some tests use: PostgreSQL (a real gradebook server), unshare and ip (the
# sandbox), chromium and its driver (the pages people look at, in a real browser), the STIX and
# Noto emoji fonts (math and the ✋/✔ of the checks in those pages), graphviz (the `dot` that
# a6's keras.utils.plot_model calls). Installed only where missing and only as root with apt-get;
# elsewhere the PostgreSQL and browser tests skip, the sandbox runs in its documented weaker mode
# and a6 prints model.summary() instead of the drawing.
SYSTEM_PACKAGES := postgresql util-linux iproute2 chromium chromium-driver fonts-stix fonts-noto-color-emoji graphviz
system-packages:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v unshare >/dev/null || ! command -v ip >/dev/null \
	    || ! command -v chromedriver >/dev/null || ! command -v dot >/dev/null \
	    || ! ls /usr/share/fonts/opentype/stix /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages: $(SYSTEM_PACKAGES)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "note: some of $(SYSTEM_PACKAGES) are missing and cannot be installed here; some tests will skip"; fi; \
	fi
	@# JupyterHub's proxy (npm), for the test of `dlgrade serve --hub` in a real JupyterHub
	@if ! command -v configurable-http-proxy >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v npm >/dev/null; then \
	    echo "installing configurable-http-proxy (npm)"; npm install -g --silent configurable-http-proxy >/dev/null || true; \
	  else echo "note: configurable-http-proxy is missing and cannot be installed here; the JupyterHub test will skip"; fi; \
	fi

# Two pytest workers (pytest-xdist): half of the suite's time is waiting on subprocesses,
# kernels and services, so two workers on two cores take ~19 minutes where one takes ~31.
TEST_WORKERS ?= 2

test: $(STAMP) system-packages
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

test-quick: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python tests/benchmarks/bench_conv_pool.py

bench-grading: $(STAMP)
	$(BIN)/python tests/benchmarks/bench_grading.py

bench-autograde: $(STAMP)
	$(BIN)/python tests/benchmarks/bench_autograde.py

bench-serve: $(STAMP)
	$(BIN)/python tests/benchmarks/bench_serve.py --students $(or $(STUDENTS),100) --spread $(or $(SPREAD),60)

bench-notebooks: $(STAMP)
	REPEATS=$(or $(REPEATS),5) SKIP_KERAS=$(SKIP_KERAS) $(BIN)/python tests/benchmarks/bench_notebooks.py

bench-a6-tiers: $(STAMP)
	SEEDS=$(or $(SEEDS),5) $(BIN)/python tests/benchmarks/bench_training_tiers.py a6_cnn_keras

bench-a7-tiers: $(STAMP)
	SEEDS=$(or $(SEEDS),5) $(BIN)/python tests/benchmarks/bench_training_tiers.py a7_autoencoder

bench-similarity: $(STAMP)
	$(BIN)/python tests/benchmarks/similarity_calibration.py

bench-cnn: $(STAMP)
	$(BIN)/python tests/benchmarks/bench_elpv_cnn.py $(ARGS)

clean-venv:
	rm -rf $(VENV)
