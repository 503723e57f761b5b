# The few commands a person types. Each sets itself up on a machine with only
# python3 and make: `uv` (pinned) goes into .tools, then .venv is synced from
# uv.lock with the project (editable) and its dev extra. Re-synced when
# pyproject.toml or uv.lock changes; a lock that no longer matches
# pyproject.toml stops the build with the command that fixes it.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
# uv: use this machine's python3, never download an interpreter.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run console test lint check bench soak faults lock clean

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check 'uv==$(UV_VERSION)'

$(STAMP): pyproject.toml uv.lock | $(UV)
	@$(UV) lock --check --quiet || { echo "uv.lock is out of date with pyproject.toml: run 'make lock' and commit uv.lock" >&2; exit 1; }
	$(UV) sync --frozen --extra dev --python python3 --quiet
	touch $(STAMP)

install: $(STAMP)

# After changing dependencies in pyproject.toml: regenerate uv.lock and commit it.
lock: | $(UV)
	$(UV) lock

run: $(STAMP)
	$(VENV)/bin/factbot run

console: $(STAMP)
	$(VENV)/bin/factbot console

lint: $(STAMP)
	$(VENV)/bin/ruff check bot fakediscord tests bench setup.py
	$(VENV)/bin/mypy
	$(VENV)/bin/hadolint deploy/Dockerfile deploy/postgres/Dockerfile

check: $(STAMP)
	$(VENV)/bin/factbot check

test: lint check
	$(VENV)/bin/pytest

bench: $(STAMP)
	$(PY) -m bench

# The full load test: 10,000 queries from 200 users through the fake Discord (a small
# version runs in `make test`); prints replies/s, latency percentiles and peak memory.
soak: $(STAMP)
	FACTBOT_SOAK=1 $(VENV)/bin/pytest tests/reliability/test_load.py -s -q

# Every fault of issue 9 tried once more, as a table (tried / failed / lost); ~2 minutes.
faults: $(STAMP)
	$(PY) -m tests.reliability.campaign

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .ruff_cache .pytest_cache build dist
