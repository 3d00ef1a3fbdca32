from django.urls import path

from iro_service.timescales import views

app_name = "timescales"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("non-working-days/", views.non_working_days, name="non-working-days"),
    path("non-working-days/<int:pk>/delete/", views.non_working_day_delete, name="non-working-day-delete"),
]
