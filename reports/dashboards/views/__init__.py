"""The dashboards' pages: thin views over ``reports.dashboards.selectors``, the figures service and
the targets' services. Every table on a page downloads as CSV or Excel from the page's own URL
(``?download=csv&table=<name>``), through the same permission check as the page; a download of
children's data is written to the access log, as the page's rows are.

One module per page or pair of pages, so that none has to be scrolled through; ``shared`` holds
the filters read from the URL and the downloads every page uses."""

from reports.dashboards.views.business_support import business_support
from reports.dashboards.views.caseloads import caseloads
from reports.dashboards.views.my_page import my_page
from reports.dashboards.views.performance import dashboard, figure_detail, figure_records_page
from reports.dashboards.views.targets import (
    comparator_delete,
    comparator_list,
    comparator_upload,
    target_list,
    target_set,
)

__all__ = [
    "business_support",
    "caseloads",
    "comparator_delete",
    "comparator_list",
    "comparator_upload",
    "dashboard",
    "figure_detail",
    "figure_records_page",
    "my_page",
    "target_list",
    "target_set",
]
