"""What each role may do with the reports app's pages and models: the dashboards, and the targets
and comparators managers set beside the figures."""

from iro_service.core.roles import Role

_READ_BENCHMARKS = ["reports.view_target", "reports.view_comparator"]
_SET_BENCHMARKS = [
    "reports.add_target",
    "reports.change_target",
    "reports.add_comparator",
    "reports.change_comparator",
    "reports.delete_comparator",
]
_PERFORMANCE = ["reports.view_performance_dashboard"]
_BACKLOG = ["reports.view_business_support_dashboard"]
_OWN_PAGE = ["reports.view_own_iro_page"]
# The records of the collection year that the DfE's rules would reject: business support put
# them right, managers and senior managers watch the return come together.
_RETURN_QUALITY = ["reports.view_return_quality"]
# The annual report: IRO managers write, generate and finalise it; senior managers read it and
# download its documents (it goes to the Corporate Parenting Board in their name too).
_ANNUAL_READ = [
    "reports.view_annualreport",
    "reports.view_annualreportversion",
    "reports.view_annualreportrun",
    "reports.view_annualreportdownload",
]
_ANNUAL_WRITE = ["reports.write_annual_report", "reports.finalise_annual_report"]

ROLE_PERMISSIONS = {
    Role.IRO: [*_OWN_PAGE],
    # Managers set the targets and comparators, chair as IROs do (so have their own page), watch
    # every dashboard (the backlog too: the seed's fortnightly monitoring is theirs as much as
    # business support's), and write, assemble and finalise the annual report.
    Role.IRO_MANAGER: [
        *_READ_BENCHMARKS,
        *_SET_BENCHMARKS,
        *_PERFORMANCE,
        *_BACKLOG,
        *_OWN_PAGE,
        *_ANNUAL_READ,
        *_ANNUAL_WRITE,
        *_RETURN_QUALITY,
    ],
    Role.BUSINESS_SUPPORT: [*_BACKLOG, *_RETURN_QUALITY],
    Role.SENIOR_MANAGER: [*_READ_BENCHMARKS, *_PERFORMANCE, *_ANNUAL_READ, *_RETURN_QUALITY],
    Role.API_CLIENT: [*_READ_BENCHMARKS],
}
