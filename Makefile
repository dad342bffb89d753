# RecScript: `make run` sets up, builds and runs the exploratory analysis; `make test` runs every test.
SHELL := /bin/bash
SWIFT ?= swift
SAMPLE_ROWS ?= 200000
SAMPLE_SEED ?= 1
SAMPLE := data/sample.csv
REPL := .build/release/repl
# Debian packages the build needs (libedit: the line editor; OpenBLAS and LAPACKE: the models'
# dense linear algebra), and those the tests add (tmux drives the interactive
# session; chromium renders an HTML report).
BUILD_PACKAGES := libedit-dev pkg-config zlib1g-dev libopenblas-dev liblapacke-dev
TEST_PACKAGES := tmux chromium

.PHONY: run test build deps test-deps install-packages bench clean

deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(BUILD_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(BUILD_PACKAGES) $(TEST_PACKAGES)"

# Installs whichever of $(PACKAGES) are missing.
install-packages:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build -c release --product repl

$(SAMPLE): | build
	@mkdir -p data
	$(REPL) --generate $(SAMPLE) --rows $(SAMPLE_ROWS) --seed $(SAMPLE_SEED)

run: build $(SAMPLE)
	@mkdir -p report
	$(REPL) scripts/eda.rec --report report/eda.html

# The tests build what they run (the debug repl beside the test bundle); Swift Testing runs
# suites in parallel itself, and the interactive suites serialise their tmux sessions.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

FULL := data/full.csv
FULL_ROWS := 7558834

$(FULL): | build
	@mkdir -p data
	$(REPL) --generate $(FULL) --rows $(FULL_ROWS) --seed 1 --probabilities data/full-p.csv

.venv/bin/python:
	python3 -m venv .venv

.venv/.bench-deps: | .venv/bin/python
	.venv/bin/pip install -q polars pandas numpy
	touch $@

.venv/.bench-rec-deps: | .venv/bin/python
	.venv/bin/pip install -q numpy scipy pandas implicit scikit-surprise threadpoolctl
	touch $@

.venv/.bench-cls-deps: | .venv/bin/python
	.venv/bin/pip install -q numpy pandas scikit-learn lightgbm
	touch $@

# Keras 3 runs on JAX (bench/peers/keras_neural.py sets KERAS_BACKEND=jax); no TensorFlow.
.venv/.bench-nn-deps: | .venv/bin/python
	.venv/bin/pip install -q numpy pandas scikit-learn keras "jax[cpu]"
	touch $@

# Times load, describe, group-by, corr and profile against polars and pandas, and the
# recommenders against implicit, scipy and Surprise (bench/recommenders.py) and the classifiers
# against LightGBM and scikit-learn (bench/classifiers.py) and the neural recommender against Keras
# (bench/neural.py), on the full-size log, and writes docs/benchmarks.md.
bench: build $(FULL) .venv/.bench-deps .venv/.bench-rec-deps .venv/.bench-cls-deps .venv/.bench-nn-deps
	.venv/bin/python bench/bench.py --data $(FULL)

clean:
	rm -rf .build data
