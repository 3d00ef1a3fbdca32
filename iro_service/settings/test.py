"""Settings for the test suite: real PostgreSQL, fast password hashing, no outside world."""

import os
from urllib.parse import urlsplit, urlunsplit

from iro_service.settings.base import *  # noqa: F403

DEBUG = False
# The read replica as a mirror of the test database (a second connection to the same database),
# so that tests/core/test_replica.py reads the figures through it; off for every other test.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
READ_FROM_REPLICA = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tests that are about Celery run against the real Redis (REDIS_URL); everything else runs
# tasks in-process so that a test sees their effects at once.
CELERY_TASK_ALWAYS_EAGER = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Parallel test workers (pytest-xdist) share one Redis: give each worker's cache a database of
# its own, since a test's cache.clear() empties the whole database it is on.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):  # noqa: F405
    _url = urlsplit(REDIS_URL)  # noqa: F405
    CACHES["default"]["LOCATION"] = urlunsplit(_url._replace(path=f"/{1 + int(_worker[2:]) % 15}"))  # noqa: F405
# The suite's sign-in helpers (force_login) stand for a completed sign-in; the tests of the
# second factor turn it on (tests/signin/).
SECOND_FACTOR_REQUIRED = False

# The DfE's rules take seconds a return (a subprocess in their own environment): the tests
# about them switch them on (the ``dfe_rules`` fixture); the many importer tests run without.
DFE_RULES = False
