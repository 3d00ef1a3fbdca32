"""URLs of the qa_alerts app's pages."""

from django.urls import path

from qa_alerts import views

app_name = "qa_alerts"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.my_alerts, name="mine"),
    path("mine/notices-read/", views.notices_read, name="notices-read"),
    path("board/", views.board, name="board"),
    path("board/download/", views.board_csv, name="board-csv"),
    path("raise/child/<int:pk>/", views.raise_for_child, name="raise-for-child"),
    path("raise/review/<int:pk>/", views.raise_for_review, name="raise-for-review"),
    path("raise/conference/<int:pk>/", views.raise_for_conference, name="raise-for-conference"),
    path("<int:pk>/", views.alert_detail, name="alert-detail"),
    path("<int:pk>/response/", views.response_record, name="response-record"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/addressee/", views.address, name="address"),
    path("<int:pk>/refer/", views.refer, name="refer"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("responses/<int:pk>/", views.response_judge, name="response-judge"),
    path("categories/", views.categories, name="categories"),
    path("categories/<int:pk>/", views.category_edit, name="category-edit"),
    path("themes/", views.themes, name="themes"),
    path("themes/<int:pk>/", views.theme_edit, name="theme-edit"),
    path("stages/", views.stages, name="stages"),
    path("challenge-meetings/", views.challenge_list, name="challenge-list"),
    path("challenge-meetings/add/", views.challenge_add, name="challenge-add"),
    path("challenge-meetings/<int:pk>/", views.challenge_detail, name="challenge-detail"),
    path("challenge-meetings/<int:pk>/change/", views.challenge_edit, name="challenge-edit"),
    path("challenge-meetings/<int:pk>/actions/add/", views.challenge_action_add, name="challenge-action-add"),
    path(
        "challenge-actions/<int:pk>/complete/",
        views.challenge_action_complete,
        name="challenge-action-complete",
    ),
    # For the addressee, without an account: the token is signed, single-use and expires.
    path("respond/<str:token>/", views.respond, name="respond"),
]
