# The two commands: `make run` (the demo county on http://127.0.0.1:8000) and `make test`.
# Only Python 3.11+ and make are needed: with no DATABASE_URL the embedded PostgreSQL under
# var/ is used, and with no REDIS_URL background jobs run in-process.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# The DfE's validators (requirements-dfe.txt) pin pandas < 2, which has wheels up to Python 3.11
# only: their environment is made with python3.11 where there is one.
DFE_VENV := .venv-dfe
DFE_PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo $(PYTHON))
DFE_STAMP := $(DFE_VENV)/.installed-$(shell cat requirements-dfe.txt | cksum | cut -d' ' -f1)

.PHONY: run test faults lint install browser clean backup restore bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@# Debian's python3 comes without venv's pip (ensurepip): it is the python3-venv package.
	@test -x $(PY) || sh .ci/need python3-venv $(PYTHON) -c 'import ensurepip'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[test]"
	# Only for the DfE's CIN census XSD files it ships, used by the tests. Without --no-deps it
	# pins cchardet 2.1.7, which does not build on Python 3.11, and pandas < 2.
	$(PY) -m pip install --quiet --no-deps "liiatools==0.2.0"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(DFE_STAMP): requirements-dfe.txt
	test -x $(DFE_VENV)/bin/python || $(DFE_PYTHON) -m venv $(DFE_VENV)
	$(DFE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DFE_VENV)/bin/python -m pip install --quiet -r requirements-dfe.txt
	rm -f $(DFE_VENV)/.installed-*
	touch $(DFE_STAMP)

install: $(STAMP) $(DFE_STAMP)

# Browser tests drive Debian's Chromium. As root on Debian it is installed from the Debian
# mirror, as .ci/run does; elsewhere one line says what to install (.ci/need). Playwright's own
# download is never tried: it needs the internet, and fails with a long network trace where
# there is none. A Chromium that Playwright downloaded earlier is used if there is one.
CHROMIUM ?= /usr/bin/chromium
PLAYWRIGHT_BROWSERS ?= $(HOME)/.cache/ms-playwright

browser: install
	@if ls -d "$(PLAYWRIGHT_BROWSERS)"/chromium-* >/dev/null 2>&1 && [ ! -x "$(CHROMIUM)" ]; then \
		echo "Browser tests use Playwright's Chromium in $(PLAYWRIGHT_BROWSERS)"; \
	else \
		sh .ci/need chromium test -x "$(CHROMIUM)" && echo "Browser tests use $(CHROMIUM)"; \
	fi

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@if [ -n "$$REDIS_URL" ]; then \
		echo "Starting a Celery worker and beat (REDIS_URL is set)"; \
		$(VENV)/bin/celery -A iro_service worker --beat --loglevel INFO --concurrency 2 & \
		trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:8000; \
	else \
		$(PY) manage.py runserver 127.0.0.1:8000; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	@# Security checks: bandit over our code (accepted findings carry `# nosec` and are listed in
	@# docs/security.md), pip-audit over the installed packages.
	$(VENV)/bin/bandit --quiet --recursive --exclude '*/migrations/*' iro_service reviews conferences hsb qa_alerts consultations reports synthetic retention
	$(PY) .ci/audit_dependencies.py

# A dump of the whole database (pg_dump, custom format) under var/backups/, or at BACKUP=path.
# Docker: docker compose run --rm -v "$$PWD/backups:/backups" migrate python manage.py backup --output /backups/iro.dump
backup: install
	$(PY) manage.py backup $(if $(BACKUP),--output "$(BACKUP)")

# Put a dump back: make restore BACKUP=var/backups/iro_service-20170401T020000Z.dump
# It asks for the database's name first; the tables are replaced in one transaction.
restore: install
	@test -n "$(BACKUP)" || { echo "Say which dump: make restore BACKUP=path/to/file.dump"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)"

# One test worker per core (pytest-xdist), each on a database of its own. The default --dist load
# is enough: the demo county is loaded once per run into a template database and each worker
# copies it (tests/support/demo_county.py). The 30 slowest tests are listed at the end, so that
# a slow one shows up in CI's log.
test: install browser lint
	$(VENV)/bin/pytest -n auto --durations=30

# The fault suite (tests/faults): Redis stopped, PostgreSQL restarted and a Celery worker killed
# under the running application. It starts its own PostgreSQL, Redis, gunicorn and worker on free
# ports and stops only those, so it never touches a Redis or PostgreSQL already running here.
faults: install
	FAULT_SUITE=1 $(VENV)/bin/pytest tests/faults -p no:xdist

# The benchmark scripts of benchmarks/, each on a throw-away database of its own on the server of
# DATABASE_URL (or the embedded one); writes docs/benchmarks.md. The synthetic national preset is
# loaded by hand: python manage.py generate_synthetic --preset national (see docs/benchmarks.md).
bench: install
	$(PY) benchmarks/run_all.py --output docs/benchmarks.md

clean:
	rm -rf $(VENV) $(DFE_VENV) var staticfiles
