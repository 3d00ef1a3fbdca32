"""The database role the web server and workers connect as.

The access log's triggers (migrations 0003 and 0009) refuse UPDATE, DELETE and TRUNCATE, but a
trigger binds the table's owner only while it is enabled, and the owner may disable it, alter
the table or drop it. So the migrations run as the owner, and everything else connects as an
*application role* that owns nothing: it may read and write the other tables, but may only read
and add to the access log. PostgreSQL then refuses the rest whatever the application asks.
"""

from __future__ import annotations

import re

from django.db import connection

# A plain lower-case identifier: it is written into SQL, so nothing that would need escaping.
_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

ACCESS_LOG_TABLE = "audit_accesslog"
ACCESS_LOG_FUNCTIONS = ("audit_accesslog_prune(timestamptz)", "audit_accesslog_erase_child(bigint)")


class ApplicationRoleError(Exception):
    """The role asked for cannot safely be the application role."""


def application_role_grant(*, role: str, password: str | None = None) -> None:
    """Create ``role`` if it does not exist and give it exactly the application's privileges
    on the current database and schema. Run as the tables' owner, after ``migrate``; running
    it again changes nothing (and covers tables added since).

    Default privileges make tables and sequences that later migrations create (as this same
    owner) usable by the role at once, so the grants never lag behind a deployment."""
    if not _ROLE_NAME.fullmatch(role):
        raise ApplicationRoleError(
            f"The role name {role!r} must be lower-case letters, digits and underscores, "
            "starting with a letter or underscore."
        )
    quote = connection.ops.quote_name
    name = quote(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database(), current_schema()")
        owner, database, schema = cursor.fetchone()
        if role == owner:
            raise ApplicationRoleError(
                f"{role!r} is the role running the migrations, which owns the tables; "
                "the application role must be another role."
            )
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {name} LOGIN")
        elif _is_member_of(cursor, role, owner):
            raise ApplicationRoleError(
                f"{role!r} is a member of {owner!r}, so it would act as the tables' owner; "
                f"revoke that membership (REVOKE {owner} FROM {role}) first."
            )
        # Whatever the role was given before, it must not be able to step round the grants.
        cursor.execute(f"ALTER ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS")
        if password:
            cursor.execute(f"ALTER ROLE {name} PASSWORD %s", [password])
        schema_name = quote(schema)
        statements = [
            f"GRANT CONNECT ON DATABASE {quote(database)} TO {name}",
            f"GRANT USAGE ON SCHEMA {schema_name} TO {name}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_name} TO {name}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_name} TO {name}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_name} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_name} GRANT USAGE, SELECT ON SEQUENCES TO {name}",
            # The access log: read and add, nothing else.
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(ACCESS_LOG_TABLE)} FROM {name}",
            # ... except through the retention schedule's two functions (migration 0013), which
            # remove only rows past their period or of a child whose record has been erased.
            *(f"GRANT EXECUTE ON FUNCTION {function} TO {name}" for function in ACCESS_LOG_FUNCTIONS),
        ]
        for statement in statements:
            cursor.execute(statement)


def _is_member_of(cursor, role: str, owner: str) -> bool:
    cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])
    return cursor.fetchone()[0]
