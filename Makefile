# The two commands: `make run` (the demo county on http://127.0.0.1:8000) and `make test`.
# Only Python 3.11+ and make are needed: with no DATABASE_URL the embedded PostgreSQL under
# var/ is used, and with no REDIS_URL background jobs run in-process.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Every package is installed from a lock file of requirements/ (written by `make lock`): each
# pinned to one version and checked against its SHA-256 hashes, wheels only, so that nothing is
# built on the machine and a package changed on the index after it was locked is refused.
PIP_INSTALL := -m pip install --quiet --require-hashes --only-binary :all:
LOCKS := requirements/pip.lock requirements/test.lock requirements/liiatools.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCKS) | cksum | cut -d' ' -f1)
# The DfE's validators (requirements/dfe.in) pin pandas < 2, which has wheels up to Python 3.11
# only: their environment is made with python3.11 where there is one.
DFE_VENV := .venv-dfe
DFE_PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo $(PYTHON))
DFE_STAMP := $(DFE_VENV)/.installed-$(shell cat requirements/pip.lock requirements/dfe.lock | cksum | cut -d' ' -f1)
UV := $(VENV)/bin/uv
LOCK_WITH := $(UV) pip compile --quiet --generate-hashes --python-version 3.11 --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
SBOM_VENV := var/sbom-venv
CYCLONEDX := $(VENV)/bin/cyclonedx-py environment --spec-version 1.6 --output-reproducible --output-format JSON

.PHONY: run test faults lint install browser clean backup restore bench bench-load lock sbom

$(STAMP): pyproject.toml $(LOCKS)
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@# Debian's python3 comes without venv's pip (ensurepip): it is the python3-venv package.
	@test -x $(PY) || sh .ci/need python3-venv $(PYTHON) -c 'import ensurepip'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) $(PIP_INSTALL) -r requirements/pip.lock
	$(PY) $(PIP_INSTALL) -r requirements/test.lock
	$(PY) $(PIP_INSTALL) --no-deps -r requirements/liiatools.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(DFE_STAMP): requirements/pip.lock requirements/dfe.lock
	test -x $(DFE_VENV)/bin/python || $(DFE_PYTHON) -m venv $(DFE_VENV)
	$(DFE_VENV)/bin/python $(PIP_INSTALL) -r requirements/pip.lock
	$(DFE_VENV)/bin/python $(PIP_INSTALL) -r requirements/dfe.lock
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

# The load benchmark: Locust (in an environment of its own, from requirements/load.lock) against
# gunicorn, Redis and a Celery worker on the database of DATABASE_URL, which must hold the
# national preset (see benchmarks/bench_load.py). Writes its figures as JSON to stdout.
LOAD_VENV := .venv-load
LOAD_STAMP := $(LOAD_VENV)/.installed-$(shell cat requirements/pip.lock requirements/load.lock | cksum | cut -d' ' -f1)

$(LOAD_STAMP): requirements/pip.lock requirements/load.lock
	test -x $(LOAD_VENV)/bin/python || $(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/python $(PIP_INSTALL) -r requirements/pip.lock
	$(LOAD_VENV)/bin/python $(PIP_INSTALL) -r requirements/load.lock
	rm -f $(LOAD_VENV)/.installed-*
	touch $(LOAD_STAMP)

bench-load: install $(LOAD_STAMP)
	$(PY) benchmarks/bench_load.py --locust $(LOAD_VENV)/bin/locust

# The lock files, after a change to pyproject.toml or requirements/*.in. Pins already in a lock
# file are kept; `make lock UPGRADE=1` takes the newest release each range allows. The image's
# app.lock is held to test.lock's versions, so that the image runs what the tests tested. The
# bill of materials is written again from the new locks.
lock: install
	$(LOCK_WITH) --universal --extra test pyproject.toml -o requirements/test.lock
	$(LOCK_WITH) --universal --constraint requirements/test.lock pyproject.toml -o requirements/app.lock
	$(LOCK_WITH) requirements/pip.in -o requirements/pip.lock
	$(LOCK_WITH) --no-deps requirements/liiatools.in -o requirements/liiatools.lock
	$(LOCK_WITH) requirements/dfe.in -o requirements/dfe.lock
	$(LOCK_WITH) requirements/load.in -o requirements/load.lock
	$(MAKE) sbom

# The software bill of materials (CycloneDX 1.6, JSON): docs/sbom.cdx.json lists what the image
# runs (requirements/app.lock, installed into a throw-away environment, with each package's
# licence and dependencies); docs/sbom-dfe.cdx.json the DfE validators' environment.
sbom: install
	rm -rf $(SBOM_VENV)
	@# Python 3.11's venv brings a setuptools of its own that no lock file names: taken out, so
	@# that the list is what app.lock installs.
	$(PYTHON) -m venv $(SBOM_VENV)
	$(SBOM_VENV)/bin/python -m pip uninstall --quiet --yes setuptools
	$(SBOM_VENV)/bin/python $(PIP_INSTALL) -r requirements/pip.lock
	$(SBOM_VENV)/bin/python $(PIP_INSTALL) -r requirements/app.lock
	$(CYCLONEDX) --pyproject pyproject.toml --mc-type application -o docs/sbom.cdx.json $(SBOM_VENV)/bin/python
	$(CYCLONEDX) -o docs/sbom-dfe.cdx.json $(DFE_VENV)/bin/python
	rm -rf $(SBOM_VENV)

clean:
	rm -rf $(VENV) $(DFE_VENV) var staticfiles
