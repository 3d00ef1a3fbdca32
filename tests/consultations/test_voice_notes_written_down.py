"""What a voice note says, written down by the IRO (or the chair) who listened, so that a record
can take it: the service cannot hear a recording. The page is the IRO's and the chair's, checked
and logged; what is written down goes on the review record (shown on the review's page) or on
the conference record as a point saying it is from the voice note; a new voice note is a new
thing to listen to; once the answer is on the record, what it says stays."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.models import ConferenceChildView
from consultations import services
from consultations.codes import Audience, Channel
from consultations.models import Answer, Question, VoiceNote
from iro_service.audit.models import AccessLog
from iro_service.core.restriction import NOT_YOUR_RECORD
from iro_service.core.roles import Role
from iro_service.people.models import ChildRestriction, ChildRestrictionMember, StaffMember
from reviews import services as reviews
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care, review
from tests.factories.sounds import recording_of, tone_wav

pytestmark = pytest.mark.django_db

SAID = "I like my new school and I want my nan at my review"


def _question(key, occasion="review"):
    return Question.objects.get(question_set__audience="child", question_set__occasion=occasion, key=key)


# Three of the questions asked of a child before a review, answered in words.
ASKED_IN_WORDS = [
    "What is going well for you?",
    "What worries you?",
    "What do you want to talk about at your review?",
]


def _asked(text):
    return Question.objects.get(question_set__audience="child", question_set__occasion="review", text=text)


@pytest.fixture
def meeting(iro_user):
    """Amy, in care 120 days, Helen her IRO (with iro_user), a review meeting in 10 days."""
    today = timezone.localdate()
    helen = StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=iro_user)
    child = ChildFactory(first_name="Amy", last_name="Quillfeather")
    IroAllocationFactory(child=child, iro=helen, start_date=today - timedelta(days=120))
    period = period_of_care(child=child, start_date=today - timedelta(days=120))
    return reviews.review_meeting_book(period=period, on=today + timedelta(days=10))


def _said(meeting, *, typed="", audience=Audience.CHILD, key="going_well"):
    consultation, _ = services.consultation_send(
        meeting=meeting, audience=audience, respondent_name="Amy", channel=Channel.LETTER
    )
    question = Question.objects.get(question_set__audience=audience, question_set__occasion="review", key=key)
    if typed:
        services.answer_save(consultation=consultation, question=question, value=typed)
    return services.voice_note_save(consultation=consultation, question=question, recording=tone_wav(0.2))


@pytest.fixture
def note(meeting):
    """Amy answered "What is going well for you?" with a voice note only."""
    return _said(meeting)


def _url(note) -> str:
    return reverse("consultations:voice-note-heard", args=[note.pk])


def _meeting_page(client, meeting):
    return lxml.html.fromstring(client.get(reverse("consultations:meeting", args=[meeting.pk])).content)


def test_a_voice_note_nobody_has_written_down_cannot_go_on_the_record_yet(client, iro_user, meeting, note):
    client.force_login(iro_user)
    page = _meeting_page(client, meeting)
    assert not page.xpath("//button[contains(., 'Add to the review record')]")
    (link,) = page.xpath(f"//a[@href='{_url(note)}']")
    assert link.text_content() == (
        "Write down what they said in the voice note answering: What is going well for you?"
    )
    assert not services.answer_may_go_on_a_record(Answer.objects.get(pk=note.answer_id))


def test_the_iro_listens_writes_it_down_and_takes_it_to_the_review_record(client, iro_user, meeting, note):
    """GIVEN Amy's voice-only answer WHEN Helen opens the page (logged), writes down what Amy
    said and saves THEN it is kept with who and when, in the history, shown on the meeting's
    page, and the answer can now go on the review record; once there, the review's page shows
    it, and what was written down can no longer be changed."""
    client.force_login(iro_user)
    got = client.get(_url(note))
    assert got.status_code == 200
    page = lxml.html.fromstring(got.content)
    assert page.xpath("//h1")[0].text_content() == "Write down what they said"
    assert "What is going well for you?" in page.text_content()
    assert page.xpath(f"//audio[@src='{reverse('consultations:voice-note', args=[note.pk])}']")
    assert page.xpath("//textarea[@name='heard_as']")
    logged = AccessLog.objects.get(user=iro_user)
    assert (logged.child_id, logged.what) == (
        meeting.period.child_id,
        "A voice note in a consultation, to write down",
    )

    posted = client.post(_url(note), {"heard_as": f"  {SAID}  "})
    assert posted.status_code == 302
    assert posted["Location"] == reverse("consultations:meeting", args=[meeting.pk])
    kept = VoiceNote.objects.get(pk=note.pk)
    assert (kept.heard_as, kept.heard_by) == (SAID, iro_user) and kept.heard_at is not None
    assert kept.history.latest("history_date").heard_as == SAID

    page = _meeting_page(client, meeting)
    assert f"Written down: {SAID}" in page.text_content()
    assert page.xpath(f"//a[@href='{_url(note)}' and contains(., 'Change what was written down')]")
    assert len(page.xpath("//button[contains(., 'Add to the review record')]")) == 1
    client.post(reverse("consultations:answer-to-record", args=[note.answer_id]))
    assert Answer.objects.get(pk=note.answer_id).on_record_at is not None

    # The review is held: its page shows the point, from the voice note, in Amy's words.
    held = review(
        child=meeting.period.child, parts=timezone.localdate(), chair=StaffMember.objects.get(user=iro_user)
    )
    review_page = lxml.html.fromstring(client.get(reverse("reviews:review-edit", args=[held.pk])).content)
    assert (
        review_page.xpath("//h2[@id='views-on-the-record']")[0].text_content() == "Their views on the record"
    )
    (row,) = review_page.xpath("//h2[@id='views-on-the-record']/following-sibling::dl[1]/div")
    assert row.xpath("dt")[0].text_content() == "Amy, child or young person: What is going well for you?"
    assert row.xpath("dd")[0].text_content().startswith(f"In their voice note: {SAID}")
    assert "Not to be shared with parents." in row.text_content()  # she has not said they may

    # On the record now: the words it took stay.
    # The page has no form then, so the refusal is a message above it, not a field's error
    # (whose error summary would link to a field that is not on the page).
    refused = client.post(_url(note), {"heard_as": "Something else"}, follow=True)
    assert refused.redirect_chain == [(_url(note), 302)]
    shown = lxml.html.fromstring(refused.content)
    (banner,) = shown.xpath("//p[@class='govuk-notification-banner__heading']")
    assert banner.text_content().startswith("This answer is on the record already")
    assert not shown.xpath("//*[contains(@class, 'govuk-error-summary')]")
    assert not shown.xpath("//textarea")
    assert VoiceNote.objects.get(pk=note.pk).heard_as == SAID


def test_what_was_written_down_follows_what_they_typed(meeting, iro_user):
    note = _said(meeting, typed="Football")
    services.voice_note_heard(note=note, text="And swimming on Saturdays", by=iro_user)
    answer = Answer.objects.select_related("voice_note").get(pk=note.answer_id)
    assert answer.for_the_record == "Football\n\nIn their voice note: And swimming on Saturdays"


def test_an_empty_page_sent_names_the_field(client, iro_user, note):
    client.force_login(iro_user)
    response = client.post(_url(note), {"heard_as": "   "})
    assert response.status_code == 200
    summary = lxml.html.fromstring(response.content).xpath(
        "//div[contains(@class, 'govuk-error-summary')]//a"
    )
    assert [(a.get("href"), a.text_content()) for a in summary] == [
        ("#id_heard_as", "Enter what they said in their voice note")
    ]
    assert VoiceNote.objects.get(pk=note.pk).heard_at is None


def test_with_what_they_typed_it_must_fit_one_point_on_a_record(client, iro_user, meeting):
    """A point on a record holds 2,000 characters. With "Football" typed, the point is
    "Football" (8), two line breaks (2), "In their voice note: " (21) and what was heard:
    2,000 - 31 = 1,969 characters are left for it."""
    note = _said(meeting, typed="Football")
    client.force_login(iro_user)
    response = client.post(_url(note), {"heard_as": "a" * 1970})
    assert response.status_code == 200
    summary = lxml.html.fromstring(response.content).xpath(
        "//div[contains(@class, 'govuk-error-summary')]//a"
    )
    assert summary[0].get("href") == "#id_heard_as"
    assert "must be 1969 characters or fewer" in summary[0].text_content()
    assert client.post(_url(note), {"heard_as": "a" * 1969}).status_code == 302
    answer = Answer.objects.select_related("voice_note").get(pk=note.answer_id)
    assert len(answer.for_the_record) == 2000


def test_a_new_voice_note_has_to_be_listened_to_again(meeting, iro_user):
    note = _said(meeting)
    services.voice_note_heard(note=note, text=SAID, by=iro_user)
    again = services.voice_note_save(
        consultation=note.answer.consultation,
        question=note.answer.question,
        recording=recording_of("audio/ogg"),
    )
    assert again.pk == note.pk
    assert (again.heard_as, again.heard_by, again.heard_at) == ("", None, None)


def test_the_database_keeps_the_words_and_when_together(note):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        VoiceNote.objects.filter(pk=note.pk).update(heard_as="Words with no when")


@pytest.mark.parametrize("role", ["iro_user", "manager_user", "support_user", "senior_user", "no_role_user"])
def test_who_may_write_it_down(request, client, note, role):
    """The IRO and managers (who read the answers and record reviews); nobody else."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    got = client.get(_url(note))
    posted = client.post(_url(note), {"heard_as": SAID})
    if role in ("iro_user", "manager_user"):
        assert got.status_code == 200 and posted.status_code == 302
        assert VoiceNote.objects.get(pk=note.pk).heard_as == SAID
    else:
        assert got.status_code == posted.status_code == 403
        assert VoiceNote.objects.get(pk=note.pk).heard_as == ""
        assert not AccessLog.objects.filter(user=user).exists()


def test_signed_out_the_page_is_not_reached(client, note):
    response = client.get(_url(note))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_restricted_childs_voice_note_is_not_found(client, manager_user, note):
    restriction = ChildRestriction.objects.create(
        child=note.answer.consultation.child, reason="A relative of a member of staff"
    )
    ChildRestrictionMember.objects.create(restriction=restriction, staff_member=StaffMemberFactory())
    client.force_login(manager_user)
    assert client.get(_url(note)).status_code == 404
    assert client.post(_url(note), {"heard_as": SAID}).status_code == 404
    assert VoiceNote.objects.get(pk=note.pk).heard_as == ""


def test_an_unknown_voice_note_is_not_found(client, iro_user):
    client.force_login(iro_user)
    assert client.get(reverse("consultations:voice-note-heard", args=[999999])).status_code == 404


# --- before a conference ------------------------------------------------------------------


@pytest.fixture
def conference_note(household):
    """Amy said what is going well before the conference in a voice note only, and said her
    family may see her answers."""
    consultation, _ = services.consultation_send(
        conference_child=household.amy_link,
        audience=Audience.CHILD,
        respondent_name="Amy",
        channel=Channel.LETTER,
    )
    services.consultation_choices_save(
        consultation=consultation, share_with_parents=True, wants_iro_contact=False
    )
    return services.voice_note_save(
        consultation=consultation, question=_question("going_well", "conference"), recording=tone_wav(0.2)
    )


def test_the_chair_writes_it_down_and_it_goes_on_the_conference_record_as_said(
    client, iro_user, household, conference_note
):
    client.force_login(iro_user)  # Helen chairs the conference
    assert client.post(_url(conference_note), {"heard_as": "Living with my nan"}).status_code == 302
    client.post(reverse("consultations:answer-to-conference-record", args=[conference_note.answer_id]))
    point = ConferenceChildView.objects.get(conference_child=household.amy_link)
    assert point.text == "In their voice note: Living with my nan"
    assert point.asked == "What is going well for you?"
    # The conference's page shows what was written down beside the player.
    detail = client.get(reverse("conferences:conference-detail", args=[household.conference.pk]))
    assert "Written down:</strong> Living with my nan" in detail.content.decode()


def test_another_iro_may_not_write_down_a_conferences_voice_note(client, make_user, conference_note):
    user = make_user(Role.IRO, username="owen-other")
    StaffMemberFactory(first_name="Owen", last_name="Other", user=user)
    client.force_login(user)
    response = client.post(_url(conference_note), {"heard_as": "Living with my nan"})
    assert response.status_code == 403
    assert NOT_YOUR_RECORD in response.content.decode().replace("&#x27;", "'")
    assert VoiceNote.objects.get(pk=conference_note.pk).heard_as == ""


# --- the review's page --------------------------------------------------------------------


def _held_with_points(meeting, iro_user, count: int):
    """``count`` of Amy's answers taken to the review record, then the review held."""
    consultation, _ = services.consultation_send(
        meeting=meeting, audience=Audience.CHILD, respondent_name="Amy", channel=Channel.LETTER
    )
    for text in ASKED_IN_WORDS[:count]:
        answer = services.answer_save(consultation=consultation, question=_asked(text), value="An answer")
        services.answer_to_record(answer=answer, by=iro_user)
    return review(
        child=meeting.period.child, parts=timezone.localdate(), chair=StaffMember.objects.get(user=iro_user)
    )


def test_the_review_page_reads_its_points_in_one_query_whatever_their_number(client, iro_user, meeting):
    held = _held_with_points(meeting, iro_user, 1)
    client.force_login(iro_user)
    url = reverse("reviews:review-edit", args=[held.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    consultation = meeting.consultations.get()
    for text in ASKED_IN_WORDS[1:]:
        answer = services.answer_save(consultation=consultation, question=_asked(text), value="An answer")
        services.answer_to_record(answer=answer, by=iro_user)
    with CaptureQueriesContext(connection) as three:
        page = lxml.html.fromstring(client.get(url).content)
    assert len(page.xpath("//h2[@id='views-on-the-record']/following-sibling::dl[1]/div")) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_who_reads_the_answers_sees_the_points_on_the_review_page(client, manager_user, iro_user, meeting):
    """The review's page is the IROs' and managers' (tests/core/test_every_page.py): both
    read the answers. The panel asks for that permission itself, so it is checked here with a
    manager whose role has lost it."""
    from django.contrib.auth.models import Permission

    held = _held_with_points(meeting, iro_user, 1)
    url = reverse("reviews:review-edit", args=[held.pk])
    client.force_login(manager_user)
    assert b"views-on-the-record" in client.get(url).content
    manager_user.groups.first().permissions.remove(Permission.objects.get(codename="view_answer"))
    manager_user = type(manager_user).objects.get(pk=manager_user.pk)  # its permissions read again
    client.force_login(manager_user)
    response = client.get(url)
    assert response.status_code == 200 and b"views-on-the-record" not in response.content


def test_a_review_with_no_points_has_no_panel(client, iro_user, meeting):
    held = review(
        child=meeting.period.child, parts=timezone.localdate(), chair=StaffMember.objects.get(user=iro_user)
    )
    client.force_login(iro_user)
    response = client.get(reverse("reviews:review-edit", args=[held.pk]))
    assert response.status_code == 200 and b"views-on-the-record" not in response.content
