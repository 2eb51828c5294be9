# The two commands a fresh machine needs (Debian, Python 3.11, pip):
#   make lab    set up .venv and open the course in JupyterLab
#   make test   set up .venv and run every test
#   make lint   ruff (lint and format) and mypy, as CI runs them
# Everything is installed into .venv from pyproject.toml, pinned by constraints.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Optional dependency groups of pyproject.toml installed into .venv (tests/test_environment.py checks
# that this names every group, so a new one cannot be forgotten here).
EXTRAS := test,lint
LINT_PATHS := mle_lib tests tools benchmarks

# One BLAS thread: on small machines OpenBLAS's threads stall the small matrix calls these notebooks
# make, and a fixed thread count keeps summation order (and so the stored outputs) the same.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

# JupyterLab refuses to start as root without --allow-root; with no display there is no
# browser to open, so print the URL instead.
LAB_FLAGS := --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT)
ifeq ($(shell id -u),0)
LAB_FLAGS += --allow-root
endif
ifeq ($(strip $(DISPLAY)),)
LAB_FLAGS += --no-browser
endif

.PHONY: help install lab test test-fast lint notebooks bench lock clean

help:
	@echo "make lab        set up .venv and open the course in JupyterLab"
	@echo "make test       set up .venv and run every test (unit, property, doctest, nbval, environment)"
	@echo "make test-fast  the same without the notebooks"
	@echo "make lint       ruff check, ruff format --check ($(LINT_PATHS)) and mypy (mle_lib)"
	@echo "make notebooks  re-execute every notebook in place (fresh kernel, top to bottom)"
	@echo "make bench      EM speed: mle_lib vs scikit-learn, side by side"
	@echo "make lock       regenerate constraints.txt from a fresh resolve of pyproject.toml"

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_FLAGS)

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest tests mle_lib

# mypy reads its settings (python_version, files = mle_lib) from [tool.mypy] in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy

notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py notebooks/*.ipynb

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_gmm.py

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[$(EXTRAS)]'
	( echo "# Exact versions every test and stored notebook output was produced with."; \
	  echo "# Regenerate with 'make lock' after changing pyproject.toml."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable ) > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis *.egg-info
