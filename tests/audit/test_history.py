"""Every domain model keeps its history; the child's history tab shows who changed what."""

from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from iro_service.people.services import child_update, iro_allocate
from tests.factories import ChildFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"people", "timescales", "reviews", "conferences", "hsb", "qa_alerts", "reports"}
# The access log is itself the record of views and is append-only; it needs no history. A queued
# upload is a copy of a return kept only until its import runs: history would keep it for ever.
# An annual report's assembly run is the job's own log (its progress, section by section, and its
# files), as are the sections it saved, and its downloads are an append-only log like the access
# log. A due-date sweep's row is the nightly job's own note of when it last finished and the
# calendar it worked to, and the figures' changes are the cache's count of transactions, written
# by a trigger in every changing transaction: neither is a record anyone edits.
NO_HISTORY = {
    "audit.AccessLog",
    "audit.QueuedUpload",
    "reports.AnnualReportRun",
    "reports.AnnualReportRunSection",
    "reports.AnnualReportDownload",
    "reports.FiguresChange",
    "timescales.DueDateSweep",
}


def test_every_domain_model_has_history():
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label not in DOMAIN_APPS | {"audit"} or label in NO_HISTORY:
            continue
        if model.__name__.startswith("Historical"):
            continue
        if not hasattr(model, "history"):
            missing.append(label)
    assert missing == []


def test_history_tab_shows_each_change_with_its_author(client, manager_user):
    """GIVEN a child whose first name is corrected and who gets a new IRO
    WHEN a manager opens the History tab
    THEN both changes are listed with the old and new values and who made them."""
    child = ChildFactory(first_name="Aimee")
    client.force_login(manager_user)
    # simple-history takes the author from the request; set it as the middleware would.
    from simple_history.models import HistoricalRecords

    class _Request:
        user = manager_user

    HistoricalRecords.context.request = _Request()
    try:
        child_update(child=child, changes={"first_name": "Amy"})
        iro_allocate(
            child=child,
            iro=StaffMemberFactory(first_name="Ruth", last_name="Lane"),
            start_date=date(2016, 4, 1),
            by=manager_user,
        )
    finally:
        del HistoricalRecords.context.request

    page = client.get(reverse("people:child-history", args=[child.pk])).content.decode()
    assert "Changed: Child&#x27;s details" in page
    assert "First name: Aimee → Amy" in page
    assert "Created: IRO allocation (Ruth Lane)" in page
    assert f"by {manager_user.get_full_name()}" in page


def test_history_copied_inside_the_database_equals_simple_historys_rows(make_user):
    """The SSDA903 import writes its history with INSERT ... SELECT: each row must hold what
    bulk_create_with_history would have written (every field, '+', the user, the reason)."""
    from simple_history.utils import bulk_create_with_history

    from iro_service.audit.services import history_record_created
    from iro_service.people.models import Child

    user = make_user(username="importer")
    fields = {"date_of_birth": date(2010, 6, 1), "sex": "F", "ethnicity": "WBRI", "upn": "UN3"}
    library = bulk_create_with_history(
        [Child(local_child_id="LIB1", **fields)],
        Child,
        default_user=user,
        default_change_reason="SSDA903 import",
    )
    ours = Child.objects.bulk_create([Child(local_child_id="OUR1", **fields)])
    assert history_record_created(Child, [ours[0].pk], user=user, reason="SSDA903 import") == 1

    compared = [f.attname for f in Child.history.model._meta.concrete_fields]
    compared = [
        name for name in compared if name not in {"history_id", "history_date", "id", "local_child_id"}
    ]
    compared = [name for name in compared if name not in {"created_at", "updated_at"}]
    library_row = Child.history.filter(id=library[0].pk).values(*compared).get()
    our_row = Child.history.filter(id=ours[0].pk).values(*compared).get()
    assert our_row == library_row
    assert our_row["history_type"] == "+"
    assert our_row["history_user_id"] == user.pk
    assert our_row["history_change_reason"] == "SSDA903 import"
    # created_at and updated_at are the inserted row's own, copied as they are.
    child = Child.objects.get(pk=ours[0].pk)
    assert Child.history.filter(id=child.pk).values_list("created_at", "updated_at").get() == (
        child.created_at,
        child.updated_at,
    )


def test_history_tab_says_a_change_came_from_an_import(client, manager_user, tmp_path):
    """A child created by an SSDA903 import imported from the managers' page: the History tab
    names the import and the manager who ran it."""
    from iro_service.people.models import Child
    from reviews.ssda903 import import_903
    from tests.reviews.test_ssda903 import files_in, write_return

    manager_user.first_name, manager_user.last_name = "Mina", "Patel"
    manager_user.save()
    import_903(files_in(write_return(tmp_path / "in")), user=manager_user)
    child = Child.objects.get(local_child_id="A1")
    client.force_login(manager_user)
    page = client.get(reverse("people:child-history", args=[child.pk])).content.decode()
    assert "by Mina Patel (SSDA903 import)" in page
