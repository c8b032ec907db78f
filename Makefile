# The two Quickstart commands: `make demo` (the main job) and `make test`.
# Each creates the virtual environment, installs the package with its extras and makes
# sure Graphviz's `dot` is present, so both work on a fresh machine.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	@scripts/install-system-deps.sh graphviz
	$(VENV)/bin/microgradnn demo

test: $(STAMP) lint
	@scripts/install-system-deps.sh graphviz chromium
	$(PY) -m pytest

docs: $(STAMP)
	@scripts/install-system-deps.sh graphviz
	$(VENV)/bin/mkdocs build --strict

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache site

# Mutation testing of the core, Scalar, Tensor and backprop.py (slow: not part of `make test`
# or CI). Config in pyproject.toml [tool.mutmut]; scores and equivalent survivors in
# docs/mutation-testing.md. One worker: the machine's cores are shared.
.PHONY: mutation
mutation: $(STAMP)
	$(PY) -m pip install --quiet "mutmut>=3.8,<4"
	OMP_NUM_THREADS=1 $(VENV)/bin/mutmut run --max-children 1
	$(PY) scripts/mutation_scores.py
