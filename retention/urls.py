from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("due/", views.records_due, name="due"),
    path("due/<int:pk>/", views.child_dispose, name="dispose"),
    path("register/", views.disposal_register, name="register"),
]
