"""Let the retention schedule remove access-log rows, and nothing else.

The log stays append-only for everyone: the triggers of 0003 and 0009 still refuse UPDATE and
TRUNCATE, and refuse DELETE unless the transaction has switched on ``iro.access_log_retention``.
Only two functions do that, and they run as the tables' owner (SECURITY DEFINER), so the
application role, which has no DELETE privilege on the log, can remove rows only through them:

- ``audit_accesslog_prune(before)`` removes the rows older than ``before``, and refuses a
  cut-off less than a year ago, whatever the application asks (RETENTION_ACCESS_LOG_YEARS is at
  least 1);
- ``audit_accesslog_erase_child(child)`` removes one child's rows, and only once the child's
  own row is gone: the disposal of a child's whole record, in the same transaction.

EXECUTE is revoked from PUBLIC; ``grant_application_role`` grants it to the application role."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('iro.access_log_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION audit_accesslog_prune(before timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    removed bigint;
BEGIN
    IF before > now() - interval '1 year' THEN
        RAISE EXCEPTION 'The access log is kept for at least a year: % is too recent', before
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('iro.access_log_retention', 'on', true);
    DELETE FROM audit_accesslog WHERE viewed_at < before;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('iro.access_log_retention', 'off', true);
    RETURN removed;
END;
$$;

CREATE FUNCTION audit_accesslog_erase_child(erased_child bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    removed bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM people_child WHERE id = erased_child) THEN
        RAISE EXCEPTION 'Only the access log of a child whose record has been erased may go'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('iro.access_log_retention', 'on', true);
    DELETE FROM audit_accesslog WHERE child_id = erased_child;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('iro.access_log_retention', 'off', true);
    RETURN removed;
END;
$$;

REVOKE ALL ON FUNCTION audit_accesslog_prune(timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_accesslog_erase_child(bigint) FROM PUBLIC;
"""

REVERSE = """
DROP FUNCTION IF EXISTS audit_accesslog_erase_child(bigint);
DROP FUNCTION IF EXISTS audit_accesslog_prune(timestamptz);
CREATE OR REPLACE FUNCTION audit_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0012_dfe_rules"), ("people", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
