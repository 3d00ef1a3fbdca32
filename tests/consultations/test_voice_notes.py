"""Voice notes: a child, carer or parent says an answer instead of typing it. The file input
needs no script; only sound recordings are kept (their first bytes say so, not their name);
too big a file is refused with the reason; a new one takes the old one's place and one can be
taken back, with history that never holds the sound; the IRO plays it from a page that checks
who they are, hides a restricted child and logs each play; and it goes with the consultation."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import recordings, selectors, services
from consultations.codes import Audience, Channel
from consultations.models import Answer, Question, SafetyNotice, VoiceNote
from iro_service.audit.models import AccessLog
from iro_service.people.codes import JobRole
from iro_service.people.models import ChildRestriction, ChildRestrictionMember
from reviews import services as reviews
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care
from tests.factories.sounds import STARTS, recording_of, tone_wav

pytestmark = pytest.mark.django_db


@pytest.fixture
def amy(iro_user):
    """Amy, in care 120 days, Helen her IRO (with iro_user), Kath the team manager, and a
    consultation sent to Amy by letter before her review in 10 days. Returns (consultation,
    token)."""
    today = timezone.localdate()
    helen = StaffMemberFactory(
        first_name="Helen", last_name="Ashworth", user=iro_user, email="helen@example.invalid"
    )
    StaffMemberFactory(
        first_name="Kath", job_role=JobRole.IRO_MANAGER, team=helen.team, email="kath@example.invalid"
    )
    child = ChildFactory(first_name="Amy", last_name="Quillfeather")
    IroAllocationFactory(child=child, iro=helen, start_date=today - timedelta(days=120))
    period = period_of_care(child=child, start_date=today - timedelta(days=120))
    meeting = reviews.review_meeting_book(period=period, on=today + timedelta(days=10))
    return services.consultation_send(
        meeting=meeting, audience=Audience.CHILD, respondent_name="Amy", channel=Channel.LETTER
    )


def _question(key):
    return Question.objects.get(question_set__audience="child", question_set__occasion="review", key=key)


def _page(token, question):
    return reverse("your_views:answer", args=[token]) + f"?q={question.position}"


def _upload(content: bytes, name="answer.m4a", content_type="audio/mp4"):
    # The name and type the browser gives are deliberately wrong in some tests: neither is read.
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- what is a recording ------------------------------------------------------------------


@pytest.mark.parametrize("content_type", sorted(STARTS))
def test_each_format_a_phone_records_in_is_known_from_its_first_bytes(content_type):
    assert (
        recordings.recording_type(recording_of(content_type)[: recordings.HEAD_BYTES]).content_type
        == content_type
    )


def test_a_real_wav_is_known():
    assert recordings.recording_type(tone_wav(0.1)[:16]) == recordings.WAV


@pytest.mark.parametrize(
    "head",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(8),  # a picture
        b"%PDF-1.7\n" + bytes(7),  # a document
        b"PK\x03\x04" + bytes(12),  # a Word file or a zip
        b"MZ\x90\x00" + bytes(12),  # a Windows program
        b"<html><body>hi</b",  # a web page
        b"\x00\x00\x00\x18ftypavif" + bytes(4),  # an AVIF picture: an MP4 box, not sound
        b"",
    ],
)
def test_anything_else_is_not_a_recording(head):
    assert recordings.recording_type(head) is None


# --- the child's page ---------------------------------------------------------------------


def test_a_question_in_words_offers_a_voice_note_with_no_script_needed(client, amy):
    _consultation, token = amy
    page = lxml.html.fromstring(client.get(_page(token, _question("going_well"))).content)
    (form,) = page.xpath("//main//form")
    assert form.get("enctype") == "multipart/form-data"
    (file_input,) = form.xpath(".//input[@type='file']")
    assert file_input.get("accept") == "audio/*" and file_input.get("name") == "voice_note"
    # Its label says what it is for; the hint says how big it may be.
    label = form.xpath(f".//label[@for='{file_input.get('id')}']")[0].text_content()
    assert "voice note" in label
    assert "smaller than 10 MB" in form.text_content()
    assert not page.xpath("//script[not(@src)]")  # nothing inline: the page works without scripts


def test_a_question_answered_by_choosing_has_no_voice_note(client, amy):
    _consultation, token = amy
    page = client.get(_page(token, _question("feel_safe"))).content.decode()
    assert 'type="file"' not in page


def test_a_voice_note_is_kept_beside_the_typed_answer(client, amy):
    consultation, token = amy
    question = _question("going_well")
    sound = tone_wav(0.5)
    response = client.post(
        _page(token, question), {"value": "Football", "voice_note": _upload(sound, "memo.wav", "audio/x-wav")}
    )
    assert response.status_code == 302
    answer = Answer.objects.get(consultation=consultation, question=question)
    assert answer.value == "Football"
    note = VoiceNote.objects.get(answer=answer)
    assert bytes(note.recording) == sound
    # 0.5 s at 8,000 samples a second, two bytes each, and a 44-byte header: 8,044 bytes.
    assert (note.content_type, note.size) == ("audio/wav", 8044)
    consultation.refresh_from_db()
    assert consultation.last_saved_at is not None


def test_a_voice_note_alone_is_an_answer_and_points_to_pn6(client, amy):
    consultation, token = amy
    question = _question("going_well")
    client.post(_page(token, question), {"value": "", "voice_note": _upload(recording_of("audio/mp4"))})
    answer = Answer.objects.get(consultation=consultation, question=question)
    assert answer.value == "" and answer.voice_note.content_type == "audio/mp4"
    rows = selectors.consultations_for_meeting(meeting=consultation.meeting, user=None)
    assert selectors.participation_suggested(consultations=rows, child_age=12).code == "PN6"


def test_a_file_that_is_not_a_recording_is_refused_and_the_typed_words_are_kept(client, amy):
    consultation, token = amy
    question = _question("going_well")
    picture = b"\x89PNG\r\n\x1a\n" + bytes(500)
    response = client.post(
        _page(token, question),
        {"value": "Football", "voice_note": _upload(picture, "answer.m4a", "audio/mp4")},
    )
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    summary = page.xpath("//div[contains(@class, 'govuk-error-summary')]//a")[0]
    assert summary.get("href") == "#id_voice_note"
    assert "That file is not a voice recording" in summary.text_content()
    assert not VoiceNote.objects.exists()
    assert Answer.objects.get(consultation=consultation, question=question).value == "Football"


def test_a_voice_note_too_big_is_refused_with_the_reason(client, amy, settings):
    settings.CONSULTATION_VOICE_NOTE_MAX_MB = 1
    _consultation, token = amy
    question = _question("going_well")
    too_big = recording_of("audio/mp4", size=1024 * 1024 + 1)
    response = client.post(_page(token, question), {"value": "Football", "voice_note": _upload(too_big)})
    assert response.status_code == 200
    assert "Your voice note is too long to send. It must be smaller than 1 MB" in response.content.decode()
    assert not VoiceNote.objects.exists()
    # The typed words are still in the box to send again.
    page = lxml.html.fromstring(response.content)
    assert page.xpath("//textarea[@name='value']")[0].text_content().strip() == "Football"
    # Exactly the limit is kept.
    client.post(_page(token, question), {"value": "", "voice_note": _upload(too_big[:-1])})
    assert VoiceNote.objects.get().size == 1024 * 1024


def test_an_empty_file_is_refused(client, amy):
    _consultation, token = amy
    response = client.post(_page(token, _question("going_well")), {"value": "", "voice_note": _upload(b"")})
    assert response.status_code == 200
    summary = lxml.html.fromstring(response.content).xpath(
        "//div[contains(@class, 'govuk-error-summary')]//a"
    )[0]
    assert summary.get("href") == "#id_voice_note"
    assert "That voice note has no sound in it" in summary.text_content()
    assert not VoiceNote.objects.exists()


def test_the_service_refuses_an_empty_voice_note_in_the_forms_words(amy):
    consultation, _token = amy
    with pytest.raises(ValidationError) as refused:
        services.voice_note_save(consultation=consultation, question=_question("going_well"), recording=b"")
    assert refused.value.message_dict == {"voice_note": [recordings.NO_SOUND]}
    assert recordings.NO_SOUND.startswith("That voice note has no sound in it")


def test_the_service_refuses_a_voice_note_for_a_question_answered_by_choosing(amy):
    consultation, _token = amy
    with pytest.raises(Exception) as refused:
        services.voice_note_save(
            consultation=consultation, question=_question("feel_safe"), recording=recording_of("audio/ogg")
        )
    assert "answered by choosing" in str(refused.value)


def test_coming_back_a_new_voice_note_takes_the_old_ones_place_and_one_can_be_deleted(client, amy):
    consultation, token = amy
    question = _question("going_well")
    client.post(_page(token, question), {"value": "", "voice_note": _upload(recording_of("audio/ogg", 3000))})
    page = client.get(_page(token, question)).content.decode()
    assert "You sent a voice note for this question" in page
    assert "Delete the voice note I sent" in page
    client.post(
        _page(token, question), {"value": "", "voice_note": _upload(recording_of("audio/webm", 4000))}
    )
    note = VoiceNote.objects.get()
    assert (note.content_type, note.size) == ("audio/webm", 4000)
    client.post(_page(token, question), {"value": "Typed now", "voice_note_remove": "on"})
    assert not VoiceNote.objects.exists()
    assert Answer.objects.get(consultation=consultation, question=question).value == "Typed now"
    # The history says a voice note was given, replaced and taken back, with sizes, never the sound.
    history = VoiceNote.history.order_by("history_date")
    assert [(row.history_type, row.size) for row in history] == [("+", 3000), ("~", 4000), ("-", 4000)]
    assert "recording" not in {field.name for field in VoiceNote.history.model._meta.fields}


def test_a_stopped_link_keeps_nothing_sent_to_it(client, amy):
    consultation, token = amy
    services.consultation_revoke(consultation=consultation)
    response = client.post(
        _page(token, _question("going_well")), {"value": "", "voice_note": _upload(recording_of("audio/ogg"))}
    )
    assert response.status_code == 404
    assert not VoiceNote.objects.exists()


def test_not_safe_and_a_voice_note_saying_why_raises_the_notice(
    client, amy, django_capture_on_commit_callbacks
):
    _consultation, token = amy
    client.post(_page(token, _question("feel_safe")), {"value": "no"})
    assert not SafetyNotice.objects.exists()  # a tap alone never does
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _page(token, _question("feel_safe_more")),
            {"value": "", "voice_note": _upload(recording_of("audio/mp4"))},
        )
    # Helen (the IRO) and Kath (her team manager): one notice each.
    assert sorted(SafetyNotice.objects.values_list("staff__first_name", flat=True)) == ["Helen", "Kath"]


def test_a_voice_note_for_another_question_does_not_count_as_saying_why(client, amy):
    _consultation, token = amy
    client.post(_page(token, _question("feel_safe")), {"value": "no"})
    client.post(
        _page(token, _question("going_well")), {"value": "", "voice_note": _upload(recording_of("audio/mp4"))}
    )
    assert not SafetyNotice.objects.exists()


# --- the IRO's page and the sound ---------------------------------------------------------


@pytest.fixture
def said(amy):
    """Amy said what is going well for her in a voice note (a real WAV of 0.25 s: 4,044 bytes)."""
    consultation, _token = amy
    return services.voice_note_save(
        consultation=consultation, question=_question("going_well"), recording=tone_wav(0.25)
    )


def test_the_iro_sees_a_player_and_a_download_link_and_the_page_never_loads_the_sound(client, iro_user, said):
    client.force_login(iro_user)
    url = reverse("consultations:meeting", args=[said.answer.consultation.meeting_id])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    sound_url = reverse("consultations:voice-note", args=[said.pk])
    (player,) = page.xpath("//audio")
    assert player.get("src") == sound_url and player.get("controls") is not None
    assert player.get("aria-label") == "Voice note answering: What is going well for you?"
    link = page.xpath(f"//a[@href='{sound_url}']")[0]
    assert "Download the voice note" in link.text_content() and "(WAV, 3.9\xa0KB)" in link.text_content()
    assert not any('"recording"' in query["sql"] for query in queries.captured_queries)


def test_the_sound_is_played_to_the_iro_checked_and_logged(client, iro_user, said):
    client.force_login(iro_user)
    url = reverse("consultations:voice-note", args=[said.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == tone_wav(0.25)
    assert response["Content-Type"] == "audio/wav"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == f'inline; filename="voice-note-{said.pk}.wav"'
    logged = AccessLog.objects.get(user=iro_user)
    assert (logged.child_id, logged.what) == (
        said.answer.consultation.child_id,
        "A voice note in a consultation",
    )


def test_a_player_asking_for_pieces_gets_them_and_one_play_is_logged_once(client, iro_user, said):
    client.force_login(iro_user)
    url = reverse("consultations:voice-note", args=[said.pk])
    sound = tone_wav(0.25)
    first = client.get(url, headers={"Range": "bytes=0-99"})
    assert first.status_code == 206
    assert first["Content-Range"] == f"bytes 0-99/{len(sound)}" and first.content == sound[:100]
    rest = client.get(url, headers={"Range": "bytes=100-"})
    assert rest.status_code == 206 and rest.content == sound[100:]
    tail = client.get(url, headers={"Range": "bytes=-10"})
    assert tail.content == sound[-10:]
    assert client.get(url, headers={"Range": f"bytes={len(sound)}-"}).status_code == 416
    assert AccessLog.objects.filter(user=iro_user).count() == 1


def test_business_support_see_who_replied_but_cannot_hear_the_sound(client, support_user, said):
    client.force_login(support_user)
    assert client.get(reverse("consultations:voice-note", args=[said.pk])).status_code == 403
    page = client.get(reverse("consultations:meeting", args=[said.answer.consultation.meeting_id]))
    assert page.status_code == 200 and b"<audio" not in page.content


def test_a_restricted_childs_voice_note_is_not_found(client, make_user, manager_user, said):
    child = said.answer.consultation.child
    restriction = ChildRestriction.objects.create(child=child, reason="A relative of a member of staff")
    ChildRestrictionMember.objects.create(restriction=restriction, staff_member=StaffMemberFactory())
    client.force_login(manager_user)
    assert client.get(reverse("consultations:voice-note", args=[said.pk])).status_code == 404
    assert not AccessLog.objects.filter(user=manager_user).exists()


def test_signed_out_the_sound_is_not_reached(client, said):
    response = client.get(reverse("consultations:voice-note", args=[said.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_voice_note_goes_when_the_meeting_and_its_consultations_are_deleted(said):
    meeting = said.answer.consultation.meeting
    meeting.delete()
    assert not VoiceNote.objects.exists()
