"""Consultations before a review: the link (hash only, expiry, revocation, one person), saving
as they go, the child's choices, the safety notice (once, and never on words alone), the IRO's
page (access-logged, answers hidden from business support), and the participation code."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import selectors, services
from consultations.codes import Audience, Channel
from consultations.models import Answer, Consultation, Question, SafetyNotice
from iro_service.audit.models import AccessLog
from iro_service.people.codes import JobRole
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
    chair = StaffMemberFactory(
        first_name="Helen", last_name="Ashworth", user=iro_user, email="helen.iro@example.invalid"
    )
    amy = ChildFactory(first_name="Amy", last_name="Zabriskie")
    IroAllocationFactory(child=amy, iro=chair, start_date=today - timedelta(days=120))
    period = period_of_care(child=amy, start_date=today - timedelta(days=120))
    meeting = reviews.review_meeting_book(period=period, on=today + timedelta(days=10))
    return Setting(chair=chair, child=amy, meeting=meeting)


def _send(county, audience=Audience.CHILD, channel=Channel.EMAIL, **kw):
    kw.setdefault("email", "amy@example.invalid")
    return services.consultation_send(
        meeting=county.meeting, audience=audience, respondent_name="Amy", channel=channel, **kw
    )


def _url(token, q=""):
    return reverse("your_views:answer", args=[token]) + (f"?q={q}" if q else "")


def _question(audience, key):
    return Question.objects.get(question_set__audience=audience, question_set__occasion="review", key=key)


def test_the_link_is_emailed_and_only_its_hash_is_kept(county, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        consultation, token = _send(county)
    assert len(mail.outbox) == 1
    assert token in mail.outbox[0].body
    # No child's name in the email: it may be read by someone else.
    assert county.child.last_name not in mail.outbox[0].body
    assert token not in consultation.secret_hash
    assert client.get(_url(token)).status_code == 200
    assert "Hello Amy" in client.get(_url(token)).content.decode()


def test_an_unknown_expired_or_revoked_link_is_the_same_friendly_404(county, client):
    consultation, token = _send(county)
    other, other_token = _send(county, audience=Audience.CARER)
    answers = [client.get(_url("not-a-real-token"))]
    Consultation.objects.filter(pk=consultation.pk).update(
        created_at=timezone.now() - timedelta(days=30), expires_at=timezone.now() - timedelta(seconds=1)
    )
    answers.append(client.get(_url(token)))
    services.consultation_revoke(consultation=other)
    answers.append(client.get(_url(other_token)))
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert all("This link does not work" in a.content.decode() for a in answers)
    assert answers[0]["Cache-Control"].startswith("max-age=0")


def test_a_link_opens_only_its_own_consultation(county, client):
    _, child_token = _send(county)
    _, carer_token = _send(county, audience=Audience.CARER)
    client.post(_url(carer_token, 1), {"value": "Settled well"})
    carer_question = Question.objects.get(
        question_set__audience=Audience.CARER, question_set__occasion="review", position=1
    )
    # The child's link, pointed at the carer's question number, gets the child's first question.
    page = client.get(_url(child_token, 1)).content.decode()
    assert "Settled well" not in page
    assert carer_question.text not in page


def test_answers_are_saved_page_by_page_and_are_there_on_return(county, client):
    consultation, token = _send(county)
    first = client.post(_url(token, 1), {"value": "Football on Saturdays"})
    assert first.status_code == 302 and first["Location"].endswith("?q=2")
    # They stop, and come back another day: the answer is on the page.
    assert "Football on Saturdays" in client.get(_url(token, 1)).content.decode()
    assert consultation.answers.get().value == "Football on Saturdays"
    consultation.refresh_from_db()
    assert consultation.returned_at is None and consultation.last_saved_at is not None


def test_a_too_long_answer_names_the_problem_and_saves_nothing(county, client):
    consultation, token = _send(county)
    page = client.post(_url(token, 1), {"value": "x" * 2001})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert "2000 characters or fewer" in page.content.decode()
    assert not consultation.answers.exists()


def test_the_childs_sharing_choice_and_request_for_contact_are_kept_and_shown(county, client, iro_user):
    consultation, token = _send(county)
    client.post(_url(token, 1), {"value": "Football"})
    done = client.post(_url(token, "finish"), {"share_with_parents": "no", "wants_iro_contact": "on"})
    assert done["Location"].endswith("?q=done")
    consultation.refresh_from_db()
    assert consultation.share_with_parents is False and consultation.wants_iro_contact is True
    assert consultation.returned_at is not None
    client.force_login(iro_user)
    page = client.get(reverse("consultations:meeting", args=[county.meeting.pk])).content.decode()
    assert "Not to be shared with parents." in page
    assert "Asks the IRO to get in touch." in page


def test_the_sharing_question_must_be_answered(county, client):
    _, token = _send(county)
    page = client.post(_url(token, "finish"), {})
    assert "Choose yes or no: can your family see your answers?" in page.content.decode()


@pytest.fixture
def team_manager(county):
    return StaffMemberFactory(
        job_role=JobRole.IRO_MANAGER, team=county.chair.team, email="tm@example.invalid"
    )


def test_not_safe_with_words_raises_one_notice_to_the_iro_and_team_manager(
    county, team_manager, client, django_capture_on_commit_callbacks
):
    """GIVEN a child's consultation
    WHEN they answer no to "Do you feel safe?" and say why, then change their words
    THEN one email goes to the IRO and the team manager, with an in-app notice each, and the
    second save sends nothing more."""
    _consultation, token = _send(county, channel=Channel.LETTER)
    safe = _question(Audience.CHILD, "feel_safe")
    why = _question(Audience.CHILD, "feel_safe_more")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(token, safe.position), {"value": "no"})
    assert mail.outbox == [] and not SafetyNotice.objects.exists()  # the question alone
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(token, why.position), {"value": "Someone at home shouts at me"})
        client.post(_url(token, why.position), {"value": "Someone at home shouts at me a lot"})
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["helen.iro@example.invalid", "tm@example.invalid"]
    assert set(SafetyNotice.objects.values_list("staff_id", flat=True)) == {county.chair.pk, team_manager.pk}


def test_words_alone_never_raise_a_notice(county, team_manager, client, django_capture_on_commit_callbacks):
    _, token = _send(county, channel=Channel.LETTER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(token, _question(Audience.CHILD, "feel_safe").position), {"value": "yes"})
        client.post(
            _url(token, _question(Audience.CHILD, "feel_safe_more").position),
            {"value": "I watched a scary film about not feeling safe"},
        )
    assert mail.outbox == [] and not SafetyNotice.objects.exists()


def test_the_safety_notice_shows_on_the_iros_home_page_until_they_read_the_answers(county, client, iro_user):
    _consultation, token = _send(county, channel=Channel.LETTER, audience=Audience.CHILD_EASY_READ)
    client.post(_url(token, _question(Audience.CHILD_EASY_READ, "feel_safe").position), {"value": "no"})
    client.post(
        _url(token, _question(Audience.CHILD_EASY_READ, "feel_safe_more").position), {"value": "scared"}
    )
    client.force_login(iro_user)
    assert "A child has said they do not feel safe" in client.get(reverse("home")).content.decode()
    client.get(reverse("consultations:meeting", args=[county.meeting.pk]))
    assert "A child has said they do not feel safe" not in client.get(reverse("home")).content.decode()


def test_a_text_message_goes_through_the_provider_setting(county, caplog, django_capture_on_commit_callbacks):
    with (
        caplog.at_level(logging.INFO, logger="consultations.sms"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _send(county, channel=Channel.SMS, email="", mobile="07700 900982")
    assert "number ending 982" in caplog.text
    assert "/your-views/" in caplog.text


def test_sending_a_letter_prints_it_with_a_qr_code(county, client, support_user):
    client.force_login(support_user)
    page = client.post(
        reverse("consultations:meeting", args=[county.meeting.pk]),
        {"audience": "parent", "respondent_name": "Sam Parent", "channel": "letter"},
    )
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and 'aria-label="QR code' in body
    token = re.search(r"/your-views/([^/]+)/", body).group(1)
    assert Consultation.objects.get().secret_hash == services._hash(token)


def test_the_send_form_names_the_missing_email(county, client, support_user):
    client.force_login(support_user)
    page = client.post(
        reverse("consultations:meeting", args=[county.meeting.pk]),
        {"audience": "carer", "respondent_name": "Pat", "channel": "email"},
    )
    assert "Enter the email address to send it to" in page.content.decode()
    assert not Consultation.objects.exists()


def test_the_iro_sees_the_answers_logged_and_business_support_only_who_replied(
    county, client, iro_user, support_user
):
    _consultation, token = _send(county)
    client.post(_url(token, 1), {"value": "Football on Saturdays"})
    meeting_url = reverse("consultations:meeting", args=[county.meeting.pk])
    client.force_login(support_user)
    page = client.get(meeting_url).content.decode()
    assert "Amy, child or young person" in page and "Football on Saturdays" not in page
    assert not AccessLog.objects.filter(user=support_user).exists()
    client.force_login(iro_user)
    page = client.get(meeting_url).content.decode()
    assert "Football on Saturdays" in page
    assert AccessLog.objects.filter(user=iro_user, child=county.child).exists()


def test_the_iro_makes_an_answer_a_point_on_the_review_record_once(county, client, iro_user):
    _consultation, token = _send(county)
    client.post(_url(token, 1), {"value": "Football on Saturdays"})
    answer = Answer.objects.get()
    client.force_login(iro_user)
    client.post(reverse("consultations:answer-to-record", args=[answer.pk]))
    client.post(reverse("consultations:answer-to-record", args=[answer.pk]))
    answer.refresh_from_db()
    assert answer.on_record_at is not None
    assert answer.history.filter(on_record_at__isnull=False).count() == 1


def test_participation_code_suggested_from_how_the_child_took_part(county):
    consultation, _ = _send(county)
    services.answer_save(
        consultation=consultation, question=_question(Audience.CHILD, "going_well"), value="ok"
    )
    rows = selectors.consultations_for_meeting(meeting=county.meeting, user=None)
    assert selectors.participation_suggested(consultations=rows, child_age=12).code == "PN6"
    services.answer_save(
        consultation=consultation, question=_question(Audience.CHILD, "who_speaks"), value="My carer"
    )
    rows = selectors.consultations_for_meeting(meeting=county.meeting, user=None)
    assert selectors.participation_suggested(consultations=rows, child_age=12).code == "PN5"
    assert selectors.participation_suggested(consultations=rows, child_age=3).code == "PN0"
    assert selectors.participation_suggested(consultations=[], child_age=12) is None


def test_the_public_pages_are_rate_limited(county, client, settings):
    settings.CONSULTATION_REQUESTS_PER_10_MINUTES = 3
    from django.core.cache import cache

    cache.clear()
    _, token = _send(county)
    statuses = [client.get(_url(token)).status_code for _ in range(4)]
    cache.clear()
    assert statuses == [200, 200, 200, 429]


def test_one_link_is_rate_limited_whatever_the_address(county, client, settings):
    """Three requests to one link from three addresses pass, the fourth from a fourth address
    is refused; another link from that address still opens, so it is the link that is counted."""
    settings.CONSULTATION_REQUESTS_PER_LINK_PER_10_MINUTES = 3
    from django.core.cache import cache

    cache.clear()
    _, token = _send(county)
    _, other = _send(county, audience=Audience.CARER)
    statuses = [client.get(_url(token), REMOTE_ADDR=f"192.0.2.{n}").status_code for n in range(1, 5)]
    other_status = client.get(_url(other), REMOTE_ADDR="192.0.2.4").status_code
    cache.clear()
    assert statuses == [200, 200, 200, 429]
    assert other_status == 200


def test_revoking_the_links_of_a_meeting(county):
    _send(county)
    _send(county, audience=Audience.CARER)
    assert services.meeting_consultations_revoke(meeting=county.meeting) == 2
    assert services.meeting_consultations_revoke(meeting=county.meeting) == 0


def test_a_manager_rewords_a_question_with_history(client, manager_user):
    question = _question(Audience.CHILD, "feel_safe")
    client.force_login(manager_user)
    response = client.post(
        reverse("consultations:question-edit", args=[question.pk]),
        {"text": "Do you feel safe at home?", "hint": ""},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Do you feel safe at home?" and question.kind == "yes_no"
    assert question.history.count() >= 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_meeting_page_query_count_does_not_grow_with_consultations(county, client, iro_user):
    """The same number of queries with 2 consultations answered as with 6."""
    client.force_login(iro_user)
    url = reverse("consultations:meeting", args=[county.meeting.pk])
    for _ in range(2):
        _, token = _send(county)
        client.post(_url(token, 1), {"value": "ok"})
    client.get(url)
    two = _queries(client, url)
    for _ in range(4):
        _, token = _send(county)
        client.post(_url(token, 1), {"value": "ok"})
    assert _queries(client, url) == two
    assert two <= 30


def test_links_stop_when_the_meeting_is_cancelled(county):
    consultation, _ = _send(county)
    reviews.review_meeting_cancel(meeting=county.meeting, reason="Child unwell", new_date=None)
    consultation.refresh_from_db()
    assert consultation.revoked_at is not None


def test_links_stop_when_the_review_is_held(county):
    consultation, _ = _send(county)
    review(child=county.child, parts=timezone.localdate(), chair=county.chair, participation_code="PN6")
    consultation.refresh_from_db()
    assert consultation.revoked_at is not None


def test_links_stop_when_the_child_leaves_care(county):
    consultation, _ = _send(county)
    period = county.meeting.period
    period.end_date = timezone.localdate()
    period.next_review_due = None
    period.save()
    consultation.refresh_from_db()
    assert consultation.revoked_at is not None


def test_stopping_a_link_needs_the_button_not_an_empty_post(county, client, support_user):
    consultation, _token = _send(county)
    client.force_login(support_user)
    url = reverse("consultations:revoke", args=[consultation.pk])
    client.post(url, {})
    consultation.refresh_from_db()
    assert consultation.revoked_at is None
    client.post(url, {"stop": "yes"})
    consultation.refresh_from_db()
    assert consultation.revoked_at is not None


def _three_invitations_one_returned(county):
    """Two invitations to Amy, one of them returned, and one to her carer; the query is today."""
    from reports.figures import FigureQuery

    returned, _ = _send(county)
    _send(county)
    _send(county, audience=Audience.CARER)
    services.consultation_return(consultation=returned)
    today = timezone.localdate()
    return FigureQuery(start=today, end=today)


def test_the_consultation_figures_worked_out_by_hand(county):
    """Sent today: two to Amy (born 17 May 2010, so 16 on the meeting's date), one returned, and
    one to her carer, not returned. By who was asked: child 2 sent, 1 returned; carer 1 sent, 0
    returned; the rest 0. By age: 16_and_over 2 sent, 1 returned. Views before the review: one
    meeting, and Amy's views came back before it: 1 of 1."""
    from reports.figures import REGISTRY

    query = _three_invitations_one_returned(county)
    by_respondent = REGISTRY["consultations_by_respondent"].compute(query)["value"]
    assert by_respondent["child"] == {"sent": 2, "returned": 1}
    assert by_respondent["carer"] == {"sent": 1, "returned": 0}
    assert by_respondent["parent"] == {"sent": 0, "returned": 0}
    by_age = REGISTRY["consultations_children_by_age"].compute(query)["value"]
    assert by_age["16_and_over"] == {"sent": 2, "returned": 1}
    assert by_age["under_8"] == {"sent": 0, "returned": 0}
    in_time = REGISTRY["consultations_views_before_review"].compute(query)
    assert (in_time["numerator"], in_time["denominator"]) == (1, 1)


def test_the_records_behind_the_consultation_figures(county):
    """The same three invitations as above: the rows behind "by who was asked" are the 3 sent
    (2 to Amy, 1 to her carer), behind "by age" Amy's 2, and behind "views before the review"
    the one meeting, whose views came back in time. Each row names the child for the access log."""
    from reports.selectors import figure_records
    from tests.reports.drilldowns import rows_disagree

    query = _three_invitations_one_returned(county)
    sent = figure_records(query=query, key="consultations_by_respondent")
    assert sorted((row["asked"], row["returned"] is not None) for row in sent) == [
        ("carer", False),
        ("child", False),
        ("child", True),
    ]
    assert {row["child_id"] for row in sent} == {county.child.pk}
    children = figure_records(query=query, key="consultations_children_by_age")
    assert [row["age_band"] for row in children] == ["16_and_over", "16_and_over"]
    meetings = figure_records(query=query, key="consultations_views_before_review")
    assert [(row["meeting_id"], row["consultations_sent"], row["views_in_time"]) for row in meetings] == [
        (county.meeting.pk, 2, True)
    ]
    for key in (
        "consultations_by_respondent",
        "consultations_children_by_age",
        "consultations_views_before_review",
    ):
        assert rows_disagree(key, query) == []
