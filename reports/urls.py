"""URLs of the reports app's pages."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("returns/", views.returns, name="returns"),
    path("returns/import-ssda903/", views.returns_import_903, name="returns-import-903"),
    path("returns/import-cin-census/", views.returns_import_cin, name="returns-import-cin"),
    path("returns/export/", views.returns_export, name="returns-export"),
    path("returns/<int:pk>/", views.returns_detail, name="returns-detail"),
    path("qa-alerts/overview/", views.qa_overview, name="qa-overview"),
    path("returns/<int:pk>/problems.csv", views.returns_problems_csv, name="returns-problems-csv"),
]

# The annual report's pages (reports/annual/urls.py).
from reports.annual.urls import urlpatterns as annual_report_urls  # noqa: E402

urlpatterns += annual_report_urls
