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

ROLE_PERMISSIONS = {
    Role.IRO: [*_OWN_PAGE],
    # Managers set the targets and comparators and watch every dashboard (the backlog too: the
    # seed's fortnightly monitoring is theirs as much as business support's).
    Role.IRO_MANAGER: [*_READ_BENCHMARKS, *_SET_BENCHMARKS, *_PERFORMANCE, *_BACKLOG],
    Role.BUSINESS_SUPPORT: [*_BACKLOG],
    Role.SENIOR_MANAGER: [*_READ_BENCHMARKS, *_PERFORMANCE],
    Role.API_CLIENT: [*_READ_BENCHMARKS],
}
