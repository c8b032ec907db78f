# The two Quickstart commands: `make demo` (the main job) and `make test`.
#
# Each target installs only what it needs, into one virtual environment, with a stamp per
# layer so that a second run reinstalls nothing and an edit of pyproject.toml reinstalls:
#   demo   the package and its runtime dependencies (NumPy, SciPy, graphviz, tqdm) + `dot`
#   test   + the test extras (PyTorch, the oracle; pytest; the docs and data extras the
#          suite builds and runs) + the linters + dot, Chromium, GNU Octave and TeX Live
#   docs   + the docs extras + dot, Octave, TeX Live (pages run them)            bench   + the benchmark peers
# `make .venv/.installed` installs everything (every extra) for development. --no-compile:
# Python compiles what is imported when it is first imported; compiling all of SciPy and
# PyTorch up front took half of the install time.
# System programs come from scripts/install-system-deps.sh: apt-get as root, else it says how.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check --no-compile
SAY := @printf '==> %s\n'

.PHONY: demo test lint docs bench clean
.NOTPARALLEL:  # one pip at a time in the one environment

$(VENV)/pyvenv.cfg:
	$(SAY) "Creating the virtual environment $(VENV) ($(PYTHON) -m venv)"
	@$(PYTHON) -m venv $(VENV)

# the package itself, editable, with its runtime dependencies only
$(VENV)/.runtime: pyproject.toml $(VENV)/pyvenv.cfg
	$(SAY) "Installing microgradnn and its runtime dependencies into $(VENV) (NumPy, SciPy, graphviz, tqdm)"
	@$(PIP) -e .
	@touch $@

# one stamp per extra, on top of the runtime layer (so an edit of pyproject.toml redoes them)
$(VENV)/.extra-%: $(VENV)/.runtime
	$(SAY) "Installing the '$*' extras into $(VENV)"
	@$(PIP) -e ".[$*]"
	@touch $@

# everything, for development
$(VENV)/.installed: $(VENV)/.runtime
	$(SAY) "Installing every extra into $(VENV) (dev)"
	@$(PIP) -e ".[dev]"
	@touch $@

demo: $(VENV)/.runtime
	@scripts/install-system-deps.sh graphviz
	$(SAY) "Running the demo: $(VENV)/bin/microgradnn demo"
	@$(VENV)/bin/microgradnn demo

test: $(VENV)/.extra-test lint
	@scripts/install-system-deps.sh graphviz chromium octave texlive rsvg
	$(PY) -m pytest

docs: $(VENV)/.extra-docs
	@scripts/install-system-deps.sh graphviz octave texlive
	$(VENV)/bin/mkdocs build --strict

lint: $(VENV)/.extra-lint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: $(VENV)/.extra-bench
	@scripts/install-system-deps.sh graphviz
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache site mutants

# Mutation testing of the core, Scalar, Tensor and backprop.py (slow: not part of `make test`
# or CI). Config in pyproject.toml [tool.mutmut]; mutation_fresh re-tests the mutants of code
# run at import time in a fresh interpreter (mutmut cannot); scores and equivalent survivors in
# docs/mutation-testing.md. One worker: the machine's cores are shared.
.PHONY: mutation
mutation: $(VENV)/.extra-mutation
	OMP_NUM_THREADS=1 $(VENV)/bin/mutmut run --max-children 1
	$(PY) scripts/mutation_fresh.py --import-time
	$(PY) scripts/mutation_scores.py
