"""What each role may do with the access log and the statutory returns' history."""

from iro_service.core.roles import Role

# Importing writes children's care histories in bulk and exporting discloses every child in the
# year: managers only.
_STATUTORY_RETURNS = ["audit.view_dataexchange", "audit.import_returns", "audit.export_returns"]

ROLE_PERMISSIONS = {
    # A subject access export discloses everything held about a child, HSB records included:
    # the IRO manager who answers the request for the service. Senior managers read the log.
    Role.IRO_MANAGER: ["audit.view_accesslog", "audit.export_subject_access", *_STATUTORY_RETURNS],
    Role.SENIOR_MANAGER: ["audit.view_accesslog", "audit.view_dataexchange"],
}
