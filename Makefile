# Every target bootstraps .venv itself: a fresh machine needs only python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-dev
INSTALLED_BENCH := $(VENV)/.installed-bench

.PHONY: setup generate check test bench serve vendor spec-diff clean

setup: $(INSTALLED)

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(INSTALLED_BENCH): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

## generate: regenerate generated/images_api from spec/ (review the diff, commit it)
generate: $(INSTALLED)
	$(BIN)/codegen generate

## check: fail with a diff when generated/ is out of date with spec/ or with the generator (--full: this repository changes the generator without bumping its version, which the manifest trusts)
check: $(INSTALLED)
	$(BIN)/codegen check --full

## test: lint (ruff check, ruff format --check) and the whole test suite, one test file per worker process at a time over $(TEST_WORKERS) workers (auto: one per CPU; 0: no workers); the slowest tests are listed at the end
TEST_WORKERS ?= auto
test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=20

## bench: generation time, server throughput, SSE decoding and `codegen check` on an unchanged package (each against the usual alternatives); the mock round trip over every spec; mypy --strict on the generated packages; memory under abandoned streams, big uploads and hostile peers
bench: $(INSTALLED_BENCH)
	$(BIN)/python bench/bench_generate.py
	$(BIN)/python bench/bench_server.py
	$(BIN)/python bench/bench_sse.py
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_round_trip.py
	$(BIN)/python bench/bench_typecheck.py
	$(BIN)/python bench/bench_faults.py --baseline bench/results/faults-before.md

## vendor: generate the package into DEST as PACKAGE (e.g. make vendor DEST=../myapp/src/myapp PACKAGE=images_api)
DEST ?= vendored
PACKAGE ?= images_api
vendor: $(INSTALLED)
	$(BIN)/codegen generate --output $(DEST)/$(PACKAGE) --package $(PACKAGE)

## spec-diff: what changed in the API since BASE (a git revision), breaking changes first
BASE ?= origin/main
FORMAT ?= text
spec-diff: $(INSTALLED)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	git archive "$(BASE)" spec | tar -x -C "$$tmp" && \
	$(BIN)/codegen diff "$$tmp/spec/openapi.yaml" spec/openapi.yaml --format $(FORMAT) \
		--old-label "$(BASE):spec/openapi.yaml" --new-label "spec/openapi.yaml"

## serve: run the demo server (examples/images_demo) on $(HOST):$(PORT) in $(WORKERS) worker processes; PUBLIC_URL, IMAGES_DIR, IMAGES_MAX_BYTES configure its images (examples/README.md)
HOST ?= 127.0.0.1
PORT ?= 8080
WORKERS ?= 1
serve: $(INSTALLED)
	PYTHONPATH=generated:. $(BIN)/uvicorn examples.images_demo.app:app --host $(HOST) --port $(PORT) --workers $(WORKERS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache
