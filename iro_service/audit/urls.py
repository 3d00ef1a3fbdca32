from django.urls import path

from iro_service.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.access_log, name="access-log"),
    path("unusual/", views.unusual_access, name="unusual-access"),
    path("children/<int:pk>/", views.child_access, name="child-access"),
    path("children/<int:pk>/subject-access/", views.subject_access, name="subject-access"),
    path("staff/<int:pk>/", views.staff_access, name="staff-access"),
]
