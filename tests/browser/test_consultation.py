"""A child completes the easy-read consultation on a phone-sized screen (and at 200% zoom's
width), saying they do not feel safe; their IRO sees the answers on the meeting's consultation
page. Every page passes axe-core."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from consultations import services
from iro_service.core.roles import Role
from reviews import services as reviews
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory, UserFactory
from tests.factories.reviews import period_of_care

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(db):
    today = timezone.localdate()
    helen = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    iro = StaffMemberFactory(
        first_name="Helen", last_name="Ashworth", user=helen, email="helen@example.invalid"
    )
    amy = ChildFactory(first_name="Amy", last_name="Hartley")
    IroAllocationFactory(child=amy, iro=iro, start_date=today - timedelta(days=90))
    period = period_of_care(child=amy, start_date=today - timedelta(days=90))
    meeting = reviews.review_meeting_book(period=period, on=today + timedelta(days=10))
    _, token = services.consultation_send(
        meeting=meeting, audience="child_easy_read", respondent_name="Amy", channel="letter"
    )
    return {"meeting": meeting, "token": token}


@pytest.mark.parametrize("width", [360, 320])
def test_a_child_answers_on_a_phone_and_the_iro_reads_it(page, live_server, setting, width):
    """GIVEN Amy's easy-read consultation link
    WHEN she opens it on a phone (360 pixels wide; 320 is a 640-pixel window at 200% zoom),
    taps faces, says she does not feel safe and why, and sends her answers
    THEN every page is axe-clean and fits the screen, and her IRO reads her words."""
    page.set_viewport_size({"width": width, "height": 740})
    page.goto(f"{live_server.url}{reverse('your_views:answer', args=[setting['token']])}")
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Really good").check()  # How is home?
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("OK").check()  # How is school?
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("No").check()  # Do you feel safe?
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Why do you not feel safe?").fill("I get shouted at")
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Save and continue").click()
    for _ in range(2):  # what makes them happy, and sad or worried: left for another day
        page.get_by_role("button", name="Save and continue").click()
    # Who they want at the meeting: chosen from pictures of people, each with its words.
    expect(page.get_by_role("heading", name="Who do you want at your meeting?")).to_be_visible()
    page.get_by_label("Mum").check()
    page.get_by_label("My teacher").check()
    assert_accessible(page, live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Who can see your answers")).to_be_visible()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Choose yes or no: can your family see your answers?").first).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_label("No, just the IRO").check()
    page.get_by_label("I would like my IRO to get in touch with me").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert_accessible(page, live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    sign_in(page, live_server, "helen")
    expect(page.get_by_text("A child has said they do not feel safe")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("link", name="read their answers").click()
    expect(page.get_by_text("I get shouted at")).to_be_visible()
    expect(page.get_by_text("👩 Mum, 🧑‍🏫 My teacher")).to_be_visible()
    expect(page.get_by_text("Not to be shared with parents.")).to_be_visible()
    expect(page.get_by_text("Suggested participation code: PN6")).to_be_visible()
    assert_accessible(page, live_server)


@pytest.fixture
def conference_setting(db):
    """Helen chairs Amy's first review conference in a week; Amy (15) has sent her views."""
    from datetime import date

    from conferences.services import (
        ChildDecision,
        conference_book,
        conference_record,
        strategy_discussion_record,
    )
    from consultations.models import Question
    from tests.factories.conferences import family_with_children

    today = timezone.localdate()
    helen = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    chair = StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=helen)
    family, (amy,) = family_with_children(
        "Amy", start=date(2010, 1, 1), date_of_birth=date(today.year - 15, 1, 1)
    )
    held_on = today - timedelta(days=60)
    discussion = strategy_discussion_record(family=family, on=held_on - timedelta(days=10), children=[amy])
    initial = conference_book(
        family=family,
        conference_type="initial",
        on=held_on,
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )
    conference_record(conference=initial, decisions={amy.pk: ChildDecision("plan_started", ("NEG",))})
    booked = conference_book(
        family=family,
        conference_type="first_review",
        on=today + timedelta(days=7),
        chair=chair,
        children=[(amy, "first_review")],
    )
    link = booked.children.get()
    consultation, _ = services.consultation_send(
        conference_child=link, audience="child", respondent_name="Amy", channel="letter"
    )
    question = Question.objects.get(
        question_set__audience="child", question_set__occasion="conference", key="going_well"
    )
    services.answer_save(consultation=consultation, question=question, value="Seeing my nan on Sundays")
    return {"conference": booked, "link": link}


def test_the_chair_reads_the_views_on_the_conference_page(page, live_server, conference_setting):
    """GIVEN Amy's answers before her review conference
    WHEN Helen, the chair, opens the conference and then Amy's consultations
    THEN both pages are axe-clean and show Amy's words, with the form to ask someone else."""
    sign_in(page, live_server, "helen")
    conference = conference_setting["conference"]
    page.goto(f"{live_server.url}{reverse('conferences:conference-detail', args=[conference.pk])}")
    expect(page.get_by_role("heading", name="Consultations before the conference")).to_be_visible()
    expect(page.get_by_text("Seeing my nan on Sundays")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("link", name="Send or follow up").click()
    expect(page.get_by_role("heading", name="Send a consultation")).to_be_visible()
    expect(page.get_by_text("Seeing my nan on Sundays")).to_be_visible()
    assert_accessible(page, live_server)


@pytest.fixture
def conference_to_answer(conference_setting):
    """Amy's own link before her review conference, not yet opened."""
    _, token = services.consultation_send(
        conference_child=conference_setting["link"], audience="child", respondent_name="Amy", channel="letter"
    )
    return {**conference_setting, "token": token}


def test_a_child_answers_before_a_conference_on_a_phone_and_the_chair_reads_it(
    page, live_server, conference_to_answer
):
    """GIVEN Amy's link before her review conference
    WHEN she answers on a phone 360 pixels wide, in the conference's words, lets her family see
    her answers and sends them
    THEN every page is axe-clean and fits the screen; Helen, the chair, reads her words on the
    conference's page and puts one on the conference record, where the page shows it."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}{reverse('your_views:answer', args=[conference_to_answer['token']])}")
    expect(
        page.get_by_role("heading", name="Your views before the meeting about keeping you safe")
    ).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Start").click()
    page.get_by_label("What is going well for you?").fill("Going to the park with my nan")
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Really good").check()  # How do you feel about home?
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Yes").check()  # Do you feel safe at home?
    page.get_by_role("button", name="Save and continue").click()
    for _ in range(6):
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Who can see your answers")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_label("Yes, they can see them").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_text("before the meeting about keeping you safe")).to_be_visible()
    assert_accessible(page, live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, live_server, "helen")
    conference = conference_to_answer["conference"]
    page.goto(f"{live_server.url}{reverse('conferences:conference-detail', args=[conference.pk])}")
    expect(page.get_by_text("Going to the park with my nan")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("link", name="Send or follow up").click()
    # The second of the two: the first is Amy's earlier consultation, whose sharing is not said.
    page.locator("form[action$='/to-conference-record/'] button", has_text="What is going well").nth(
        1
    ).click()
    expect(page.get_by_text("now a point in the child's views on the conference record")).to_be_visible()
    assert_accessible(page, live_server)
    page.goto(f"{live_server.url}{reverse('conferences:conference-detail', args=[conference.pk])}")
    expect(page.get_by_role("heading", name="Children's views on the record")).to_be_visible()
    assert_accessible(page, live_server)


@pytest.fixture
def voice_note_setting(setting):
    """Amy answered "What is going well for you?" (easy read: "What makes you happy?") with a
    voice note only."""
    from consultations.models import Consultation, Question
    from tests.factories.sounds import tone_wav

    consultation = Consultation.objects.get(meeting=setting["meeting"])
    question = Question.objects.get(
        question_set__audience="child_easy_read",
        question_set__occasion="review",
        text="What makes you happy?",
    )
    services.voice_note_save(consultation=consultation, question=question, recording=tone_wav(0.2))
    return setting


def test_the_iro_writes_down_a_voice_note_and_it_is_on_the_review_record(
    page, live_server, voice_note_setting
):
    """GIVEN Amy's voice note, which the service cannot hear
    WHEN Helen, her IRO, writes down what Amy said (sending it empty first), takes it to the
    review record, and the review is held
    THEN every page is axe-clean, with the error named, and the review's page shows Amy's words."""
    from iro_service.people.models import StaffMember
    from tests.factories.reviews import review

    meeting = voice_note_setting["meeting"]
    sign_in(page, live_server, "helen")
    page.goto(f"{live_server.url}{reverse('consultations:meeting', args=[meeting.pk])}")
    page.get_by_role("link", name="Write down what they said").click()
    expect(page.get_by_role("heading", name="Write down what they said")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Save what they said").click()
    expect(page.get_by_role("link", name="Enter what they said in their voice note")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_label("What they said").fill("Playing football with my brother")
    page.get_by_role("button", name="Save what they said").click()
    expect(page.get_by_text("Written down: Playing football with my brother")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("button", name="Add to the review record").click()
    expect(page.get_by_text("On the review record", exact=True)).to_be_visible()

    held = review(
        child=meeting.period.child,
        parts=timezone.localdate(),
        chair=StaffMember.objects.get(user__username="helen"),
    )
    page.goto(f"{live_server.url}{reverse('reviews:review-edit', args=[held.pk])}")
    expect(page.get_by_role("heading", name="Their views on the record")).to_be_visible()
    expect(page.get_by_text("In their voice note: Playing football with my brother")).to_be_visible()
    assert_accessible(page, live_server)


def test_a_child_records_a_voice_note_in_the_page_and_sends_it(page, live_server, setting):
    """GIVEN Amy's link, on a phone whose file picker cannot record (the page records instead)
    WHEN she presses Record my answer, says it, presses Stop recording, listens and sends it
    THEN the recorder's every state is axe-clean, and her recording is kept as her answer,
    known from its first bytes (Chromium records WebM)."""
    from consultations.models import VoiceNote

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}{reverse('your_views:answer', args=[setting['token']])}?q=5")
    expect(page.get_by_role("heading", name="What makes you happy?")).to_be_visible()
    page.get_by_role("button", name="Record my answer").click()
    expect(page.get_by_role("status")).to_have_text("Recording. Say your answer, then press Stop recording.")
    assert_accessible(page, live_server)
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Stop recording").click()
    expect(page.get_by_role("status")).to_contain_text("Your recording is ready")
    expect(page.get_by_label("Your recording")).to_be_visible()
    assert page.evaluate("document.querySelector('input[name=voice_note]').files[0].type") == "audio/webm"
    assert_accessible(page, live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="What makes you sad or worried?")).to_be_visible()
    note = VoiceNote.objects.get()
    assert note.content_type == "audio/webm" and note.size > 0
    assert note.answer.question.text == "What makes you happy?"
