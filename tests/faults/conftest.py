"""The fault suite runs alone (``make faults``, which ``.ci/run`` runs after ``make test``): it
starts its own PostgreSQL, Redis, web server and Celery worker, and stops and kills them, which
is no work to share two cores with a parallel test run. Elsewhere its tests are skipped."""

import os

import pytest

from tests.faults.harness import stack_start


def pytest_collection_modifyitems(config, items):
    if os.environ.get("FAULT_SUITE"):
        return
    skip = pytest.mark.skip(reason="the fault suite runs alone: make faults")
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def stack():
    """PostgreSQL and Redis of the suite's own, the database migrated and seeded (a small county,
    a signed-in manager). Each test starts the web server and worker it needs."""
    if not os.path.exists("/usr/bin/redis-server"):
        pytest.fail("redis-server is not installed (.ci/run installs it)")
    stack = stack_start()
    yield stack
    stack.close()


@pytest.fixture
def services(stack):
    """The web servers and workers a test starts are killed when it ends, and the services it
    stopped are running again for the next test."""
    yield stack
    for service in stack.services:
        service.kill()
    stack.services.clear()
    if stack.redis.process.poll() is not None:
        stack.redis.start()
