"""URLs of the hsb app's pages."""

from django.urls import path

from hsb import views

app_name = "hsb"

urlpatterns = [
    path("", views.index, name="index"),
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/add/", views.referral_add, name="referral-add"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/decision/", views.referral_decide, name="referral-decide"),
    path("referrals/<int:pk>/meetings/add/", views.meeting_record, name="meeting-record"),
    path("referrals/<int:pk>/assessments/add/", views.assessment_add, name="assessment-add"),
    path("meetings/<int:pk>/record/", views.meeting_record_dates, name="meeting-record-dates"),
    path("children/<int:child_pk>/", views.child_referrals, name="child-referrals"),
    path("training/", views.training_register, name="training-register"),
    path("training/add/", views.training_add, name="training-add"),
    path("training/planned/add/", views.planned_course_add, name="planned-course-add"),
]
