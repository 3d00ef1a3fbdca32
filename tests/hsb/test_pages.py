"""The HSB pages: who may see them (404 for everyone else, not 403), the access log, the
pathway through the pages with bad input refused in GOV.UK style, and query counts that do not
grow with the rows."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hsb import services
from hsb.models import HsbAssessment, HsbMeeting, HsbReferral, HsbTrainingRecord, PlannedCourse
from hsb.selectors import child_hsb_link
from iro_service.audit.models import AccessLog
from iro_service.core.roles import Role
from tests.factories import ChildFactory, StaffMemberFactory, UserFactory
from tests.factories.hsb import decided, hsb_lead, meeting, referral

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def lead_user():
    """The HSB lead signs in with the IRO manager role and is a member of staff."""
    user = UserFactory(role=Role.IRO_MANAGER, username="hsb-lead")
    hsb_lead(user=user)
    return user


@pytest.fixture
def chairing_iro(make_user):
    """An IRO who chairs an HSB meeting about one referral."""
    user = make_user(Role.IRO, username="chairing-iro")
    return user, StaffMemberFactory(first_name="Rae", last_name="Cole", user=user)


@pytest.fixture
def met(chairing_iro):
    """A referral rated red a month ago, its meeting chaired by the IRO three weeks ago."""
    _, iro = chairing_iro
    made = decided(
        rating="red", received_on=TODAY - timedelta(days=30), decided_on=TODAY - timedelta(days=28)
    )
    meeting(referral=made, on=TODAY - timedelta(days=21), chair=iro)
    return made


@pytest.fixture
def other():
    """Another referral, whose meeting someone else chaired."""
    made = decided(rating="amber", received_on=TODAY - timedelta(days=40))
    meeting(referral=made, on=TODAY - timedelta(days=30))
    return made


# --- who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager_user", 200),
        ("senior_user", 200),
        ("iro_user", 404),  # an IRO not involved: as if it did not exist
        ("support_user", 404),
        ("no_role_user", 404),
        ("api_user", 404),
    ],
)
def test_a_referral_page_is_404_for_everyone_not_allowed(request, client, met, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("hsb:referral-detail", args=[met.pk])).status_code == status


def test_an_iro_who_chairs_a_meeting_sees_that_referral_and_no_other(client, chairing_iro, met, other):
    user, _ = chairing_iro
    client.force_login(user)
    assert client.get(reverse("hsb:referral-detail", args=[met.pk])).status_code == 200
    assert client.get(reverse("hsb:child-referrals", args=[met.child_id])).status_code == 200
    assert client.get(reverse("hsb:referral-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("hsb:child-referrals", args=[other.child_id])).status_code == 404
    # The lead's queue and the register are for those who see every HSB record.
    assert client.get(reverse("hsb:index")).status_code == 404
    assert client.get(reverse("hsb:training-register")).status_code == 404
    # Seeing a referral is not changing it.
    assert client.get(reverse("hsb:referral-decide", args=[met.pk])).status_code == 403


def test_a_page_for_a_referral_that_does_not_exist_is_the_same_404(client, manager_user, iro_user, met):
    client.force_login(iro_user)
    hidden = client.get(reverse("hsb:referral-detail", args=[met.pk]))
    missing = client.get(reverse("hsb:referral-detail", args=[met.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    # The same page, but for the form tokens that differ on every page.
    tokens = re.compile(rb'value="[^"]{40,}"')
    assert tokens.sub(b"", hidden.content) == tokens.sub(b"", missing.content)


def test_the_child_page_link_is_only_for_those_allowed(
    manager_user, senior_user, iro_user, chairing_iro, met
):
    user, _ = chairing_iro
    url = reverse("hsb:child-referrals", args=[met.child_id])
    assert child_hsb_link(user=manager_user, child=met.child)["url"] == url
    assert child_hsb_link(user=senior_user, child=met.child)["url"] == url
    assert child_hsb_link(user=user, child=met.child)["url"] == url
    assert child_hsb_link(user=iro_user, child=met.child) is None
    # A child with no referral: the lead may add one; a senior manager has nothing to open.
    newcomer = ChildFactory()
    assert child_hsb_link(user=manager_user, child=newcomer) is not None
    assert child_hsb_link(user=senior_user, child=newcomer) is None


def test_the_child_summary_page_shows_the_hsb_link_only_to_those_allowed(
    client, manager_user, iro_user, support_user, chairing_iro, met
):
    url = reverse("hsb:child-referrals", args=[met.child_id]).encode()
    summary = reverse("people:child-detail", args=[met.child_id])
    user, _ = chairing_iro
    for allowed in (manager_user, user):
        client.force_login(allowed)
        assert url in client.get(summary).content
    # An IRO not involved and business support see the summary with no sign of HSB work.
    for refused in (iro_user, support_user):
        client.force_login(refused)
        page = client.get(summary)
        assert page.status_code == 200
        assert url not in page.content
        assert b"sexual behaviour" not in page.content


def test_navigation_shows_hsb_only_to_those_who_see_every_record(client, manager_user, iro_user):
    client.force_login(manager_user)
    assert 'href="/hsb/"' in client.get(reverse("home")).content.decode()
    client.force_login(iro_user)
    assert 'href="/hsb/"' not in client.get(reverse("home")).content.decode()


# --- the access log -------------------------------------------------------------------------


def test_every_view_of_a_referral_is_in_the_access_log(client, manager_user, met, other):
    client.force_login(manager_user)
    client.get(reverse("hsb:referral-detail", args=[met.pk]))
    assert AccessLog.objects.filter(child=met.child, what="HSB: referral").count() == 1
    client.get(reverse("hsb:referral-list"))
    assert set(AccessLog.objects.filter(what="HSB: referrals").values_list("child_id", flat=True)) == {
        met.child_id,
        other.child_id,
    }


def test_a_refused_view_writes_nothing_to_the_access_log(client, iro_user, met):
    client.force_login(iro_user)
    client.get(reverse("hsb:referral-detail", args=[met.pk]))
    assert not AccessLog.objects.exists()


# --- the pathway through the pages ----------------------------------------------------------


def test_the_lead_adds_a_referral_for_a_child_already_known_by_child_id(client, lead_user):
    child = ChildFactory(local_child_id="K123", first_name="Kai")
    client.force_login(lead_user)
    response = client.post(
        reverse("hsb:referral-add"),
        {
            "child_id": "k123",
            "received_on": (TODAY - timedelta(days=2)).strftime("%d/%m/%Y"),
            "referrer_name": "Jo Marsh",
            "referrer_team": "Kai's school",
            "description": "Sexualised language towards younger pupils",
        },
    )
    made = HsbReferral.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.child == child


def test_a_referral_with_no_child_is_refused_naming_the_field(client, lead_user):
    client.force_login(lead_user)
    response = client.post(
        reverse("hsb:referral-add"),
        {"received_on": "01/02/2017", "referrer_name": "Jo", "referrer_team": "School", "description": "X"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the child ID of a child already known, or the new child&#x27;s details" in page
    assert 'value="Jo"' in page  # nothing lost
    assert not HsbReferral.objects.exists()


def test_a_threshold_decision_without_a_rating_is_refused_on_the_page(client, lead_user):
    made = referral(received_on=TODAY - timedelta(days=3))
    client.force_login(lead_user)
    response = client.post(
        reverse("hsb:referral-decide", args=[made.pk]),
        {
            "tool_version": "2012",
            "outcome": "no_further_action",
            "decided_on": TODAY.strftime("%d/%m/%Y"),
            "seen_updated_at": made.updated_at.isoformat(),
        },
    )
    page = response.content.decode()
    assert "Choose the brook traffic light rating" in page
    made.refresh_from_db()
    assert made.decided_on is None


def test_the_decision_is_put_down_to_the_lead(client, lead_user):
    made = referral(received_on=TODAY - timedelta(days=3))
    client.force_login(lead_user)
    response = client.post(
        reverse("hsb:referral-decide", args=[made.pk]),
        {
            "rating": "red",
            "tool_version": "2020",
            "decided_on": TODAY.strftime("%d/%m/%Y"),
            "seen_updated_at": made.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.decided_by == lead_user.staff_member and made.outcome == "hsb_meeting"


def test_a_meeting_below_the_threshold_without_a_reason_is_refused_on_the_page(client, lead_user):
    below = decided(rating="green", received_on=TODAY - timedelta(days=10))
    client.force_login(lead_user)
    form = {
        "date": TODAY.strftime("%d/%m/%Y"),
        "chair": lead_user.staff_member.pk,
        "risk_summary": "Low risk",
        "recommendations": "Basic intervention",
    }
    response = client.post(reverse("hsb:meeting-record", args=[below.pk]), form)
    assert "Enter why the meeting was held all the same" in response.content.decode()
    assert not HsbMeeting.objects.exists()
    response = client.post(
        reverse("hsb:meeting-record", args=[below.pk]), {**form, "override_reason": "Police asked"}
    )
    assert response.status_code == 302
    assert HsbMeeting.objects.get().override_reason == "Police asked"


def test_an_untrained_assessor_is_refused_on_the_page_naming_the_training(client, lead_user):
    made = decided(
        child=ChildFactory(sex="M", date_of_birth=date(2003, 1, 1)), received_on=TODAY - timedelta(days=5)
    )
    assessor = StaffMemberFactory(first_name="Ann", last_name="Bird", job_role="social_worker")
    client.force_login(lead_user)
    response = client.post(
        reverse("hsb:assessment-add", args=[made.pk]),
        {"tool": "aim2", "date": TODAY.strftime("%d/%m/%Y"), "assessor_staff": assessor.pk, "outcome": "low"},
    )
    assert "Ann Bird has no AIM2 assessment training on the register" in response.content.decode()
    assert not HsbAssessment.objects.exists()


def test_the_register_takes_staff_and_outside_practitioners_and_planned_courses(client, lead_user):
    client.force_login(lead_user)
    worker = StaffMemberFactory(job_role="social_worker")
    client.post(
        reverse("hsb:training-add"),
        {"course": "aim2", "completed_on": "20/01/2017", "staff": worker.pk},
    )
    client.post(
        reverse("hsb:training-add"),
        {
            "course": "aim2",
            "completed_on": "20/01/2017",
            "practitioner_name": "Lee Dunn",
            "practitioner_agency": "Youth Offending Service",
        },
    )
    client.post(
        reverse("hsb:planned-course-add"),
        {"course": "aim2", "audience": "Qualified social workers, 2 of them IROs", "places": "18"},
    )
    assert HsbTrainingRecord.objects.count() == 2
    assert PlannedCourse.objects.get().places == 18
    page = client.get(reverse("hsb:training-register")).content.decode()
    assert "Youth Offending Service (outside agency)" in page
    assert "Qualified social workers, 2 of them IROs" in page


def test_a_bad_number_of_places_is_refused_naming_the_field(client, lead_user):
    client.force_login(lead_user)
    response = client.post(
        reverse("hsb:planned-course-add"), {"course": "aim2", "audience": "All", "places": "lots"}
    )
    assert "Enter the number of places as a whole number" in response.content.decode()
    assert not PlannedCourse.objects.exists()


def test_the_referral_page_shows_in_care_from_the_periods_and_the_timeline(client, manager_user, met):
    client.force_login(manager_user)
    page = client.get(reverse("hsb:referral-detail", args=[met.pk])).content.decode()
    assert "Referral received" in page and "Threshold decision" in page and "HSB meeting held" in page
    assert "Not in care that day." in page


# --- query counts ---------------------------------------------------------------------------


def _build(count: int) -> None:
    """``count`` of each row the queue shows: undecided, awaiting a meeting, a meeting whose
    record is out, and a meeting with a review due; plus training records."""
    lead = hsb_lead()
    for _ in range(count):
        referral(received_on=TODAY - timedelta(days=3))
        decided(rating="red", received_on=TODAY - timedelta(days=10), by=lead)
        held = decided(rating="amber", received_on=TODAY - timedelta(days=40), by=lead)
        meeting(referral=held, on=TODAY - timedelta(days=30), chair=lead, review_on=TODAY + timedelta(days=2))
        services.hsb_training_record_add(staff=StaffMemberFactory(), course="brook", completed_on=TODAY)
        services.hsb_training_record_add(
            practitioner_name=f"Worker {HsbTrainingRecord.objects.count()}",
            practitioner_agency="Police",
            course="aim2",
            completed_on=TODAY,
        )
        services.planned_course_add(course="aim3", audience="Social workers", places=10)


@pytest.mark.parametrize("url_name", ["hsb:index", "hsb:referral-list", "hsb:training-register"])
def test_every_list_uses_the_same_number_of_queries_for_more_rows(client, manager_user, url_name):
    client.force_login(manager_user)
    _build(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _build(5)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


def test_the_child_and_referral_pages_use_the_same_number_of_queries_for_more_rows(client, manager_user):
    client.force_login(manager_user)
    child = ChildFactory(sex="M", date_of_birth=date(2003, 1, 1))
    first = decided(child=child, received_on=TODAY - timedelta(days=60))
    meeting(referral=first, on=TODAY - timedelta(days=50))
    urls = [reverse("hsb:child-referrals", args=[child.pk]), reverse("hsb:referral-detail", args=[first.pk])]
    with CaptureQueriesContext(connection) as small:
        for url in urls:
            client.get(url)
    for days in (40, 30, 20):
        meeting(referral=first, on=TODAY - timedelta(days=days))
        decided(child=child, received_on=TODAY - timedelta(days=days))
    with CaptureQueriesContext(connection) as large:
        for url in urls:
            client.get(url)
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
