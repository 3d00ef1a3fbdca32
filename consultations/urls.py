"""URLs of the consultations app's staff pages."""

from django.urls import path

from consultations import views

app_name = "consultations"

urlpatterns = [
    path("meeting/<int:pk>/", views.meeting_consultations, name="meeting"),
    # By the child's place at the conference: a consultation is about one child.
    path("conference-child/<int:pk>/", views.conference_consultations, name="conference"),
    path("<int:pk>/revoke/", views.consultation_revoke, name="revoke"),
    path("<int:pk>/reprint/", views.consultation_reprint, name="reprint"),
    path("answers/<int:pk>/to-review-record/", views.answer_to_record, name="answer-to-record"),
    path(
        "answers/<int:pk>/to-conference-record/",
        views.answer_to_conference_record,
        name="answer-to-conference-record",
    ),
    path("voice-notes/<int:pk>/", views.voice_note, name="voice-note"),
    path("voice-notes/<int:pk>/heard/", views.voice_note_heard, name="voice-note-heard"),
    path("safety-notices/", views.safety_notices, name="safety-notices"),
    path(
        "safety-notices/<int:pk>/acknowledge/",
        views.safety_notice_acknowledge,
        name="safety-notice-acknowledge",
    ),
    path("questions/", views.question_sets, name="question-sets"),
    path("questions/<int:pk>/", views.question_edit, name="question-edit"),
]
