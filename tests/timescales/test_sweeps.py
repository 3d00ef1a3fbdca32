"""The calendar fingerprint that tells the nightly due-date sweeps whether they must look at
every record again."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from iro_service.timescales.selectors import due_dates_fingerprint, due_dates_sweep_since
from iro_service.timescales.services import (
    due_dates_sweep_finished,
    non_working_day_add,
    non_working_day_remove,
    timescale_settings_update,
)

pytestmark = pytest.mark.django_db


def test_the_fingerprint_changes_with_the_settings_and_the_non_working_days_and_only_then():
    first = due_dates_fingerprint()
    assert due_dates_fingerprint() == first
    timescale_settings_update(changes={"icpc_days_from_strategy": 10})
    after_setting = due_dates_fingerprint()
    assert after_setting != first
    day = non_working_day_add(day=date(2026, 12, 29), description="Council closure")
    after_day = due_dates_fingerprint()
    assert after_day not in (first, after_setting)
    non_working_day_remove(record=day)
    assert due_dates_fingerprint() == after_setting
    timescale_settings_update(changes={"icpc_days_from_strategy": 15})
    assert due_dates_fingerprint() == first


def test_a_sweep_counts_only_for_the_calendar_it_worked_to():
    """No sweep finished: every record. A sweep finished to this calendar: the records changed
    since it began. The calendar changed since: every record again."""
    fingerprint = due_dates_fingerprint()
    assert due_dates_sweep_since("reviews-due-dates", fingerprint) is None
    began = timezone.now() - timedelta(minutes=2)
    due_dates_sweep_finished(name="reviews-due-dates", fingerprint=fingerprint, started_at=began)
    assert due_dates_sweep_since("reviews-due-dates", fingerprint) == began
    assert due_dates_sweep_since("conferences-due-dates", fingerprint) is None
    timescale_settings_update(changes={"icpc_days_from_strategy": 10})
    assert due_dates_sweep_since("reviews-due-dates", due_dates_fingerprint()) is None
