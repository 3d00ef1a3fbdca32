"""The reviews pages: who may open them, what the queues hold, the review form with its parts,
bulk distribution, and query counts at two data sizes."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iro_service.audit.models import AccessLog
from iro_service.people.models import StaffMember
from reviews import services
from reviews.codes import MeetingStatus
from reviews.models import LacReview, ReviewMeeting
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db

ROLES = ["iro_user", "manager_user", "support_user", "senior_user", "no_role_user"]


def child_in_care(*, iro=None, start=None, **child_fields):
    """A child in care since ``start`` (default: 10 days ago) with ``iro`` allocated."""
    start = start or timezone.localdate() - timedelta(days=10)
    child = ChildFactory(date_of_birth=date(2008, 1, 1), **child_fields)
    if iro is not None:
        IroAllocationFactory(child=child, iro=iro, start_date=start)
    return period_of_care(child=child, start_date=start)


@pytest.fixture
def iro_member(iro_user):
    return StaffMemberFactory(user=iro_user, first_name="Helen", last_name="Ashworth")


@pytest.fixture
def child():
    return child_in_care().child


GET_MATRIX = {
    "reviews:children-in-care": {"iro_user", "manager_user", "support_user", "senior_user"},
    "reviews:care-record": {"iro_user", "manager_user", "support_user", "senior_user"},
    "reviews:review-record": {"iro_user", "manager_user"},
    "reviews:contact-record": {"iro_user", "manager_user"},
    "reviews:to-book": {"manager_user", "support_user"},
    "reviews:records-to-distribute": {"manager_user", "support_user"},
}
CHILD_PAGES = {"reviews:care-record", "reviews:review-record", "reviews:contact-record"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(GET_MATRIX))
def test_who_may_open_each_page(request, client, role, page, child):
    client.force_login(request.getfixturevalue(role))
    url = reverse(page, args=[child.pk]) if page in CHILD_PAGES else reverse(page)
    response = client.get(url)
    assert response.status_code == (200 if role in GET_MATRIX[page] else 403), f"{role} {page}"


@pytest.mark.parametrize("role", ROLES)
def test_only_business_support_and_managers_may_distribute_or_book(request, client, role, child):
    held = review(
        child=child, parts=timezone.localdate() - timedelta(days=2), record_completed=timezone.localdate()
    )
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("reviews:records-to-distribute"),
        {"reviews": [held.pk], "distributed_on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    allowed = role in {"manager_user", "support_user"}
    assert response.status_code == (302 if allowed else 403)
    held.refresh_from_db()
    assert (held.record_distributed is not None) is allowed
    booking = client.post(
        reverse("reviews:meeting-book", args=[held.period_id]),
        {"date": (timezone.localdate() + timedelta(days=30)).strftime("%d/%m/%Y")},
    )
    assert booking.status_code == (302 if allowed else 403)


@pytest.mark.parametrize("role", ["support_user", "senior_user", "no_role_user"])
def test_only_iros_and_managers_may_record_a_review(request, client, role, child):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("reviews:review-record", args=[child.pk]), {})
    assert response.status_code == 403
    assert not LacReview.objects.exists()


def test_care_page_is_in_the_access_log_and_links_to_change_iro(client, manager_user, child):
    client.force_login(manager_user)
    page = client.get(reverse("reviews:care-record", args=[child.pk])).content.decode()
    assert reverse("people:child-reallocate", args=[child.pk]) in page
    assert AccessLog.objects.filter(child=child, what="Child record: care and reviews").count() == 1


def test_my_children_in_care_shows_the_iros_own_children_with_their_status(client, iro_user, iro_member):
    """GIVEN Helen's three children in care (one overdue, one due within 10 working days, one
    due later) and another IRO's child
    THEN her list shows her three, most urgent first, each status in words."""
    today = timezone.localdate()
    # In care 40 days ago: first review (20 working days) overdue.
    overdue = child_in_care(iro=iro_member, start=today - timedelta(days=40), last_name="Overdue")
    # In care 20 days ago, reviewed 85 days after... simpler: in care today - 18 days: due
    # 20 working days (28 calendar days or more) after, so within 10 working days.
    soon = child_in_care(iro=iro_member, start=today - timedelta(days=18), last_name="Soon")
    later = child_in_care(iro=iro_member, start=today - timedelta(days=1), last_name="Later")
    child_in_care(iro=StaffMemberFactory(), last_name="Someone-else")
    client.force_login(iro_user)
    response = client.get(reverse("reviews:children-in-care"))
    rows = list(response.context["page"].object_list)
    assert response.context["title"] == "My children in care"
    assert [period.pk for period in rows] == [overdue.pk, soon.pk, later.pk]
    assert [period.status for period in rows] == ["overdue", "due_soon", "on_track"]
    page = response.content.decode()
    assert "Overdue" in page and "Due soon" in page and "Not due yet" in page
    assert "Someone-else" not in page
    only_overdue = client.get(
        reverse("reviews:children-in-care"), {"status": "overdue", "iro": iro_member.pk}
    )
    assert [p.pk for p in only_overdue.context["page"].object_list] == [overdue.pk]
    by_name = client.get(reverse("reviews:children-in-care"), {"sort": "-name", "iro": ""})
    names = [p.child.last_name for p in by_name.context["page"].object_list]
    assert names == sorted(names, reverse=True) and len(names) == 4


def test_reviews_to_book_lists_due_soon_without_a_meeting(client, support_user):
    today = timezone.localdate()
    due_soon = child_in_care(start=today - timedelta(days=5), last_name="Due")
    booked = child_in_care(start=today - timedelta(days=5), last_name="Booked")
    services.review_meeting_book(period=booked, on=today + timedelta(days=10))
    reviewed = child_in_care(start=today - timedelta(days=20), last_name="Reviewed")
    review(child=reviewed.child, parts=today - timedelta(days=1))  # next due in 3 months
    client.force_login(support_user)
    response = client.get(reverse("reviews:to-book"), {"weeks": 6})
    assert [p.pk for p in response.context["page"].object_list] == [due_soon.pk]
    wide = client.get(reverse("reviews:to-book"), {"weeks": 26})
    assert {p.pk for p in wide.context["page"].object_list} == {due_soon.pk, reviewed.pk}


def test_records_to_distribute_oldest_first_with_days_overdue(client, support_user):
    today = timezone.localdate()
    old = child_in_care(start=today - timedelta(days=120))
    new = child_in_care(start=today - timedelta(days=20))
    not_completed = child_in_care(start=today - timedelta(days=20))
    old_review = review(
        child=old.child, parts=today - timedelta(days=100), record_completed=today - timedelta(days=50)
    )
    new_review = review(child=new.child, parts=today - timedelta(days=2), record_completed=today)
    review(child=not_completed.child, parts=today - timedelta(days=3))
    client.force_login(support_user)
    response = client.get(reverse("reviews:records-to-distribute"))
    rows = list(response.context["page"].object_list)
    assert [r.pk for r in rows] == [old_review.pk, new_review.pk]
    assert rows[0].days_overdue == (today - old_review.record_due).days > 0
    assert rows[1].days_overdue < 0
    assert f"{rows[0].days_overdue} days overdue" in response.content.decode()


def test_bulk_mark_distributed_for_a_chosen_date(client, support_user):
    today = timezone.localdate()
    periods = [child_in_care(start=today - timedelta(days=60)) for _ in range(3)]
    reviews = [
        review(child=p.child, parts=today - timedelta(days=30), record_completed=today - timedelta(days=10))
        for p in periods
    ]
    client.force_login(support_user)
    chosen_day = today - timedelta(days=5)
    response = client.post(
        reverse("reviews:records-to-distribute"),
        {"reviews": [reviews[0].pk, reviews[1].pk], "distributed_on": chosen_day.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    assert dict(LacReview.objects.values_list("pk", "record_distributed")) == {
        reviews[0].pk: chosen_day,
        reviews[1].pk: chosen_day,
        reviews[2].pk: None,
    }


def test_bulk_distribution_before_completion_says_so_and_changes_nothing(client, support_user):
    today = timezone.localdate()
    period = child_in_care(start=today - timedelta(days=60))
    held = review(
        child=period.child, parts=today - timedelta(days=30), record_completed=today - timedelta(days=10)
    )
    client.force_login(support_user)
    response = client.post(
        reverse("reviews:records-to-distribute"),
        {"reviews": [held.pk], "distributed_on": (today - timedelta(days=20)).strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200
    assert "after that date" in response.content.decode()
    held.refresh_from_db()
    assert held.record_distributed is None
    nothing = client.post(
        reverse("reviews:records-to-distribute"), {"distributed_on": today.strftime("%d/%m/%Y")}
    )
    assert "Select at least one record" in nothing.content.decode()


def _form_data(**fields):
    data = {
        "part-TOTAL_FORMS": "1",
        "part-INITIAL_FORMS": "0",
        "part-MIN_NUM_FORMS": "1",
        "part-MAX_NUM_FORMS": "10",
        "part-0-date": "",
        "part-0-notes": "",
        "chair": "",
        "participation_code": "",
        "sw_report_received": "",
        "decisions_circulated": "",
        "record_completed": "",
        "late_reason": "",
        "save": "1",
    }
    data.update(fields)
    return data


def test_iro_records_a_two_part_review_adding_the_part_on_the_same_page(client, iro_user, iro_member):
    """GIVEN a child in care since 4 April 2016
    WHEN the IRO adds a second part on the form, then saves part 1 on 28 April and part 2 on
    3 May
    THEN one review is saved with its date from part 1 and both parts, the chair defaulted to
    her, and the next review due 3 months after part 1 (28 July 2016)."""
    period = child_in_care(iro=iro_member, start=date(2016, 4, 4))
    url = reverse("reviews:review-record", args=[period.child.pk])
    client.force_login(iro_user)
    first = client.get(url)
    assert first.context["form"].initial["chair"] == iro_member.pk
    data = _form_data(**{"part-0-date": "28/04/2016", "chair": iro_member.pk, "participation_code": "PN1"})
    data.pop("save")
    data["add_part"] = "1"
    more = client.post(url, data)
    assert len(more.context["formset"].forms) == 2
    assert not LacReview.objects.exists()
    data = _form_data(
        **{
            "part-TOTAL_FORMS": "2",
            "part-0-date": "28/04/2016",
            "part-1-date": "03/05/2016",
            "part-1-notes": "Reconvened for the health assessment",
            "chair": iro_member.pk,
            "participation_code": "PN1",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    saved = LacReview.objects.get()
    assert saved.review_date == date(2016, 4, 28)
    assert [p.date for p in saved.parts.all()] == [date(2016, 4, 28), date(2016, 5, 3)]
    period.refresh_from_db()
    assert period.next_review_due == date(2016, 7, 28)


def test_review_form_errors_name_the_field_and_save_nothing(client, iro_user, iro_member):
    period = child_in_care(iro=iro_member, start=date(2016, 4, 4))
    url = reverse("reviews:review-record", args=[period.child.pk])
    client.force_login(iro_user)
    page = client.post(url, _form_data(chair=iro_member.pk)).content.decode()
    assert "Enter the date of part 1 of the review" in page
    page = client.post(
        url,
        _form_data(
            **{
                "part-TOTAL_FORMS": "2",
                "part-0-date": "28/04/2016",
                "part-1-date": "27/04/2016",
                "chair": iro_member.pk,
            }
        ),
    ).content.decode()
    assert "Part 2 must be on or after part 1, held on 28 April 2016." in page
    assert 'href="#id_part-1-date"' in page
    page = client.post(
        url, _form_data(**{"part-0-date": "01/04/2016", "chair": iro_member.pk})
    ).content.decode()
    assert "The review date must be on or after the child came into care on 4 April 2016." in page
    assert not LacReview.objects.exists()


def test_editing_a_review_keeps_its_date_from_part_1(client, iro_user, iro_member):
    period = child_in_care(iro=iro_member, start=date(2016, 4, 4))
    held = review(child=period.child, parts=date(2016, 4, 28), chair=iro_member)
    url = reverse("reviews:review-edit", args=[held.pk])
    client.force_login(iro_user)
    form = client.get(url).context["form"]
    data = _form_data(
        **{
            "part-TOTAL_FORMS": "2",
            "part-INITIAL_FORMS": "1",
            "part-0-date": "28/04/2016",
            "part-1-date": "10/05/2016",
            "chair": iro_member.pk,
            "record_completed": "12/05/2016",
            "updated_at": form.initial["updated_at"],
        }
    )
    assert client.post(url, data).status_code == 302
    held.refresh_from_db()
    assert held.review_date == date(2016, 4, 28)
    assert held.parts.count() == 2
    stale = client.post(url, data).content.decode()
    assert "Someone else changed this review" in stale


def test_booking_a_meeting_takes_the_child_off_the_list(client, support_user):
    period = child_in_care(start=timezone.localdate() - timedelta(days=5))
    client.force_login(support_user)
    on = timezone.localdate() + timedelta(days=7)
    response = client.post(
        reverse("reviews:meeting-book", args=[period.pk]), {"date": on.strftime("%d/%m/%Y")}
    )
    assert response.status_code == 302
    assert ReviewMeeting.objects.get(period=period).status == MeetingStatus.BOOKED
    assert list(client.get(reverse("reviews:to-book")).context["page"].object_list) == []


def test_a_meeting_moved_keeps_its_reason_and_recording_the_review_marks_it_held(support_user):
    today = timezone.localdate()
    period = child_in_care(start=today - timedelta(days=15))
    meeting = services.review_meeting_book(period=period, on=today + timedelta(days=3))
    moved = services.review_meeting_cancel(meeting=meeting, reason="Child unwell", new_date=today)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.reason) == (MeetingStatus.REBOOKED, "Child unwell")
    held = review(child=period.child, parts=today)
    moved.refresh_from_db()
    assert (moved.status, moved.review_id) == (MeetingStatus.HELD, held.pk)


# --- query counts ---------------------------------------------------------------------------


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def _grow(iro, n):
    today = timezone.localdate()
    for number in range(n):
        period = child_in_care(iro=iro, start=today - timedelta(days=30 + number))
        review(child=period.child, parts=today - timedelta(days=1), record_completed=today, chair=iro)


# Queries, named. Every list: session, user, permissions (2), the count, the user's groups
# (header), the IROs for the filter, the page, the access log of the children shown (one
# INSERT), the session save (savepoint, update, release): 12. 'Reviews to book' also reads the
# timescale settings (the amber window): 13. 'Records to distribute' also reads the IROs' teams
# for its team filter: 13. 'My children in care' also reads the IRO's own staff record and
# validates it as the filter's IRO: 15.
@pytest.mark.parametrize(
    ("url_name", "user_fixture", "expected"),
    [
        ("reviews:children-in-care", "iro_user", 15),
        ("reviews:to-book", "support_user", 13),
        ("reviews:records-to-distribute", "support_user", 13),
    ],
)
def test_list_query_counts_do_not_grow_with_rows(request, client, url_name, user_fixture, expected):
    user = request.getfixturevalue(user_fixture)
    iro = StaffMember.objects.filter(user=user).first() or StaffMemberFactory(
        user=user if user_fixture == "iro_user" else None
    )
    client.force_login(user)
    params = {"weeks": 26}
    _grow(iro, 2)
    small = _count(client, reverse(url_name), params)
    _grow(iro, 12)
    large = _count(client, reverse(url_name), params)
    assert small == large == expected, url_name


def test_care_page_query_count_does_not_grow_with_reviews(client, iro_user):
    period = child_in_care(start=date(2014, 4, 7))
    client.force_login(iro_user)
    url = reverse("reviews:care-record", args=[period.child.pk])
    review(child=period.child, parts=date(2014, 5, 1))
    small = _count(client, url)
    for held in [date(2014, 7, 30), date(2015, 1, 20), date(2015, 7, 14), date(2016, 1, 5)]:
        review(child=period.child, parts=[held, held + timedelta(days=7)])
        services.iro_contact_record(child=period.child, iro=StaffMemberFactory(), on=held, kind="visit")
    large = _count(client, url)
    assert small == large


def test_home_panel_query_count_does_not_grow(client, iro_user, iro_member):
    client.force_login(iro_user)
    _grow(iro_member, 1)
    small = _count(client, reverse("home"))
    _grow(iro_member, 6)
    large = _count(client, reverse("home"))
    assert small == large


def test_iro_records_a_visit_which_shows_on_the_care_timeline(client, iro_user, iro_member):
    period = child_in_care(iro=iro_member, start=date(2016, 4, 4))
    client.force_login(iro_user)
    url = reverse("reviews:contact-record", args=[period.child.pk])
    future = (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")
    page = client.post(url, {"date": future, "kind": "visit"}).content.decode()
    assert "The date of the contact must be today or earlier." in page
    assert client.post(url, {"date": "15/06/2016", "kind": "visit", "notes": "At school"}).status_code == 302
    care = client.get(reverse("reviews:care-record", args=[period.child.pk])).content.decode()
    assert "IRO visit" in care and "15 June 2016" in care
    assert "Came into care" in care and "IRO: Helen Ashworth" in care


def test_support_moves_a_booked_meeting_with_the_reason(client, support_user, iro_user):
    today = timezone.localdate()
    period = child_in_care(start=today - timedelta(days=5))
    meeting = services.review_meeting_book(period=period, on=today + timedelta(days=5))
    url = reverse("reviews:meeting-cancel", args=[meeting.pk])
    client.force_login(iro_user)
    assert client.get(url).status_code == 403
    client.force_login(support_user)
    version = meeting.updated_at.isoformat()
    assert "Enter the reason" in client.post(url, {"reason": "", "updated_at": version}).content.decode()
    new_day = today + timedelta(days=8)
    response = client.post(
        url,
        {
            "reason": "Foster carer on holiday",
            "new_date": new_day.strftime("%d/%m/%Y"),
            "updated_at": version,
        },
    )
    assert response.status_code == 302
    assert list(ReviewMeeting.objects.order_by("pk").values_list("status", "reason", "date")) == [
        (MeetingStatus.REBOOKED, "Foster carer on holiday", meeting.date),
        (MeetingStatus.BOOKED, "", new_day),
    ]


def test_the_timeline_shows_a_guardians_handover_and_a_referrals_outcome(client, iro_user, iro_member):
    period = child_in_care(iro=iro_member, start=date(2016, 4, 4))
    child = period.child
    services.cafcass_involvement_record(
        child=child,
        guardian_name="Pat Ogundipe",
        start_date=date(2016, 4, 8),
        end_date=date(2016, 11, 1),
        handover_date=date(2016, 11, 3),
    )
    services.legal_advice_referral_record(
        child=child,
        date_referred=date(2016, 9, 5),
        reason="Drift in the plan.",
        outcome="Solicitor instructed",
    )
    client.force_login(iro_user)
    care = client.get(reverse("reviews:care-record", args=[child.pk])).content.decode()
    assert "Children&#x27;s Guardian&#x27;s involvement ended" in care and "1 November 2016" in care
    assert "Children&#x27;s Guardian handed over to the IRO" in care and "3 November 2016" in care
    assert "Drift in the plan. Outcome: Solicitor instructed" in care
