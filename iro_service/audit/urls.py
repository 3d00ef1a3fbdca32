from django.urls import path

from iro_service.audit import views

app_name = "audit"

urlpatterns = [path("", views.access_log, name="access-log")]
