"""When the records behind the figures last changed, for the figures cache.

A trigger on every table of the apps the figures read adds one to its transaction's row of
``FiguresChange`` for each statement that changes the table, in that transaction: the row is
committed with the change, or not at all. The figures' state is ``(sum of the weights, newest
transaction)`` among the rows the reader sees: any later commit, or any later statement of the
reader's own transaction, adds to the total, so a state never comes back; and a transaction
rolled back leaves a newest transaction that no later one has. A document computed after
reading the state holds at least the changes counted in it, so it is kept under that state and
served while the state is the same. Each transaction writes its own row alone, so writers
never wait on each other for it, as they would on one counter row that every writer updated."""

from __future__ import annotations

from django.apps import apps
from django.db import connections, transaction

# The apps whose records the figures count. Their history tables change with the records,
# and the access log, sign-ins and sessions (written on every page) are outside them.
WATCHED_APPS = ("people", "reviews", "conferences", "hsb", "qa_alerts", "consultations", "timescales")
TRIGGER = "figures_changed"

# The SQL names FiguresChange's table as it is (a test checks it still is).
_FUNCTION = """
CREATE OR REPLACE FUNCTION reports_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reports_figureschange (xid, weight)
    VALUES (pg_current_xact_id()::text::bigint, 1)
    ON CONFLICT (xid) DO UPDATE SET weight = reports_figureschange.weight + 1;
    RETURN NULL;
END
$$
"""


def watched_tables() -> list[str]:
    """The tables of the watched apps, without their history tables."""
    tables = []
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            meta = model._meta
            if meta.managed and not meta.proxy and not meta.model_name.startswith("historical"):
                tables.append(meta.db_table)
    return sorted(set(tables))


def figures_change_triggers_install(using: str = "default", **_kwargs) -> None:
    """post_migrate: the trigger on every watched table (a table added by a later migration
    gets it on the next migrate)."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(_FUNCTION)
        for table in watched_tables():
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION reports_figures_changed()'
            )


def figures_state(using: str) -> tuple[int, int]:
    """``(changes counted, newest transaction)`` as the database ``using`` sees them now."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(weight), 0), coalesce(max(xid), 0) FROM reports_figureschange")
        total, newest = cursor.fetchone()
    return int(total), int(newest)
