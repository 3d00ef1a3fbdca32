"""URLs of the consultations app's staff pages."""

from django.urls import path

from consultations import views

app_name = "consultations"

urlpatterns = [
    path("meeting/<int:pk>/", views.meeting_consultations, name="meeting"),
    path("<int:pk>/revoke/", views.consultation_revoke, name="revoke"),
    path("answers/<int:pk>/to-review-record/", views.answer_to_record, name="answer-to-record"),
    path("questions/", views.question_sets, name="question-sets"),
    path("questions/<int:pk>/", views.question_edit, name="question-edit"),
]
