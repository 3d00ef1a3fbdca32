"""URLs of the conferences app's pages."""

from django.urls import path

from conferences import views

app_name = "conferences"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.my_conferences, name="mine"),
    path("families/", views.family_list, name="family-list"),
    path("families/<int:pk>/", views.family_detail, name="family-detail"),
    path("child/<int:pk>/", views.child_record, name="child-record"),
    path("families/<int:family_pk>/book/", views.conference_book, name="conference-book"),
    path(
        "families/<int:family_pk>/strategy-discussion/",
        views.strategy_discussion_add,
        name="strategy-discussion-add",
    ),
    path("enquiries/<int:pk>/assessment/", views.enquiry_assessment, name="enquiry-assessment"),
    path("<int:pk>/", views.conference_detail, name="conference-detail"),
    path("<int:pk>/record/", views.conference_record, name="conference-record"),
    path("<int:pk>/stand-down/", views.conference_stand_down, name="conference-stand-down"),
    path("<int:pk>/reports/", views.conference_reports, name="conference-reports"),
    path("<int:pk>/record-distribution/", views.conference_distribute, name="conference-distribute"),
    path("<int:pk>/appeals/add/", views.appeal_add, name="appeal-add"),
    path("to-book/", views.conferences_to_book, name="to-book"),
    path("reports-outstanding/", views.reports_outstanding, name="reports-outstanding"),
    path("records-to-distribute/", views.records_to_distribute, name="records-to-distribute"),
    path("plans/structured-review/", views.structured_reviews, name="structured-reviews"),
    path("appeals/", views.appeal_list, name="appeal-list"),
    path("appeals/<int:pk>/", views.appeal_update, name="appeal-update"),
]
