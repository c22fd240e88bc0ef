# The two commands in the README (`make run`, `make test`) do all set-up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files record which extras are installed, so a plain `make run` venv
# gains the test extras the first time `make test` runs.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[postgres]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[postgres,test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/oppmarket

# The suite runs on pytest-xdist with two workers per core: the UI tests spend most of
# their time waiting for the app to settle, so one worker per core leaves half the
# machine idle. PYTEST_WORKERS=0 runs it in this one process (what `--snapshot-update`
# and `--pdb` want); PYTEST_ARGS picks tests and options, e.g.
# make test PYTEST_WORKERS=0 PYTEST_ARGS='tests/test_db.py -x'.
PYTEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(2 * (os.cpu_count() or 1))')

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

demo: $(VENV)/.installed
	$(BIN)/oppmarket demo

bench: $(VENV)/.installed
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
