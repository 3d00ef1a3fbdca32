"""Disposing of a child's whole record: what is erased (records, history, access log), what is
kept (a brother's records, a family's conference), the register, and the managers' pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.models import Conference, ConferenceChild
from iro_service.audit.models import AccessLog
from iro_service.people.models import Child
from iro_service.people.services import child_restrict
from qa_alerts.models import QaAlert
from retention.erasure import child_record_erase, child_record_rows
from retention.models import DisposalRecord
from retention.schedule import RetentionRule
from retention.services import child_record_dispose
from reviews.models import PeriodOfCare
from reviews.services import period_of_care_end
from tests.factories import ChildFactory, StaffMemberFactory, UserFactory
from tests.factories.county import small_county
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db


def _check_foreign_keys_now():
    """Django makes PostgreSQL's foreign keys deferred, checked at commit, and a test never
    commits: check them here, so that an erasure leaving a dangling reference fails."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _models_pointing_at_children():
    Child_ = apps.get_model("people", "Child")
    for model in apps.get_models(include_auto_created=True):
        for model_field in model._meta.concrete_fields:
            if model_field.is_relation and model_field.related_model is Child_:
                yield model, model_field


def _looked_after_long_ago(*, born: date, **fields) -> Child:
    """A child in care for a month in 2016, the period ended; born ``born``."""
    child = ChildFactory(date_of_birth=born, **fields)
    period = period_of_care(child=child, start_date=date(2016, 4, 4))
    period_of_care_end(period=period, end_date=date(2016, 5, 2), reason_ceased="E13")
    return child


@pytest.fixture
def county(iro_user):
    return small_county(chair_user=iro_user)


def test_erasing_amy_removes_every_record_history_row_and_log_entry_and_keeps_bens(
    county, manager_user, client
):
    """GIVEN the small county: Amy in care, reviewed, at two conferences with her brother Ben,
    on a plan, referred for HSB, the subject of a QA alert and consultations, viewed (logged)
    WHEN her whole record is erased (the walk, without the due check: her record is open)
    THEN no row of any model or history table points at her, no access-log row names her, the
    foreign keys all hold; Ben, his places at the conferences and the conferences themselves
    stay (Ben is still on them); the alert about Amy alone is gone."""
    amy, ben = county.child, Child.objects.get(first_name="Ben", last_name=county.family.reference)
    client.force_login(manager_user)
    client.get(reverse("people:child-detail", args=[amy.pk]))
    assert AccessLog.objects.filter(child=amy).exists()
    ben_entries = set(ConferenceChild.objects.filter(child=ben).values_list("pk", flat=True))

    with transaction.atomic():
        counts = child_record_erase(child_record_rows(child=amy))
        _check_foreign_keys_now()

    assert not Child.objects.filter(pk=amy.pk).exists()
    assert not Child.history.filter(id=amy.pk).exists()
    for model, model_field in _models_pointing_at_children():
        assert not model._base_manager.filter(**{model_field.attname: amy.pk}).exists(), model.__name__
        history = getattr(model, "history", None)
        if history is not None:
            assert not history.model.objects.filter(**{model_field.attname: amy.pk}).exists(), model.__name__
    assert not AccessLog.objects.filter(child_id=amy.pk).exists()
    assert set(ConferenceChild.objects.filter(child=ben).values_list("pk", flat=True)) == ben_entries
    assert Conference.objects.filter(pk=county.held_conference.pk).exists()
    assert not QaAlert.objects.filter(pk=county.alert.pk).exists()
    assert not QaAlert.history.filter(id=county.alert.pk).exists()
    assert counts["Periods of care"] == 1
    assert counts["Access log rows"] >= 1
    assert counts["History rows"] > 20


def test_a_due_child_is_disposed_of_and_the_register_holds_nothing_personal(manager_user):
    """GIVEN Cara, born 1 June 1930, in care for a month in 2016 (75th anniversary 1 June 2005;
    26th birthday 1 June 1956: the later, 2005, by the looked-after rule), with a UPN
    WHEN a manager disposes of her record
    THEN she and her period of care are gone, and the register's entry names the rule, the year
    2005, who authorised it and the counts, and none of her name, child ID, UPN or birth date."""
    cara = _looked_after_long_ago(born=date(1930, 6, 1), first_name="Cara", upn="A123456789012")
    entry = child_record_dispose(child_id=cara.pk, user=manager_user)
    _check_foreign_keys_now()

    assert not Child.objects.filter(pk=cara.pk).exists()
    assert not PeriodOfCare.objects.filter(child_id=cara.pk).exists()
    assert (entry.rule, entry.due_year, entry.authorised_by) == (
        RetentionRule.LOOKED_AFTER,
        2005,
        manager_user,
    )
    assert entry.counts["Periods of care"] == 1
    held = " ".join(str(getattr(entry, f.attname)) for f in DisposalRecord._meta.concrete_fields)
    for personal in (cara.first_name, cara.last_name, cara.local_child_id, cara.upn, "1930", "2005-06-01"):
        assert personal not in held


def test_a_child_not_yet_due_is_refused_with_the_date(county, manager_user):
    """Dan, born 17 May 2010, never in care: kept until his 26th birthday, 17 May 2036."""
    dan = ChildFactory(date_of_birth=date(2010, 5, 17))
    with pytest.raises(ValidationError) as refusal:
        child_record_dispose(child_id=dan.pk, user=manager_user)
    assert refusal.value.messages == [
        "This child's record is not due for disposal until 17 May 2036. Nothing has been erased."
    ]
    with pytest.raises(ValidationError, match="still open"):
        child_record_dispose(child_id=county.child.pk, user=manager_user)
    assert Child.objects.filter(pk__in=[dan.pk, county.child.pk]).count() == 2
    assert not DisposalRecord.objects.exists()


def _due_page(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("retention:due"))
    assert response.status_code == 200
    return response, len(queries)


def test_the_due_list_takes_as_many_queries_at_two_sizes_and_hides_a_restricted_child(client, manager_user):
    """GIVEN 3 children due (born 1980, not in care: 26th birthday 2006), one of them restricted
    to a member of staff other than the manager, and a child not due
    WHEN the manager opens "Records due for disposal", then again with 30 more due children
    THEN the restricted child and the child not due are not listed, and the page takes the same
    number of queries both times: 14 (among them the children, one query of facts for each of
    care, protection and HSB, the page's children, and the access log's insert)."""
    due = [ChildFactory(date_of_birth=date(1980, 1, 1)) for _ in range(3)]
    ChildFactory(date_of_birth=date(2015, 1, 1))
    named = StaffMemberFactory(user=UserFactory())
    child_restrict(child=due[0], staff_members=[named], reason="Relative of staff")
    client.force_login(manager_user)

    response, small = _due_page(client)
    page = response.content.decode()
    assert due[1].local_child_id in page and due[2].local_child_id in page
    assert due[0].local_child_id not in page
    for _ in range(30):
        ChildFactory(date_of_birth=date(1980, 1, 1))
    response, large = _due_page(client)
    # 32 due: the 3 and the 30, less the restricted one.
    assert "of <strong>32</strong> children" in response.content.decode()
    assert large == small == 14, (small, large)


def test_the_disposal_page_asks_for_the_child_id_and_a_recent_sign_in(client, manager_user):
    """GIVEN Erin, due (born 1980), and a manager whose password was given 16 minutes ago
    WHEN they open her disposal page, sign in again, send it with the wrong child ID, then the
    right one
    THEN they are first sent to sign in again; the wrong ID is refused by name and nothing is
    erased; the right one erases her and shows the register with its reference."""
    from datetime import timedelta

    from iro_service.signin.session import AUTHENTICATED_AT

    erin = ChildFactory(date_of_birth=date(1980, 1, 1), first_name="Erin")
    client.force_login(manager_user)
    session = client.session
    session[AUTHENTICATED_AT] = (timezone.now() - timedelta(minutes=16)).isoformat()
    session.save()
    url = reverse("retention:dispose", args=[erin.pk])
    assert client.get(url)["Location"].startswith(reverse("signin:again"))

    session = client.session
    session[AUTHENTICATED_AT] = timezone.now().isoformat()
    session.save()
    page = client.get(url)
    assert "Type the child ID to confirm" in page.content.decode()
    wrong = client.post(url, {"child_id": "X999"})
    assert "does not match" in wrong.content.decode()
    assert Child.objects.filter(pk=erin.pk).exists()

    done = client.post(url, {"child_id": erin.local_child_id}, follow=True)
    entry = DisposalRecord.objects.get()
    assert entry.reference in done.content.decode()
    assert not Child.objects.filter(pk=erin.pk).exists()
    assert "Erin" not in client.get(reverse("retention:register")).content.decode()


@pytest.mark.parametrize("role", ["iro_user", "support_user", "senior_user", "no_role_user"])
def test_every_other_role_is_refused_every_retention_page(request, client, role):
    child = ChildFactory(date_of_birth=date(1980, 1, 1))
    client.force_login(request.getfixturevalue(role))
    for url in (
        reverse("retention:due"),
        reverse("retention:dispose", args=[child.pk]),
        reverse("retention:register"),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"child_id": child.local_child_id}).status_code == 403, url
    assert Child.objects.filter(pk=child.pk).exists()
