"""What each role may do with the retention schedule: IRO managers only. Disposal erases a
child's whole record for ever, and the register says who authorised each one."""

from iro_service.core.roles import Role

ROLE_PERMISSIONS = {
    Role.IRO_MANAGER: [
        "retention.view_disposalrecord",
        "retention.view_records_due",
        "retention.dispose_child_record",
    ],
}
