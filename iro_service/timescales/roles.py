"""What each role may do with the timescale settings and extra non-working days."""

from iro_service.core.roles import Role

_READ = ["timescales.view_timescalesettings", "timescales.view_nonworkingday"]

ROLE_PERMISSIONS = {
    Role.IRO: _READ,
    # Only managers change the local timescales (every due date moves with them).
    Role.IRO_MANAGER: [
        *_READ,
        "timescales.change_timescalesettings",
        "timescales.add_nonworkingday",
        "timescales.delete_nonworkingday",
    ],
    Role.BUSINESS_SUPPORT: _READ,
    Role.SENIOR_MANAGER: _READ,
}
