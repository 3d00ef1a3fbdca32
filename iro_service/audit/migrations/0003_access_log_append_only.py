"""Make the access log append-only in the database itself: UPDATE and DELETE are refused
whoever asks. (TRUNCATE, which only an administrator or the test runner's flush uses, is not
covered.)"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION audit_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_accesslog_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;
DROP FUNCTION IF EXISTS audit_accesslog_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_role_groups")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
