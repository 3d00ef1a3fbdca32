"""URLs of the reports app's pages."""

from django.urls import path

from reports import views
from reports.dashboards import views as dashboards

app_name = "reports"

urlpatterns = [
    path("returns/", views.returns, name="returns"),
    path("returns/import-ssda903/", views.returns_import_903, name="returns-import-903"),
    path("returns/import-cin-census/", views.returns_import_cin, name="returns-import-cin"),
    path("returns/export/", views.returns_export, name="returns-export"),
    path("returns/<int:pk>/", views.returns_detail, name="returns-detail"),
    path("qa-alerts/overview/", views.qa_overview, name="qa-overview"),
    path("returns/<int:pk>/problems.csv", views.returns_problems_csv, name="returns-problems-csv"),
    path("dashboards/performance/", dashboards.dashboard, name="dashboard"),
    path("dashboards/performance/<str:key>/", dashboards.figure_detail, name="dashboard-figure"),
    path(
        "dashboards/performance/<str:key>/records/", dashboards.figure_records_page, name="dashboard-records"
    ),
    path("dashboards/caseloads/", dashboards.caseloads, name="caseloads"),
    path("dashboards/business-support/", dashboards.business_support, name="business-support"),
    path("dashboards/my-page/", dashboards.my_page, name="my-page"),
    path("targets/", dashboards.target_list, name="targets"),
    path("targets/set/", dashboards.target_set, name="target-set"),
    path("comparators/", dashboards.comparator_list, name="comparators"),
    path("comparators/upload/", dashboards.comparator_upload, name="comparator-upload"),
    path("comparators/<int:pk>/delete/", dashboards.comparator_delete, name="comparator-delete"),
    path("returns/<int:pk>/dfe-rules.csv", views.returns_dfe_csv, name="returns-dfe-csv"),
    path("return-quality/", views.return_quality, name="return-quality"),
    path("return-quality/download.csv", views.return_quality_csv, name="return-quality-csv"),
]

# The annual report's pages (reports/annual/urls.py).
from reports.annual.urls import urlpatterns as annual_report_urls  # noqa: E402

urlpatterns += annual_report_urls
