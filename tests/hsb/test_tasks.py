"""The nightly refresh of the HSB meeting records' due dates."""

from datetime import date

import pytest

from hsb import tasks
from hsb.models import HsbMeeting
from iro_service.celery import app
from iro_service.timescales.services import non_working_day_add
from tests.factories.hsb import decided, meeting

pytestmark = pytest.mark.django_db


def test_nightly_refresh_is_idempotent_and_follows_a_new_non_working_day():
    held = meeting(referral=decided(received_on=date(2016, 12, 1)), on=date(2016, 12, 16))
    assert tasks.hsb_meeting_due_dates_refresh_nightly.delay().get() == 0
    # A closure day on Tue 3 Jan 2017 pushes both dates a working day: 4 Jan -> 5 Jan, 11 Jan -> 12 Jan.
    non_working_day_add(day=date(2017, 1, 3), description="Council closure day")
    assert tasks.hsb_meeting_due_dates_refresh_nightly.delay().get() == 1
    held = HsbMeeting.objects.get(pk=held.pk)
    assert (held.record_produced_due, held.record_distributed_due) == (date(2017, 1, 5), date(2017, 1, 12))
    assert tasks.hsb_meeting_due_dates_refresh_nightly.delay().get() == 0


def test_the_job_is_on_the_beat_schedule():
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "hsb.tasks.hsb_meeting_due_dates_refresh_nightly" in scheduled
