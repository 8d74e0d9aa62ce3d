# MAB: the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test translations extract-messages upgrade seed outbox bench load clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@# The distribution was called `mab` before it became mab-advisory-board: drop the old record.
	$(BIN)/python -m pip uninstall --quiet --yes mab 2>/dev/null || true
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations

## Compile the Russian and Kazakh catalogues (.po -> .mo).
translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d mab/translations

## Re-extract the strings to translate and merge them into the catalogues.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o mab/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel -q update -i mab/translations/messages.pot -d mab/translations --ignore-obsolete --no-wrap

upgrade: install
	$(FLASK) db upgrade

## Set up, migrate, seed the demo on an empty database, and serve http://$(HOST):$(PORT)
## (127.0.0.1:5000 by default). Every absolute link (emails, the calendar-feed address, CSV
## links) is built on BASE_URL: that same address unless BASE_URL is given (do give it when
## serving on 0.0.0.0 or behind a proxy).
run: BASE_URL ?= http://$(HOST):$(PORT)
run: upgrade
	BASE_URL='$(BASE_URL)' $(FLASK) mab seed-demo --if-empty
	@echo "MAB is at http://$(HOST):$(PORT)/  (links use $(BASE_URL); Ctrl-C to stop)"
	BASE_URL='$(BASE_URL)' $(FLASK) run --host $(HOST) --port $(PORT)

## Set up and run the whole test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set),
## in parallel on the machine's cores (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install-test
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## Benchmark: SQL queries and median time of each page at every size (see README).
## BENCH_ARGS="--database-url postgresql+psycopg:///mab_bench" runs it on PostgreSQL.
bench: install-test
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## Load test: gunicorn (2 workers x 4 threads) on the bench data, 50 simulated board members for
## 60 s, then every acknowledged write checked in the database (see README).
## LOAD_ARGS="--users 20 --seconds 30 --database-url postgresql+psycopg:///mab_load".
load: install-test
	$(BIN)/python -m bench.load $(LOAD_ARGS)

outbox: install
	$(FLASK) mab send-outbox

clean:
	rm -rf $(VENV) .pytest_cache
