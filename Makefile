# The README's commands. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install run test lint assets bench loadtest loadtest-cluster clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## Migrate, load the demo data and serve on http://127.0.0.1:$(PORT) (SQLite unless DATABASE_URL is set).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## The whole suite, on two processes (pytest-xdist; PYTEST_ARGS= runs it in one). Browser tests need
## /usr/bin/chromium and are skipped, with the reason, without it.
PYTEST_ARGS ?= -n 2
test: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Rebuild static/govuk from GOV.UK Frontend (needs Node and npm; the output is committed).
assets:
	./assets/build.sh

## Benchmark every main page against a plain Django page (bench/anchor.py) and the project's own baseline
## page, on the demo and on 10x data (PostgreSQL at 127.0.0.1:5432, gunicorn, wrk; about 11 minutes).
## See "Benchmark" in the README. BENCH_DATASETS=portfolio (or demo,scale,portfolio) measures the portfolio's scale
## (generate_scale_data --portfolio: 1,000 recommendations, 20 rounds, about a million answer versions). Then a 20 MB evidence upload's memory (bench/upload_memory.py, port 8204, a minute).
bench: install
	$(PY) bench/run.py
	$(PY) bench/upload_memory.py

## 43 leads and 20 staff for 60 s under gunicorn, PostgreSQL stopped for 10 s mid-run (root; PostgreSQL on 127.0.0.1).
loadtest: install
	$(PY) bench/load_fault.py

## Two gunicorn servers behind HAProxy sharing PostgreSQL and Redis: one killed mid-run, Redis stopped 10 s (root).
loadtest-cluster: install
	$(PY) bench/load_cluster.py

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
