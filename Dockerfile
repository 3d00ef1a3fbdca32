# The IRO case oversight service: one image for the web server (gunicorn), the Celery worker,
# Celery beat and one-off management commands. See the README's "Deploying with Docker Compose".
#
#   docker build -t iro-service .
#
# Runtime configuration comes only from environment variables (README: "Environment variables");
# nothing secret is baked into the image.

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango and a font for WeasyPrint (PDF output: the subject access export). Nothing else: psycopg2-binary
# and the other wheels carry their own libraries.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The service runs as an unprivileged user that cannot change its own code.
RUN groupadd --system --gid 10001 iro \
    && useradd --system --uid 10001 --gid iro --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin iro

# Dependencies first, from the lock files alone, so that this layer is rebuilt only when they
# change: every package at the version the tests ran, checked against its SHA-256 hashes, wheels
# only (README: "Dependencies"). The app itself runs from /app and is not installed as a package.
COPY requirements/pip.lock requirements/app.lock requirements/dfe.lock /tmp/deps/
RUN pip install --require-hashes --only-binary :all: -r /tmp/deps/pip.lock \
    && pip install --require-hashes --only-binary :all: -r /tmp/deps/app.lock

# The DfE's validators (README: "Dependencies") in an environment of their own: they pin
# pandas < 2 and numpy < 1.25, which the service's own dependencies must not be held to.
RUN python -m venv /opt/dfe \
    && /opt/dfe/bin/pip install --require-hashes --only-binary :all: -r /tmp/deps/pip.lock \
    && /opt/dfe/bin/pip install --require-hashes --only-binary :all: -r /tmp/deps/dfe.lock \
    && rm -rf /tmp/deps
ENV DFE_VALIDATOR_PYTHON=/opt/dfe/bin/python

WORKDIR /app
COPY . /app

# Static files are collected at build time and served by WhiteNoise. Production settings refuse
# to load without DATABASE_URL, a 50-character SECRET_KEY and a PASSWORD_PEPPER, so give them throwaway build-only
# values: collectstatic never connects to the database, and these values exist only for this one
# command (they are not stored in the image's environment).
RUN DJANGO_SETTINGS_MODULE=iro_service.settings.production \
    SECRET_KEY=build-only-key-for-collectstatic-never-used-at-runtime-0000 \
    PASSWORD_PEPPER=build-only-pepper-for-collectstatic-never-used \
    DATABASE_URL=postgres://build:build@127.0.0.1:1/build \
    python manage.py collectstatic --noinput \
    && python -m compileall -q /app

ENV DJANGO_SETTINGS_MODULE=iro_service.settings.production \
    WEB_CONCURRENCY=3

USER iro
EXPOSE 8000

# WEB_CONCURRENCY sets the number of gunicorn worker processes (gunicorn reads it itself).
# TLS is terminated by the council's load balancer or reverse proxy, which must set
# X-Forwarded-Proto: https (see SECURE_SSL_REDIRECT in the README).
CMD ["gunicorn", "iro_service.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-", \
     "--timeout", "60"]
