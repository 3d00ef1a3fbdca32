"""Refuse TRUNCATE of the access log too. Row triggers (0003) do not fire for TRUNCATE, so
without this the table owner could still empty the log in one statement.

A trigger binds the owner only while it is enabled, and the owner may disable it: that is why
the web server and workers connect as a role that does not own the tables (the
``grant_application_role`` command). The test suite's flush between transactional tests skips
the trigger with ``session_replication_role = replica``, which only a superuser may set."""

from django.db import migrations

FORWARD = """
CREATE TRIGGER audit_accesslog_refuse_truncate
    BEFORE TRUNCATE ON audit_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accesslog_refuse_change();
"""

REVERSE = "DROP TRIGGER IF EXISTS audit_accesslog_refuse_truncate ON audit_accesslog;"


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_import_running")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
