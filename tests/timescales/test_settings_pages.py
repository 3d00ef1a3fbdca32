"""Managers edit the local timescales and extra non-working days; others only read them."""

from datetime import date

import pytest
from django.urls import reverse

from iro_service.timescales.models import NonWorkingDay, TimescaleSettings
from iro_service.timescales.selectors import timescale_settings

pytestmark = pytest.mark.django_db


def test_settings_have_the_defaults_of_domain_md():
    row = timescale_settings()
    assert (row.lac_sw_report_days_before, row.lac_decisions_days, row.lac_record_days) == (3, 5, 20)
    assert (row.icpc_report_to_parents_days, row.icpc_report_to_chair_days, row.rcpc_report_days) == (2, 1, 3)
    assert (row.cp_record_days, row.cp_plan_structured_review_months, row.pre_birth_weeks_gestation) == (
        10,
        9,
        28,
    )
    assert (row.qa_response_days, row.qa_process_days) == (10, 20)
    assert row.qa_escalation_stages == [
        "Team manager",
        "Service manager",
        "Head of service",
        "Assistant director",
    ]
    assert row.review_date_from == "first_part"


def test_there_is_only_ever_one_settings_row():
    from django.db import IntegrityError, transaction

    timescale_settings()
    with pytest.raises(IntegrityError), transaction.atomic():
        TimescaleSettings.objects.create(singleton=True)


def _form_data(**changes):
    row = timescale_settings()
    from iro_service.timescales.forms import TimescaleSettingsForm

    data = {name: getattr(row, name) for name in TimescaleSettingsForm.Meta.fields}
    data.update(changes)
    return data


def test_manager_changes_a_timescale_and_it_is_in_history(client, manager_user):
    client.force_login(manager_user)
    response = client.post(reverse("timescales:settings"), _form_data(lac_record_days=15))
    assert response.status_code == 302
    row = timescale_settings()
    assert row.lac_record_days == 15
    assert row.history.first().lac_record_days == 15
    assert row.history.count() >= 2


def test_bad_settings_name_the_field_and_change_nothing(client, manager_user):
    client.force_login(manager_user)
    page = client.post(
        reverse("timescales:settings"),
        _form_data(lac_record_days="twenty", caseload_guidance_min=80, caseload_guidance_max=70),
    ).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_lac_record_days"' in page
    assert timescale_settings().lac_record_days == 20


def test_others_see_the_settings_read_only(client, iro_user):
    client.force_login(iro_user)
    page = client.get(reverse("timescales:settings")).content.decode()
    assert "Only an IRO manager can change these" in page
    assert "<form" not in page.split("main-content")[1].split("Sign out")[0] or "Save settings" not in page


def test_manager_adds_and_removes_a_non_working_day(client, manager_user):
    client.force_login(manager_user)
    response = client.post(
        reverse("timescales:non-working-days"), {"date": "03/01/2017", "description": "Council closure day"}
    )
    assert response.status_code == 302
    day = NonWorkingDay.objects.get()
    assert day.date == date(2017, 1, 3)
    page = client.post(
        reverse("timescales:non-working-days"), {"date": "03/01/2017", "description": "Again"}
    ).content.decode()
    assert "That day is already a non-working day" in page
    client.post(reverse("timescales:non-working-day-delete", args=[day.pk]))
    assert not NonWorkingDay.objects.exists()
