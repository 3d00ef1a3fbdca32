"""What each role may do with children, families, staff and IRO allocations."""

from iro_service.core.roles import Role

_READ = [
    "people.view_child",
    "people.view_family",
    "people.view_familymembership",
    "people.view_team",
    "people.view_staffmember",
    "people.view_iroallocation",
]
# Business support and managers keep children's and families' details.
_KEEP_CHILDREN = [
    "people.add_child",
    "people.change_child",
    "people.add_family",
    "people.change_family",
    "people.add_familymembership",
]

ROLE_PERMISSIONS = {
    Role.IRO: [*_READ, "people.change_child"],
    # Managers also allocate IROs and keep the staff list.
    Role.IRO_MANAGER: [
        *_READ,
        *_KEEP_CHILDREN,
        "people.add_iroallocation",
        "people.add_staffmember",
        "people.change_staffmember",
        # Restricting a child's record to named staff, and changing any child's reviews and
        # conferences (not only those they chair or are the child's IRO for).
        "people.restrict_child",
        "people.change_any_childs_records",
    ],
    Role.BUSINESS_SUPPORT: [*_READ, *_KEEP_CHILDREN, "people.change_any_childs_records"],
    Role.SENIOR_MANAGER: _READ,
    Role.API_CLIENT: _READ,
}
