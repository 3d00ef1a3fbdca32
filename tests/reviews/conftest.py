"""Fixtures for the reviews tests."""

import pytest

from iro_service.timescales.dates import forget_extra_non_working_days


@pytest.fixture(autouse=True)
def fresh_non_working_days():
    """The extra non-working days are cached outside the database, so a test's rolled-back
    closure day must not leak into the next test's due dates."""
    forget_extra_non_working_days()
    yield
    forget_extra_non_working_days()
