from django.urls import path

from iro_service.people import views

app_name = "people"

urlpatterns = [
    path("", views.child_list, name="child-list"),
    path("<int:pk>/", views.child_detail, name="child-detail"),
    path("<int:pk>/history/", views.child_history, name="child-history"),
    path("<int:pk>/change-iro/", views.child_reallocate, name="child-reallocate"),
    path("restricted/", views.restricted_children, name="restricted-children"),
    path("<int:pk>/restriction/", views.child_restriction, name="child-restriction"),
    path("<int:pk>/restriction/lift/", views.child_restriction_lift, name="child-restriction-lift"),
]
