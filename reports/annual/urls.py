"""URLs of the annual report's pages, included in the reports app's."""

from django.urls import path

from reports.annual import views

urlpatterns = [
    path("annual-report/", views.annual_list, name="annual-list"),
    path("annual-report/start/", views.annual_start, name="annual-start"),
    path("annual-report/versions/<int:pk>/", views.annual_version, name="annual-version"),
    path(
        "annual-report/versions/<int:pk>/recommendations/",
        views.annual_recommendations,
        name="annual-recommendations",
    ),
    path("annual-report/versions/<int:pk>/generate/", views.annual_generate, name="annual-generate"),
    path("annual-report/versions/<int:pk>/finalise/", views.annual_finalise, name="annual-finalise"),
    path("annual-report/versions/<int:pk>/new-version/", views.annual_new_version, name="annual-new-version"),
    path("annual-report/sections/<int:pk>/", views.annual_text, name="annual-text"),
    path(
        "annual-report/recommendations/<int:pk>/", views.annual_recommendation, name="annual-recommendation"
    ),
    path("annual-report/progress/<int:pk>/", views.annual_progress, name="annual-progress"),
    path("annual-report/runs/<int:pk>/", views.annual_run, name="annual-run"),
    path("annual-report/runs/<int:pk>/status.json", views.annual_run_status, name="annual-run-status"),
    path("annual-report/runs/<int:pk>/report.html", views.annual_download_html, name="annual-download-html"),
    path("annual-report/runs/<int:pk>/report.docx", views.annual_download_docx, name="annual-download-docx"),
    path("annual-report/runs/<int:pk>/report.pdf", views.annual_download_pdf, name="annual-download-pdf"),
]
