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
    path("child/<int:pk>/start-care/", views.period_of_care_start, name="period-start"),
    path("child/<int:pk>/permanence-plan/", views.permanence_plan_record, name="permanence-plan-record"),
    path("child/<int:pk>/childrens-guardian/", views.guardian_record, name="guardian-record"),
    path("child/<int:pk>/legal-advice/", views.legal_advice_referral_record, name="legal-advice-record"),
    path("review/<int:pk>/", views.review_edit, name="review-edit"),
    path("period/<int:pk>/change/", views.episode_change, name="episode-change"),
    path("period/<int:pk>/left-care/", views.period_of_care_end, name="period-end"),
    path("childrens-guardian/<int:pk>/", views.guardian_update, name="guardian-update"),
    path("legal-advice/<int:pk>/", views.legal_advice_referral_update, name="legal-advice-update"),
    path("period/<int:pk>/book/", views.meeting_book, name="meeting-book"),
    path("meeting/<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
]
