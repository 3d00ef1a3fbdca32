"""The public answering pages: the only pages of the service open without signing in, reached
only through a consultation link."""

from django.urls import path

from consultations import public_views

app_name = "your_views"

urlpatterns = [
    path("<str:token>/", public_views.answer, name="answer"),
]
