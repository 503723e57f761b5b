# The few commands a person types. Each sets itself up: a virtualenv in .venv
# with the project and its dev extra installed, re-installed when
# pyproject.toml changes.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run console test lint check bench soak faults clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/factbot run

console: $(STAMP)
	$(VENV)/bin/factbot console

lint: $(STAMP)
	$(VENV)/bin/ruff check bot tests bench
	$(VENV)/bin/mypy

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
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
