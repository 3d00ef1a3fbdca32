"""Consultations before a review child protection conference: one child's place at the
conference owns them (never a meeting as well, never neither: the database refuses both), only
children at a review stage and old enough are asked, a carer only for a child in care, the
conference's page shows who was asked and (to IROs and managers) the answers, the chair and
the team manager get the safety notice, and the links stop when the conference is held or stood
down."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.codes import ConferenceType
from conferences.models import Conference, ConferenceChild
from conferences.services import (
    ChildDecision,
    conference_record,
    conference_stand_down,
)
from consultations import selectors, services
from consultations.codes import SAFE_QUESTION, SAFE_TEXT, Audience, Channel
from consultations.models import Answer, Consultation, Question, SafetyNotice
from consultations.panels import conference_panel

pytestmark = pytest.mark.django_db

ROLES = ["iro_user", "manager_user", "support_user", "senior_user", "no_role_user", "anonymous"]
SENDERS = {"iro_user", "manager_user", "support_user"}
ANSWER_READERS = {"iro_user", "manager_user"}
CONFERENCE_READERS = {"iro_user", "manager_user", "support_user", "senior_user"}


def _send(link, audience=Audience.CHILD, channel=Channel.EMAIL, **kw):
    kw.setdefault("email", "someone@example.invalid")
    return services.consultation_send(
        conference_child=link, audience=audience, respondent_name="Amy", channel=channel, **kw
    )


def _page(link) -> str:
    return reverse("consultations:conference", args=[link.pk])


def _detail(conference) -> str:
    return reverse("conferences:conference-detail", args=[conference.pk])


def _sign_in(request, client, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


# --- the constraint ---------------------------------------------------------------------------


def test_a_consultation_with_both_a_meeting_and_a_conference_is_refused_by_the_database(household):
    consultation, _ = _send(household.amy_link)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.filter(pk=consultation.pk).update(meeting=household.meeting)


def test_a_consultation_with_neither_a_meeting_nor_a_conference_is_refused_by_the_database(household):
    consultation, _ = _send(household.amy_link)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.filter(pk=consultation.pk).update(conference_child=None)


def test_the_service_names_the_problem_when_given_neither(household):
    with pytest.raises(ValidationError):
        services.consultation_send(audience=Audience.CHILD, respondent_name="Amy", channel=Channel.LETTER)
    assert not Consultation.objects.exists()


# --- who is asked -----------------------------------------------------------------------------


def test_a_child_in_care_may_have_a_carer_asked_and_a_child_at_home_may_not(household):
    assert Audience.CARER in selectors.conference_audiences(conference_child=household.amy_link)
    bens = selectors.conference_audiences(conference_child=household.ben_link)
    assert Audience.CARER not in bens
    assert set(bens) == {Audience.CHILD, Audience.CHILD_EASY_READ, Audience.PARENT, Audience.SOCIAL_WORKER}
    with pytest.raises(ValidationError) as refused:
        _send(household.ben_link, audience=Audience.CARER)
    assert "audience" in refused.value.message_dict


def test_a_child_under_4_is_not_asked_nor_anyone_about_them(household):
    assert selectors.conference_audiences(conference_child=household.cal_link) == []
    assert household.cal_link not in selectors.conference_children_asked(conference=household.conference)
    with pytest.raises(ValidationError):
        _send(household.cal_link, audience=Audience.PARENT)


def test_the_age_rule_is_the_one_the_participation_code_reads():
    # One owner: PN0 is suggested for exactly the ages a conference does not ask.
    for age in range(0, 6):
        suggestion = selectors.participation_suggested(consultations=[], child_age=age)
        assert (suggestion is not None and suggestion.code == "PN0") == (
            not selectors.old_enough_to_be_asked(age)
        )


def test_an_initial_conference_has_no_consultations(household):
    initial = Conference.objects.get(
        family=household.conference.family, conference_type=ConferenceType.INITIAL
    )
    link = initial.children.get(child=household.amy)
    assert selectors.conference_audiences(conference_child=link) == []


def test_nothing_is_sent_once_the_conference_is_stood_down(household):
    conference_stand_down(conference=household.conference, reason="other", detail="Room flooded")
    link = ConferenceChild.objects.get(pk=household.amy_link.pk)
    with pytest.raises(ValidationError) as refused:
        _send(link)
    assert "stood down" in str(refused.value)


# --- the send page ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_send_page_opens_for_senders_only(request, client, household, role):
    _sign_in(request, client, role)
    page = client.get(_page(household.amy_link))
    if role == "anonymous":
        assert page.status_code == 302 and "/sign-in/" in page["Location"]
    elif role in SENDERS:
        assert page.status_code == 200
        text = page.content.decode()
        assert "Consultations before the child protection conference" in text
        assert "Send the consultation" in text
        assert 'value="carer"' in text
    else:
        assert page.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_sending_from_the_page_is_for_senders_only(
    request, client, household, role, django_capture_on_commit_callbacks
):
    _sign_in(request, client, role)
    data = {
        "audience": "parent",
        "respondent_name": "Mary",
        "channel": "email",
        "email": "mary@example.invalid",
    }
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(_page(household.amy_link), data)
    sent = Consultation.objects.filter(conference_child=household.amy_link)
    if role == "anonymous":
        assert page.status_code == 302 and "/sign-in/" in page["Location"]
        assert not sent.exists()
    elif role in SENDERS:
        assert page.status_code == 302 and page["Location"] == _page(household.amy_link)
        assert sent.get().audience == "parent"
        assert mail.outbox[0].subject == "Your views before the child protection conference"
    else:
        assert page.status_code == 403
        assert not sent.exists()


def test_a_carer_cannot_be_chosen_for_a_child_at_home(client, support_user, household):
    client.force_login(support_user)
    page = client.get(_page(household.ben_link)).content.decode()
    assert 'value="carer"' not in page
    data = {"audience": "carer", "respondent_name": "Sue", "channel": "letter"}
    refused = client.post(_page(household.ben_link), data)
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
    assert not Consultation.objects.exists()


def test_the_page_for_a_child_too_young_says_why_and_sends_nothing(client, support_user, household):
    client.force_login(support_user)
    page = client.get(_page(household.cal_link)).content.decode()
    assert "4 or older" in page and "Send the consultation" not in page
    data = {"audience": "parent", "respondent_name": "Mary", "channel": "letter"}
    refused = client.post(_page(household.cal_link), data, follow=True)
    assert refused.redirect_chain == [(_page(household.cal_link), 302)]
    assert "cannot be sent" in refused.content.decode()
    assert not Consultation.objects.exists()


def test_a_letter_for_a_conference_names_the_conference_and_its_date(client, support_user, household):
    client.force_login(support_user)
    data = {"audience": "child", "respondent_name": "Amy", "channel": "letter"}
    page = client.post(_page(household.amy_link), data).content.decode()
    assert "A meeting about keeping you safe is booked for" in page
    assert f"{household.conference.date:%-d %B %Y}" in page
    assert _page(household.amy_link) in page


def test_an_unknown_conference_child_is_a_404(client, support_user, household):
    client.force_login(support_user)
    assert client.get(reverse("consultations:conference", args=[999999])).status_code == 404


# --- the conference's page --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_conference_page_shows_the_panel_to_consultation_readers_and_answers_to_iros(
    request, client, household, role
):
    consultation, _ = _send(household.amy_link)
    answer_save_text(consultation, "going_well", "Football on Saturdays")
    _sign_in(request, client, role)
    for method in ("get", "post"):
        page = getattr(client, method)(_detail(household.conference))
        if role == "anonymous":
            assert page.status_code == 302 and "/sign-in/" in page["Location"]
            continue
        if role not in CONFERENCE_READERS:
            assert page.status_code == 403
            continue
        assert page.status_code == 200
        text = page.content.decode()
        assert ("Consultations before the conference" in text) == (role in SENDERS)
        assert ("Football on Saturdays" in text) == (role in ANSWER_READERS)
        # Amy and Ben are asked; Cal (2) is not, so has no card and no link.
        assert (_page(household.amy_link) in text) == (role in SENDERS)
        assert _page(household.cal_link) not in text


def answer_save_text(consultation, key, value):
    question = Question.objects.get(
        question_set__audience=consultation.audience, question_set__occasion="conference", key=key
    )
    return services.answer_save(consultation=consultation, question=question, value=value)


def test_no_panel_on_an_initial_conference(client, iro_user, household):
    initial = Conference.objects.get(
        family=household.conference.family, conference_type=ConferenceType.INITIAL
    )
    client.force_login(iro_user)
    assert "Consultations before the conference" not in client.get(_detail(initial)).content.decode()


def test_an_answer_before_a_conference_cannot_go_on_the_review_record(client, iro_user, household):
    """GIVEN a child's answer before a conference, WHEN the chair posts it to the review record,
    THEN it is refused with the way to the conference record instead."""
    consultation, _ = _send(household.amy_link)
    answer = answer_save_text(consultation, "going_well", "Football")
    client.force_login(iro_user)
    page = client.get(_page(household.amy_link)).content.decode()
    assert "Add to the review record" not in page
    assert reverse("consultations:answer-to-conference-record", args=[answer.pk]) in page
    refused = client.post(reverse("consultations:answer-to-record", args=[answer.pk]), follow=True)
    assert "add it to the conference record" in refused.content.decode()
    assert Answer.objects.get(pk=answer.pk).on_record_at is None


def _panel_queries(household, user) -> int:
    from conferences.selectors import conference_for_page

    request = RequestFactory().get("/")
    request.user = user
    conference = conference_for_page(pk=household.conference.pk, user=user)
    with CaptureQueriesContext(connection) as queries:
        panel = conference_panel(request, conference)
    assert panel is not None
    return len(queries)


def test_the_panel_takes_the_same_queries_for_one_invitation_or_many(iro_user, household):
    consultation, _ = _send(household.amy_link)
    answer_save_text(consultation, "going_well", "Football")
    _panel_queries(household, iro_user)  # the reader's permissions, loaded once per request
    few = _panel_queries(household, iro_user)
    for link in (household.amy_link, household.ben_link):
        for audience in (Audience.CHILD, Audience.PARENT, Audience.SOCIAL_WORKER):
            more, _ = _send(link, audience=audience)
            if audience == Audience.CHILD:
                answer_save_text(more, "going_well", "Drawing")
    # The invitations, their answers, the reader's staff record and marking the reader's safety
    # notices read: the same whatever the number.
    assert _panel_queries(household, iro_user) == few
    assert few <= 4


def test_the_conference_page_takes_the_same_queries_for_one_invitation_or_many(client, iro_user, household):
    client.force_login(iro_user)
    _send(household.amy_link)
    client.get(_detail(household.conference))
    with CaptureQueriesContext(connection) as few:
        client.get(_detail(household.conference))
    for link in (household.amy_link, household.ben_link):
        for audience in (Audience.CHILD, Audience.PARENT, Audience.SOCIAL_WORKER):
            _send(link, audience=audience)
    with CaptureQueriesContext(connection) as many:
        client.get(_detail(household.conference))
    assert len(many) == len(few)


# --- answering through the link ---------------------------------------------------------------


def test_a_conference_consultation_is_answered_through_its_link_and_shown_to_the_chair(
    client, household, django_capture_on_commit_callbacks
):
    """GIVEN Amy's consultation before her review conference, sent by email, WHEN she opens the
    link, answers and sends her answers, THEN they are saved, returned, and on the conference's
    page for the chair."""
    with django_capture_on_commit_callbacks(execute=True):
        consultation, token = _send(household.amy_link, email="amy@example.invalid")
    assert token in mail.outbox[0].body
    assert "A meeting about keeping you safe is booked for" in mail.outbox[0].body
    here = reverse("your_views:answer", args=[token])
    assert client.get(here).status_code == 200
    assert client.post(f"{here}?q=1", {"value": "My dog"}).status_code == 302
    done = client.post(f"{here}?q=finish", {"share_with_parents": "no"})
    assert done.status_code == 302
    consultation.refresh_from_db()
    assert consultation.first_opened_at is not None and consultation.returned_at is not None
    client.force_login(household.chair.user)
    page = client.get(_detail(household.conference)).content.decode()
    assert "My dog" in page and "Not to be shared with parents" in page


def test_an_unsafe_answer_before_a_conference_tells_the_chair_and_their_team_manager(
    household, django_capture_on_commit_callbacks
):
    consultation, _ = _send(household.amy_link)
    with django_capture_on_commit_callbacks(execute=True):
        answer_save_text(consultation, SAFE_QUESTION, "1")
        answer_save_text(consultation, SAFE_TEXT, "Someone at home shouts at me")
    told = set(SafetyNotice.objects.filter(consultation=consultation).values_list("staff_id", flat=True))
    # The chair and the manager of the chair's team; not Amy's own IRO, who is not chairing.
    assert told == {household.chair.pk, household.manager.pk}
    urgent = [m for m in mail.outbox if m.subject.startswith("Urgent")]
    assert len(urgent) == 1
    assert set(urgent[0].to) == {"helen@example.invalid", "kath@example.invalid"}
    assert _page(household.amy_link) in urgent[0].body


def test_the_safety_notices_page_links_to_the_conference_consultations(client, iro_user, household):
    consultation, _ = _send(household.amy_link)
    answer_save_text(consultation, SAFE_QUESTION, "no")
    answer_save_text(consultation, SAFE_TEXT, "Scared")
    client.force_login(iro_user)
    assert _page(household.amy_link) in client.get(reverse("consultations:safety-notices")).content.decode()
    assert _page(household.amy_link) in client.get(reverse("home")).content.decode()


# --- revocation -------------------------------------------------------------------------------


def test_the_links_stop_when_the_conference_is_held(client, household):
    """GIVEN links sent before the conference, WHEN it is held and recorded, THEN every link of
    every child stops, and the public page is the friendly 404."""
    amys, amy_token = _send(household.amy_link)
    bens, _ = _send(household.ben_link, audience=Audience.PARENT)
    Conference.objects.filter(pk=household.conference.pk).update(date=timezone.localdate())
    conference = Conference.objects.get(pk=household.conference.pk)
    conference_record(
        conference=conference,
        decisions={
            child.pk: ChildDecision("plan_continued", ("NEG",))
            for child in (household.amy, household.ben, household.cal)
        },
    )
    assert Consultation.objects.filter(pk__in=[amys.pk, bens.pk], revoked_at__isnull=True).count() == 0
    assert client.get(reverse("your_views:answer", args=[amy_token])).status_code == 404


def test_the_links_stop_when_the_conference_is_stood_down_and_not_others(household):
    before_the_conference, _ = _send(household.amy_link)
    before_the_review, _ = services.consultation_send(
        meeting=household.meeting, audience=Audience.CHILD, respondent_name="Amy", channel=Channel.LETTER
    )
    conference_stand_down(conference=household.conference, reason="other", detail="Chair ill")
    before_the_conference.refresh_from_db()
    before_the_review.refresh_from_db()
    assert before_the_conference.revoked_at is not None
    assert before_the_review.revoked_at is None


def test_conference_consultations_are_left_out_of_the_consultation_figures(household):
    _send(household.amy_link)
    services.consultation_send(
        meeting=household.meeting, audience=Audience.CHILD, respondent_name="Amy", channel=Channel.LETTER
    )
    today = timezone.localdate()
    # Two sent today, one before a review meeting: the figures count that one.
    assert selectors.consultations_sent_between(start=today, end=today).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_stopping_a_conference_link_is_for_senders_and_returns_to_the_childs_page(
    request, client, household, role
):
    consultation, _ = _send(household.amy_link)
    url = reverse("consultations:revoke", args=[consultation.pk])
    _sign_in(request, client, role)
    got = client.get(url)
    posted = client.post(url, {"stop": "yes"})
    consultation.refresh_from_db()
    if role == "anonymous":
        assert got.status_code == posted.status_code == 302 and "/sign-in/" in posted["Location"]
        assert consultation.revoked_at is None
    elif role in SENDERS:
        assert got.status_code == 405
        assert posted.status_code == 302 and posted["Location"] == _page(household.amy_link)
        assert consultation.revoked_at is not None
    else:
        assert got.status_code == posted.status_code == 403
        assert consultation.revoked_at is None


@pytest.mark.parametrize("role", ROLES)
def test_no_role_can_put_a_conference_answer_on_a_record(request, client, household, role):
    consultation, _ = _send(household.amy_link)
    answer = answer_save_text(consultation, "going_well", "Football")
    url = reverse("consultations:answer-to-record", args=[answer.pk])
    _sign_in(request, client, role)
    got = client.get(url)
    posted = client.post(url)
    if role == "anonymous":
        assert got.status_code == posted.status_code == 302 and "/sign-in/" in posted["Location"]
    elif role in ANSWER_READERS:
        assert got.status_code == 405
        assert posted.status_code == 302 and posted["Location"] == _page(household.amy_link)
    else:
        assert got.status_code == posted.status_code == 403
    assert Answer.objects.get(pk=answer.pk).on_record_at is None


def test_the_consultation_figures_count_only_the_review_meetings_consultations(household):
    """Sent today: one to Amy before her review meeting, returned; before the conference, one to
    Amy (returned) and one to Ben's parent. The figures are of consultations before LAC reviews,
    so they count the first alone: by who was asked, child 1 sent, 1 returned, parent 0 sent;
    by age (Amy is 16 on the meeting's date), 16_and_over 1 sent, 1 returned, and no unknown age
    (a conference consultation has no meeting date); views before the review: 1 meeting of 1."""
    from reports.figures import REGISTRY, FigureQuery

    before_review, _ = services.consultation_send(
        meeting=household.meeting, audience=Audience.CHILD, respondent_name="Amy", channel=Channel.LETTER
    )
    services.consultation_return(consultation=before_review)
    amys, _ = _send(household.amy_link)
    services.consultation_return(consultation=amys)
    _send(household.ben_link, audience=Audience.PARENT)
    today = timezone.localdate()
    query = FigureQuery(start=today, end=today)
    by_respondent = REGISTRY["consultations_by_respondent"].compute(query)["value"]
    assert by_respondent["child"] == {"sent": 1, "returned": 1}
    assert by_respondent["parent"] == {"sent": 0, "returned": 0}
    by_age = REGISTRY["consultations_children_by_age"].compute(query)["value"]
    assert by_age["16_and_over"] == {"sent": 1, "returned": 1}
    assert by_age["unknown"] == {"sent": 0, "returned": 0}
    in_time = REGISTRY["consultations_views_before_review"].compute(query)
    assert (in_time["numerator"], in_time["denominator"]) == (1, 1)
