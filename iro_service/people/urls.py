from django.urls import path

from iro_service.people import views

app_name = "people"

urlpatterns = [
    path("", views.child_list, name="child-list"),
    path("<int:pk>/", views.child_detail, name="child-detail"),
    path("<int:pk>/history/", views.child_history, name="child-history"),
    path("<int:pk>/change-iro/", views.child_reallocate, name="child-reallocate"),
]
