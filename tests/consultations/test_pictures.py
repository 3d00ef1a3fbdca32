"""Answers by pictures: the easy-read child chooses the people they want at their meeting from
pictures with words, and every chosen answer (pictures, faces, yes or no) reaches the IRO's page
and the record in the words the child chose, never as its stored code."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from conferences.models import ConferenceChildView
from consultations import services
from consultations.codes import PEOPLE, AnswerKind, Audience, Channel, answer_in_words
from consultations.models import Answer, Question
from reviews import services as reviews
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db

WHO = "Who do you want at your meeting?"


@pytest.fixture
def easy_read(iro_user):
    """Amy (in care 120 days, Helen her IRO) has an easy-read consultation before her review in
    10 days; returns the consultation, its link's token and the "who do you want" question."""
    today = timezone.localdate()
    chair = StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=iro_user)
    amy = ChildFactory(first_name="Amy")
    IroAllocationFactory(child=amy, iro=chair, start_date=today - timedelta(days=120))
    period = period_of_care(child=amy, start_date=today - timedelta(days=120))
    meeting = reviews.review_meeting_book(period=period, on=today + timedelta(days=10))
    consultation, token = services.consultation_send(
        meeting=meeting, audience=Audience.CHILD_EASY_READ, respondent_name="Amy", channel=Channel.LETTER
    )
    question = Question.objects.get(
        question_set__audience=Audience.CHILD_EASY_READ, question_set__occasion="review", text=WHO
    )
    return consultation, token, question


def _page(token, question):
    return reverse("your_views:answer", args=[token]) + f"?q={question.position}"


def test_the_easy_read_sets_ask_who_they_want_with_pictures_and_the_standard_set_in_words():
    kinds = dict(
        Question.objects.filter(text__startswith="Who do you want at").values_list(
            "question_set__audience", "kind"
        )
        # two of each: before a review and before a conference
    )
    assert kinds == {"child_easy_read": "people", "child": "text"}
    assert Question.objects.filter(question_set__audience="child_easy_read", kind="people").count() == 2


def test_the_page_shows_each_person_as_a_picture_with_words_to_tick(client, easy_read):
    _consultation, token, question = easy_read
    page = client.get(_page(token, question)).content.decode()
    assert page.count('type="checkbox"') == len(PEOPLE) == 10
    assert "👩 Mum" in page and "🧑‍🏫 My teacher" in page
    assert "Choose as many as you like." in page


def test_the_people_chosen_are_saved_and_ticked_on_return(client, easy_read):
    consultation, token, question = easy_read
    response = client.post(_page(token, question), {"value": ["teacher", "mum"]})
    assert response.status_code == 302
    # Kept in the list's order, whatever order the browser sent them in.
    assert consultation.answers.get(question=question).value == "mum,teacher"
    page = lxml.html.fromstring(client.get(_page(token, question)).content)
    assert page.xpath("//input[@type='checkbox' and @checked]/@value") == ["mum", "teacher"]


def test_choosing_nobody_is_allowed_and_saves_an_empty_answer(client, easy_read):
    consultation, token, question = easy_read
    assert client.post(_page(token, question), {}).status_code == 302
    assert consultation.answers.get(question=question).value == ""


def test_a_person_not_on_the_list_is_refused_in_words_and_nothing_is_saved(client, easy_read):
    consultation, token, question = easy_read
    response = client.post(_page(token, question), {"value": ["mum", "the-head-teacher"]})
    assert response.status_code == 200
    assert "Choose from the people shown" in response.content.decode()
    assert not consultation.answers.exists()


def test_the_iro_reads_the_chosen_pictures_and_faces_in_words(client, iro_user, easy_read):
    """The IRO's page shows "👩 Mum, 🧑‍🏫 My teacher", not the stored "mum,teacher", and the
    face chosen for "How is home?" (stored as "4") as "😀 Really good"."""
    consultation, token, question = easy_read
    client.post(_page(token, question), {"value": ["mum", "teacher"]})
    home = Question.objects.get(question_set=question.question_set, text="How is home?")
    client.post(_page(token, home), {"value": "4"})
    client.force_login(iro_user)
    page = client.get(reverse("consultations:meeting", args=[consultation.meeting_id])).content.decode()
    assert "👩 Mum, 🧑‍🏫 My teacher" in page
    assert "😀 Really good" in page
    assert "mum,teacher" not in page


def test_a_face_chosen_before_a_conference_goes_on_the_record_in_words(client, iro_user, household):
    """GIVEN Amy's "How do you feel about home?" answered with the top face (stored "4") and
    her agreement to share WHEN the chair adds it to the conference record THEN the point says
    "😀 Really good", the words Amy chose."""
    consultation, _ = services.consultation_send(
        conference_child=household.amy_link,
        audience=Audience.CHILD,
        respondent_name="Amy",
        channel=Channel.LETTER,
    )
    face = Question.objects.filter(
        question_set__audience=Audience.CHILD, question_set__occasion="conference", kind=AnswerKind.SCALE
    ).first()
    answer = services.answer_save(consultation=consultation, question=face, value="4")
    services.consultation_choices_save(
        consultation=consultation, share_with_parents=True, wants_iro_contact=False
    )
    client.force_login(iro_user)
    client.post(reverse("consultations:answer-to-conference-record", args=[answer.pk]))
    point = ConferenceChildView.objects.get(conference_child=household.amy_link)
    assert point.text == "😀 Really good"
    assert Answer.objects.get(pk=answer.pk).on_record_at is not None


def test_a_manager_may_make_a_question_one_answered_with_pictures(client, manager_user):
    question = Question.objects.get(
        question_set__audience=Audience.CHILD,
        question_set__occasion="review",
        text="Who do you want at your review?",
    )
    client.force_login(manager_user)
    page = client.get(reverse("consultations:question-edit", args=[question.pk])).content.decode()
    assert "Choose people from pictures (any number)" in page
    response = client.post(
        reverse("consultations:question-edit", args=[question.pk]),
        {"text": question.text, "hint": "", "kind": "people", "active": "on"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.kind == "people"
    assert question.history.first().kind == "people"


@pytest.mark.parametrize(
    ("kind", "value", "words"),
    [
        ("people", "dad,just_me", "👨 Dad, 🙋 Just me and the IRO"),
        ("scale", "1", "😟 Bad"),
        ("yes_no", "no", "No"),
        ("text", "4", "4"),  # typed words are shown as typed
        ("people", "dad,someone-removed", "👨 Dad, someone-removed"),  # a choice since taken off the list
        ("scale", "", ""),
    ],
)
def test_an_answer_in_words(kind, value, words):
    assert answer_in_words(kind, value) == words
