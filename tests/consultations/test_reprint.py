"""Reprinting a consultation letter that was lost or never arrived: a new link (the old one and
its QR code stop at once, answered as an unknown link is), the answers kept, the link's time
started again, a history row naming the reprint, and the refusals (a link stopped, a meeting
or conference held or no longer going ahead, a consultation not sent as a letter), for every
role that may send consultations and for no other."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from conferences.models import Conference
from conferences.services import ChildDecision, conference_record, conference_stand_down
from consultations import services
from consultations.codes import Audience, Channel
from consultations.models import Answer, Consultation, Question
from reviews import services as reviews
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db


@dataclass
class Setting:
    chair: object
    child: object
    meeting: object


@pytest.fixture
def county(iro_user):
    """Amy, in care for 120 days, with Helen as her IRO and a review meeting booked in 10 days."""
    today = timezone.localdate()
    chair = StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=iro_user)
    amy = ChildFactory(first_name="Amy", last_name="Zabriskie")
    IroAllocationFactory(child=amy, iro=chair, start_date=today - timedelta(days=120))
    period = period_of_care(child=amy, start_date=today - timedelta(days=120))
    meeting = reviews.review_meeting_book(period=period, on=today + timedelta(days=10))
    return Setting(chair=chair, child=amy, meeting=meeting)


def _letter(county, audience=Audience.CHILD):
    return services.consultation_send(
        meeting=county.meeting, audience=audience, respondent_name="Amy", channel=Channel.LETTER
    )


def _public(token, q=""):
    return reverse("your_views:answer", args=[token]) + (f"?q={q}" if q else "")


def _reprint_url(consultation):
    return reverse("consultations:reprint", args=[consultation.pk])


def _token_on(page) -> str:
    return re.search(r"/your-views/([^/]+)/", page.content.decode()).group(1)


def test_a_reprint_stops_the_old_link_and_the_new_one_opens_the_same_answers(county, client, support_user):
    """GIVEN a letter whose link Amy has used to answer the first question, WHEN business
    support reprint it, THEN the new letter's link opens her consultation with her answer
    there, and the old link gets exactly what an unknown link gets."""
    consultation, old_token = _letter(county)
    client.post(_public(old_token, 1), {"value": "Football on Saturdays"})
    assert Answer.objects.filter(consultation=consultation).count() == 1

    client.force_login(support_user)
    page = client.post(_reprint_url(consultation), {"reprint": "yes"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'aria-label="QR code' in body
    assert "The link on the letter sent before no longer works" in body
    new_token = _token_on(page)
    assert new_token != old_token

    client.logout()
    unknown = client.get(_public("not-a-real-token"))
    old = client.get(_public(old_token))
    assert old.status_code == unknown.status_code == 404
    assert old.content == unknown.content
    assert client.post(_public(old_token, 1), {"value": "Changed"}).status_code == 404

    assert client.get(_public(new_token)).status_code == 200
    assert "Football on Saturdays" in client.get(_public(new_token, 1)).content.decode()
    assert Consultation.objects.count() == 1
    assert Answer.objects.get(consultation=consultation).value == "Football on Saturdays"


def test_a_reprint_starts_the_link_s_time_again_as_a_new_send_does(county):
    consultation, old_token = _letter(county)
    # Sent 40 days ago: its link ran out 12 days ago.
    Consultation.objects.filter(pk=consultation.pk).update(
        created_at=timezone.now() - timedelta(days=40), expires_at=timezone.now() - timedelta(days=12)
    )
    with pytest.raises(services.ConsultationClosed):
        services.consultation_from_token(old_token)
    before = timezone.now()
    reprinted, new_token = services.consultation_reprint(consultation=consultation)
    after = timezone.now()
    days = timedelta(days=settings.CONSULTATION_LINK_DAYS)
    reprinted.refresh_from_db()
    assert before + days <= reprinted.expires_at <= after + days
    assert services.consultation_from_token(new_token).pk == consultation.pk
    with pytest.raises(services.ConsultationClosed):
        services.consultation_from_token(old_token)


def test_a_reprint_is_in_the_consultation_s_history_with_who_asked(county, client, support_user):
    consultation, _ = _letter(county)
    old_hash = Consultation.objects.get(pk=consultation.pk).secret_hash
    client.force_login(support_user)
    client.post(_reprint_url(consultation), {"reprint": "yes"})
    latest, earlier = consultation.history.order_by("-history_id")[:2]
    assert latest.history_type == "~"
    assert latest.history_change_reason == "Letter reprinted with a new link"
    assert latest.history_user == support_user
    assert earlier.secret_hash == old_hash != latest.secret_hash


def test_the_service_names_the_user_in_the_history_outside_a_request(county, support_user):
    consultation, _ = _letter(county)
    services.consultation_reprint(consultation=consultation, by=support_user)
    assert consultation.history.latest("history_id").history_user == support_user


def test_the_page_asks_first_and_an_empty_post_changes_nothing(county, client, iro_user):
    consultation, old_token = _letter(county)
    client.force_login(iro_user)
    page = client.get(_reprint_url(consultation))
    assert page.status_code == 200
    body = page.content.decode()
    assert "stop working as soon as you reprint" in body and 'name="reprint" value="yes"' in body
    replayed = client.post(_reprint_url(consultation), {})
    assert replayed.status_code == 302
    assert services.consultation_from_token(old_token).pk == consultation.pk


def _held(county, consultation):
    review(child=county.child, parts=timezone.localdate(), chair=county.chair, participation_code="PN6")


def _cancelled(county, consultation):
    reviews.review_meeting_cancel(meeting=county.meeting, reason="Child unwell", new_date=None)


def _left_care(county, consultation):
    period = county.meeting.period
    period.end_date = timezone.localdate()
    period.next_review_due = None
    period.save()


def _stopped(county, consultation):
    services.consultation_revoke(consultation=consultation)


@pytest.mark.parametrize(
    ("what_happened", "message"),
    [
        (_stopped, "This link was stopped"),
        (_held, "The review has been held"),
        (_cancelled, "This consultation is closed"),
        (_left_care, "This consultation is closed"),
    ],
)
def test_a_reprint_is_refused_with_the_reason(county, client, support_user, what_happened, message):
    """GIVEN a letter, WHEN its link is stopped, the review is held, the meeting cancelled or
    the child leaves care, THEN the reprint page says why instead of offering the button, a
    POST is refused with the same words, and the secret is unchanged."""
    consultation, _ = _letter(county)
    what_happened(county, consultation)
    secret = Consultation.objects.get(pk=consultation.pk).secret_hash
    client.force_login(support_user)
    page = client.get(_reprint_url(consultation)).content.decode()
    assert message in page and 'name="reprint"' not in page
    refused = client.post(_reprint_url(consultation), {"reprint": "yes"}, follow=True)
    assert refused.redirect_chain[-1][0] == reverse("consultations:meeting", args=[county.meeting.pk])
    assert message in refused.content.decode()
    assert Consultation.objects.get(pk=consultation.pk).secret_hash == secret
    with pytest.raises(services.ReprintRefused, match=message):
        services.consultation_reprint(consultation=consultation)


def test_only_a_letter_is_reprinted(county, client, support_user):
    consultation, token = services.consultation_send(
        meeting=county.meeting,
        audience=Audience.CARER,
        respondent_name="Pat",
        channel=Channel.EMAIL,
        email="pat@example.invalid",
    )
    client.force_login(support_user)
    assert "sent by email, not as a letter" in client.get(_reprint_url(consultation)).content.decode()
    with pytest.raises(services.ReprintRefused):
        services.consultation_reprint(consultation=consultation)
    assert services.consultation_from_token(token).pk == consultation.pk


def test_a_reprint_before_a_conference_and_its_refusals(household):
    """GIVEN a letter to Amy before the review conference, THEN it may be reprinted while the
    conference is booked, and not once it is stood down or held."""
    consultation, old_token = services.consultation_send(
        conference_child=household.amy_link,
        audience=Audience.CHILD,
        respondent_name="Amy",
        channel=Channel.LETTER,
    )
    _, new_token = services.consultation_reprint(consultation=consultation)
    assert services.consultation_from_token(new_token).pk == consultation.pk
    with pytest.raises(services.ConsultationClosed):
        services.consultation_from_token(old_token)

    Conference.objects.filter(pk=household.conference.pk).update(date=timezone.localdate())
    conference_record(
        conference=Conference.objects.get(pk=household.conference.pk),
        decisions={
            child.pk: ChildDecision("plan_continued", ("NEG",))
            for child in (household.amy, household.ben, household.cal)
        },
    )
    with pytest.raises(services.ReprintRefused, match="The conference has been held"):
        services.consultation_reprint(consultation=consultation)


def test_no_reprint_once_the_conference_is_stood_down(household):
    consultation, _ = services.consultation_send(
        conference_child=household.amy_link,
        audience=Audience.CHILD,
        respondent_name="Amy",
        channel=Channel.LETTER,
    )
    conference_stand_down(conference=household.conference, reason="other", detail="Chair ill")
    with pytest.raises(services.ReprintRefused, match="the conference was stood down"):
        services.consultation_reprint(consultation=consultation)


SENDERS = ["iro_user", "manager_user", "support_user"]


@pytest.mark.parametrize(
    ("role", "get_status", "post_status"),
    [
        ("iro_user", 200, 200),
        ("manager_user", 200, 200),
        ("support_user", 200, 200),
        ("senior_user", 403, 403),
        ("no_role_user", 403, 403),
        ("anonymous", 302, 302),
    ],
)
def test_every_role_get_and_post(request, county, client, role, get_status, post_status):
    """Those who send consultations (IROs, managers, business support) see the page and
    reprint; senior managers and staff without a role are refused; anyone signed out is sent
    to sign in. Only a reprint by a sender changes the link."""
    consultation, old_token = _letter(county)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(_reprint_url(consultation)).status_code == get_status
    posted = client.post(_reprint_url(consultation), {"reprint": "yes"})
    assert posted.status_code == post_status
    still_works = Consultation.objects.filter(
        pk=consultation.pk, secret_hash=services._hash(old_token)
    ).exists()
    assert still_works is (role not in SENDERS)
    if role in SENDERS:
        assert "<svg" in posted.content.decode()


def test_a_restricted_child_s_consultation_is_not_found(county, client, make_user):
    from iro_service.core.roles import Role
    from iro_service.people.models import ChildRestriction, ChildRestrictionMember

    consultation, old_token = _letter(county)
    restriction = ChildRestriction.objects.create(
        child=county.child, reason="A relative works in the service"
    )
    ChildRestrictionMember.objects.create(restriction=restriction, staff_member=county.chair)
    outsider = make_user(Role.BUSINESS_SUPPORT, username="outside-support")
    client.force_login(outsider)
    assert client.get(_reprint_url(consultation)).status_code == 404
    assert client.post(_reprint_url(consultation), {"reprint": "yes"}).status_code == 404
    assert services.consultation_from_token(old_token).pk == consultation.pk


def test_the_consultations_page_offers_a_reprint_for_letters_only(county, client, support_user):
    letter, _ = _letter(county)
    answered, _ = _letter(county, audience=Audience.CHILD_EASY_READ)
    services.answer_save(
        consultation=answered,
        question=Question.objects.get(
            question_set__audience=Audience.CHILD_EASY_READ, question_set__occasion="review", position=1
        ),
        value="Good",
    )
    emailed, _ = services.consultation_send(
        meeting=county.meeting,
        audience=Audience.CARER,
        respondent_name="Pat",
        channel=Channel.EMAIL,
        email="pat@example.invalid",
    )
    stopped, _ = _letter(county, audience=Audience.PARENT)
    services.consultation_revoke(consultation=stopped)
    client.force_login(support_user)
    page = client.get(reverse("consultations:meeting", args=[county.meeting.pk])).content.decode()
    assert _reprint_url(letter) in page
    assert _reprint_url(answered) in page  # replied in part: the letter may still be lost
    assert _reprint_url(emailed) not in page
    assert _reprint_url(stopped) not in page


def test_the_consultations_page_offers_no_reprint_to_those_who_cannot_send(county, client, make_user):
    """A role that may read the page but not send (none today has view without send, so one
    is made) sees no reprint link."""
    from django.contrib.auth.models import Permission

    letter, _ = _letter(county)
    reader = make_user(None, username="reader-only")
    reader.user_permissions.add(Permission.objects.get(codename="view_consultation"))
    client.force_login(reader)
    page = client.get(reverse("consultations:meeting", args=[county.meeting.pk]))
    assert page.status_code == 200
    assert _reprint_url(letter) not in page.content.decode()
