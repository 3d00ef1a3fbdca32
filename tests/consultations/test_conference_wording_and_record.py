"""Consultations before a child protection conference in the conference's own words (its own
question sets, letters, emails, text messages and pages, none of which speaks of a review),
while a review's keep theirs; and a child's answer taken to the child's views on the
conference record, by those who may change that record."""

from __future__ import annotations

import html
import logging
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.models import Conference, ConferenceChildView
from conferences.services import (
    ChildDecision,
    conference_record,
    conference_record_distribute,
    conference_stand_down,
)
from consultations import services
from consultations.codes import SAFE_QUESTION, SAFE_TEXT, Audience, Channel, Occasion
from consultations.models import Answer, Question, QuestionSet
from iro_service.core.restriction import NOT_YOUR_RECORD
from iro_service.core.roles import Role
from tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_request_counts():
    """The public pages count requests per address in the cache: these tests walk every page
    several times, so each starts from none."""
    cache.clear()


# "review" or "reviews" as a word: not the service's name, the Independent Reviewing Officer.
REVIEW = re.compile(r"\breviews?\b", re.IGNORECASE)


def _reviews_in(text: str) -> list[str]:
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in REVIEW.finditer(text)]


def _question(consultation, key: str) -> Question:
    return Question.objects.get(
        question_set__audience=consultation.audience, question_set__occasion=consultation.occasion, key=key
    )


def _answer(consultation, key: str, value: str) -> Answer:
    return services.answer_save(consultation=consultation, question=_question(consultation, key), value=value)


# --- the question sets ------------------------------------------------------------------------


def test_every_audience_has_a_set_before_a_conference_and_none_of_it_says_review():
    conference_sets = QuestionSet.objects.filter(occasion=Occasion.CONFERENCE).prefetch_related("questions")
    assert sorted(s.audience for s in conference_sets) == sorted(Audience.values)
    for question_set in conference_sets:
        words = [question_set.title, question_set.introduction]
        words += [text for q in question_set.questions.all() for text in (q.text, q.hint)]
        assert _reviews_in(" ".join(words)) == [], question_set.audience


def test_the_childrens_conference_sets_keep_the_questions_the_safety_check_reads():
    for audience in (Audience.CHILD, Audience.CHILD_EASY_READ):
        keys = set(
            Question.objects.filter(
                question_set__occasion=Occasion.CONFERENCE, question_set__audience=audience
            ).values_list("key", flat=True)
        )
        assert {SAFE_QUESTION, SAFE_TEXT} <= keys


def test_rewording_a_conference_question_leaves_the_reviews_alone(client, manager_user):
    """The IRO service keeps each set on the questions page: the conference's are listed there
    under their own heading, and a change to one is not a change to the review's."""
    conference_q = Question.objects.get(
        question_set__occasion=Occasion.CONFERENCE, question_set__audience=Audience.CHILD, key="going_well"
    )
    review_q = Question.objects.get(
        question_set__occasion=Occasion.REVIEW, question_set__audience=Audience.CHILD, key="going_well"
    )
    client.force_login(manager_user)
    listing = client.get(reverse("consultations:question-sets")).content.decode()
    assert "Before a child protection conference" in listing
    assert reverse("consultations:question-edit", args=[conference_q.pk]) in listing
    saved = client.post(
        reverse("consultations:question-edit", args=[conference_q.pk]),
        {"text": "What is good at home and at school?", "hint": ""},
    )
    assert saved.status_code == 302 and saved["Location"].endswith("#set-conference-child")
    conference_q.refresh_from_db()
    review_q.refresh_from_db()
    assert conference_q.text == "What is good at home and at school?"
    assert review_q.text == "What is going well for you?"


# --- what a person asked before a conference reads --------------------------------------------


def _walk_the_pages(client, token: str, *, is_child: bool) -> list[str]:
    """Every page a person answering sees, in order: the start, each question, the last page
    (sent once with nothing chosen, for its error), and the thank-you page."""
    here = reverse("your_views:answer", args=[token])
    pages = [client.get(here)]
    number = 1
    while True:
        page = client.get(f"{here}?q={number}")
        if page.status_code != 200 or "Question " not in page.content.decode():
            break
        pages.append(page)
        number += 1
    pages.append(client.get(f"{here}?q=finish"))
    if is_child:
        pages.append(client.post(f"{here}?q=finish", {}))  # the error: choose yes or no
        pages.append(client.post(f"{here}?q=finish", {"share_with_parents": "yes"}, follow=True))
    else:
        pages.append(client.post(f"{here}?q=finish", {}, follow=True))
    assert all(page.status_code == 200 for page in pages)
    assert "Thank you" in pages[-1].content.decode()
    return [page.content.decode() for page in pages]


@pytest.mark.parametrize(
    "audience",
    [Audience.CHILD, Audience.CHILD_EASY_READ, Audience.PARENT, Audience.CARER, Audience.SOCIAL_WORKER],
)
def test_nothing_a_person_asked_before_a_conference_reads_says_review(
    client, household, audience, caplog, django_capture_on_commit_callbacks
):
    """GIVEN Amy's review conference (she is in care, so her carer may be asked too)
    WHEN someone is sent a consultation by email, by text message and by letter, and answers
    THEN neither the email, the text message, the letter nor any page they see says "review"."""
    link = household.amy_link
    with django_capture_on_commit_callbacks(execute=True):
        by_email, token = services.consultation_send(
            conference_child=link,
            audience=audience,
            respondent_name="Sam",
            channel=Channel.EMAIL,
            email="sam@example.invalid",
        )
    with (
        caplog.at_level(logging.INFO, logger="consultations.sms"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.consultation_send(
            conference_child=link,
            audience=audience,
            respondent_name="Sam",
            channel=Channel.SMS,
            mobile="07700 900982",
        )
    email = mail.outbox[0]
    texts = [r.getMessage() for r in caplog.records if r.name == "consultations.sms"]
    assert len(texts) == 1
    assert "child protection conference" in email.subject or "keeping you safe" in email.subject
    assert _reviews_in(email.subject + email.body) == []
    assert _reviews_in(texts[0]) == []

    client.force_login(household.chair.user)
    letter = client.post(
        reverse("consultations:conference", args=[link.pk]),
        {"audience": audience, "respondent_name": "Sam", "channel": "letter"},
    ).content.decode()
    letter_text = letter[letter.index('<div class="app-letter">') : letter.index("app-letter__qr")]
    assert "is booked for" in letter_text
    assert _reviews_in(letter_text) == []
    client.logout()

    is_child = audience in (Audience.CHILD, Audience.CHILD_EASY_READ)
    for page in _walk_the_pages(client, token, is_child=is_child):
        assert _reviews_in(page) == []
    by_email.refresh_from_db()
    assert by_email.returned_at is not None


def test_a_childs_words_before_a_conference_are_plain(client, household, django_capture_on_commit_callbacks):
    """A child is told of the meeting about keeping them safe and the person who leads it (a
    child at a conference may have no IRO); the email names it for a child too."""
    with django_capture_on_commit_callbacks(execute=True):
        _, token = services.consultation_send(
            conference_child=household.ben_link,
            audience=Audience.CHILD,
            respondent_name="Ben",
            channel=Channel.EMAIL,
            email="ben@example.invalid",
        )
    assert mail.outbox[0].subject == "Your views before the meeting about keeping you safe"
    assert "A meeting about keeping you safe is booked for" in mail.outbox[0].body
    assert "It is called a child protection conference." in mail.outbox[0].body
    assert "The person who leads the meeting would like to know what you think" in mail.outbox[0].body
    here = reverse("your_views:answer", args=[token])
    start = client.get(here).content.decode()
    assert "Your views before the meeting about keeping you safe" in start
    finish = client.get(f"{here}?q=finish").content.decode()
    assert (
        "The person who leads the meeting will read your answers before the meeting about keeping you safe."
        in finish
    )
    assert "No, just the person who leads the meeting" in finish
    assert "I would like the person who leads the meeting to get in touch with me" in finish


def test_a_parents_words_before_a_conference_name_the_conference_and_its_chair(
    client, household, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, token = services.consultation_send(
            conference_child=household.ben_link,
            audience=Audience.PARENT,
            respondent_name="Mary",
            channel=Channel.EMAIL,
            email="mary@example.invalid",
        )
    assert mail.outbox[0].subject == "Your views before the child protection conference"
    assert "A child protection conference is booked for" in mail.outbox[0].body
    assert "The chair of the conference would like to know what you think" in mail.outbox[0].body
    here = reverse("your_views:answer", args=[token])
    assert (
        "Your views as a parent before the child protection conference" in client.get(here).content.decode()
    )
    finish = client.get(f"{here}?q=finish").content.decode()
    assert (
        "The chair of the conference will read your answers before the child protection conference." in finish
    )


def test_a_reviews_consultation_still_speaks_of_the_review(
    client, household, django_capture_on_commit_callbacks
):
    """The same child asked before her review meeting: the review's words, as before."""
    with django_capture_on_commit_callbacks(execute=True):
        _, token = services.consultation_send(
            meeting=household.meeting,
            audience=Audience.CHILD,
            respondent_name="Amy",
            channel=Channel.EMAIL,
            email="amy@example.invalid",
        )
    assert mail.outbox[0].subject == "Your views before the review meeting"
    assert "A review meeting is booked for" in mail.outbox[0].body
    assert "The Independent Reviewing Officer would like to know what you think" in mail.outbox[0].body
    here = reverse("your_views:answer", args=[token])
    assert "Your views before your review" in client.get(here).content.decode()
    assert "Who do you want at your review?" in client.get(f"{here}?q=6").content.decode()
    finish = client.get(f"{here}?q=finish").content.decode()
    assert "Your IRO will read your answers before your review." in finish
    assert "No, just the IRO" in finish and "I would like my IRO to get in touch with me" in finish
    done = client.post(f"{here}?q=finish", {"share_with_parents": "no"}, follow=True).content.decode()
    assert "Your IRO will read them before your review." in done


def test_a_conference_question_is_not_saved_for_a_reviews_consultation(household):
    consultation, _ = services.consultation_send(
        meeting=household.meeting, audience=Audience.CHILD, respondent_name="Amy", channel=Channel.LETTER
    )
    conference_question = Question.objects.get(
        question_set__occasion=Occasion.CONFERENCE, question_set__audience=Audience.CHILD, key="going_well"
    )
    with pytest.raises(ValidationError):
        services.answer_save(consultation=consultation, question=conference_question, value="Football")


# --- an answer to the conference record -------------------------------------------------------

ROLES = [
    "iro_user",
    "amys_iro",
    "other_iro",
    "manager_user",
    "support_user",
    "senior_user",
    "no_role_user",
    "anonymous",
]
# The chair (Helen, the IRO persona), Amy's own IRO (Ian, who does not chair) and a manager.
MAY_ADD = {"iro_user", "amys_iro", "manager_user"}


@pytest.fixture
def amys_answer(household):
    """Amy's answer before the conference; she said her family may see her answers."""
    consultation, _ = services.consultation_send(
        conference_child=household.amy_link,
        audience=Audience.CHILD,
        respondent_name="Amy",
        channel=Channel.LETTER,
    )
    answer = _answer(consultation, "going_well", "Living with my nan")
    services.consultation_choices_save(
        consultation=consultation, share_with_parents=True, wants_iro_contact=False
    )
    return answer


def _url(answer) -> str:
    return reverse("consultations:answer-to-conference-record", args=[answer.pk])


def _sign_in_as(client, request, household, make_user, role):
    if role == "anonymous":
        return
    if role == "amys_iro":
        user = make_user(Role.IRO, username="ian-other")
        household.iro.user = user
        household.iro.save()
    elif role == "other_iro":
        user = make_user(Role.IRO, username="owen-other")
        StaffMemberFactory(first_name="Owen", last_name="Other", user=user)
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_putting_an_answer_on_the_conference_record_is_for_the_chair_the_childs_iro_and_managers(
    request, client, household, amys_answer, make_user, role
):
    """GET and POST as each role: those who may change the conference record get 405 and add
    the point; another IRO is refused with the reason; business support (who do not read the
    answers), senior managers and others 403; anonymous visitors are sent to sign in."""
    _sign_in_as(client, request, household, make_user, role)
    got = client.get(_url(amys_answer))
    posted = client.post(_url(amys_answer))
    points = ConferenceChildView.objects.filter(conference_child=household.amy_link)
    if role == "anonymous":
        assert got.status_code == posted.status_code == 302 and "/sign-in/" in posted["Location"]
        assert not points.exists()
    elif role in MAY_ADD:
        assert got.status_code == 405
        assert posted.status_code == 302
        assert posted["Location"] == reverse("consultations:conference", args=[household.amy_link.pk])
        point = points.get()
        assert (point.asked, point.text) == ("What is going well for you?", "Living with my nan")
    else:
        assert got.status_code == posted.status_code == 403
        if role == "other_iro":
            assert NOT_YOUR_RECORD in html.unescape(posted.content.decode())
        assert not points.exists()
        assert Answer.objects.get(pk=amys_answer.pk).on_record_at is None


def test_the_point_is_on_the_conference_page_once_with_its_history(client, iro_user, household, amys_answer):
    """GIVEN Amy's answer WHEN the chair adds it to the record twice THEN one point, with a
    history row, shown on the conference's page under the children's views; the consultations
    page says it is on the conference record and offers the button no more."""
    client.force_login(iro_user)
    first = client.post(_url(amys_answer), follow=True).content.decode()
    assert "now a point in the child&#x27;s views on the conference record" in first
    client.post(_url(amys_answer))
    point = ConferenceChildView.objects.get(conference_child=household.amy_link)
    assert point.recorded_by == iro_user
    assert point.history.count() == 1
    answer = Answer.objects.get(pk=amys_answer.pk)
    assert answer.on_record_at is not None and answer.on_record_by == iro_user
    assert answer.history.filter(on_record_at__isnull=False).count() == 1
    detail = client.get(
        reverse("conferences:conference-detail", args=[household.conference.pk])
    ).content.decode()
    assert "Children's views on the record" in detail
    assert detail.count("Living with my nan") == 2  # on the record, and among the answers
    page = client.get(reverse("consultations:conference", args=[household.amy_link.pk])).content.decode()
    assert "On the conference record" in page
    assert _url(amys_answer) not in page


@pytest.mark.parametrize("shared", [False, None])
def test_an_answer_the_child_has_not_agreed_to_share_stays_off_the_record(
    client, iro_user, household, shared
):
    """The conference record goes to the parents: an answer from a child who chose "just" the
    chair, or has not said, is refused with the reason."""
    consultation, _ = services.consultation_send(
        conference_child=household.amy_link,
        audience=Audience.CHILD,
        respondent_name="Amy",
        channel=Channel.LETTER,
    )
    answer = _answer(consultation, "going_well", "My mum's boyfriend")
    if shared is not None:
        services.consultation_choices_save(
            consultation=consultation, share_with_parents=shared, wants_iro_contact=False
        )
    client.force_login(iro_user)
    refused = client.post(_url(answer), follow=True).content.decode()
    assert "has not said their family may see their answers" in refused
    assert not ConferenceChildView.objects.exists()
    assert Answer.objects.get(pk=answer.pk).on_record_at is None


def test_an_answer_may_go_on_the_record_of_a_held_conference_until_it_is_distributed(
    client, iro_user, household, amys_answer
):
    """The chair writes the record after the conference: a held conference's record takes the
    point; once distributed it takes nothing more, and says so."""
    Conference.objects.filter(pk=household.conference.pk).update(date=timezone.localdate())
    conference = Conference.objects.get(pk=household.conference.pk)
    conference_record(
        conference=conference,
        decisions={
            c.pk: ChildDecision("plan_continued", ("NEG",))
            for c in (household.amy, household.ben, household.cal)
        },
    )
    client.force_login(iro_user)
    client.post(_url(amys_answer))
    assert ConferenceChildView.objects.count() == 1
    consultation = amys_answer.consultation
    later = _answer(consultation, "feel_safe", "yes")
    conference_record_distribute(
        conference=Conference.objects.get(pk=conference.pk),
        completed_on=timezone.localdate(),
        distributed_on=timezone.localdate(),
    )
    refused = client.post(_url(later), follow=True).content.decode()
    assert "was distributed on" in refused
    assert ConferenceChildView.objects.count() == 1
    assert Answer.objects.get(pk=later.pk).on_record_at is None


def test_a_stood_down_conference_has_no_record_to_add_to(client, iro_user, household, amys_answer):
    conference_stand_down(conference=household.conference, reason="other", detail="Chair ill")
    client.force_login(iro_user)
    refused = client.post(_url(amys_answer), follow=True).content.decode()
    assert "stood down, so it has no record" in refused
    assert not ConferenceChildView.objects.exists()


def test_a_social_workers_answer_stays_off_the_record(household):
    consultation, _ = services.consultation_send(
        conference_child=household.amy_link,
        audience=Audience.SOCIAL_WORKER,
        respondent_name="Sue",
        channel=Channel.LETTER,
    )
    question = Question.objects.get(
        question_set__occasion=Occasion.CONFERENCE, question_set__audience=Audience.SOCIAL_WORKER, position=1
    )
    answer = services.answer_save(consultation=consultation, question=question, value="Good progress")
    with pytest.raises(ValidationError) as refused:
        services.answer_to_conference_record(answer=answer, by=None)
    assert "answer" in refused.value.message_dict
    assert not ConferenceChildView.objects.exists()


def test_a_reviews_answer_is_not_found_at_the_conference_records_address(client, iro_user, household):
    consultation, _ = services.consultation_send(
        meeting=household.meeting, audience=Audience.CHILD, respondent_name="Amy", channel=Channel.LETTER
    )
    answer = _answer(consultation, "going_well", "Football")
    client.force_login(iro_user)
    assert client.post(_url(answer)).status_code == 404
    assert Answer.objects.get(pk=answer.pk).on_record_at is None


def test_the_conference_page_takes_the_same_queries_for_one_point_or_many(client, iro_user, household):
    """The children's views are one prefetch: three points on two children cost what one does."""
    client.force_login(iro_user)
    from conferences.services import conference_child_view_record

    conference_child_view_record(conference_child=household.amy_link, text="I like my school")
    url = reverse("conferences:conference-detail", args=[household.conference.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    conference_child_view_record(conference_child=household.amy_link, text="I miss my dad")
    conference_child_view_record(
        conference_child=household.ben_link, text="Football", asked="What is going well?"
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "I miss my dad" in page and "Football" in page
    assert len(many) == len(few)
