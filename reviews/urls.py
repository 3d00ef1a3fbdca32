"""URLs of the reviews app's pages."""

from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("children/", views.children_in_care, name="children-in-care"),
    path("to-book/", views.reviews_to_book, name="to-book"),
    path("records/", views.records_to_distribute, name="records-to-distribute"),
    path("child/<int:pk>/", views.care_record, name="care-record"),
    path("child/<int:pk>/record-review/", views.review_record, name="review-record"),
    path("child/<int:pk>/record-contact/", views.contact_record, name="contact-record"),
    path("review/<int:pk>/", views.review_edit, name="review-edit"),
    path("period/<int:pk>/book/", views.meeting_book, name="meeting-book"),
    path("meeting/<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
]
