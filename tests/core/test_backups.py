"""``make backup`` and ``make restore``: a dump of the demo county restored into an empty
database gives every figure, and every table's row count, that the county gave before.

The figures are computed by ``manage.py figures`` in a process of its own pointed at each
database in turn, so nothing of the test's own connection (its transaction, its caches) can make
the two agree when the databases do not."""

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from iro_service.core.backups import BackupError, database_backup, database_connection, database_restore
from tests.support import demo_county

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)

# Every figure of the registry for two collection years, and the row count of every table.
REPORT = """
import json, sys, django
django.setup()
from django.core.management import call_command
from django.db import connection
from io import StringIO
connection.settings_dict["NAME"] = sys.argv[1]
report = {}
for start, end in (("2015-04-01", "2016-03-31"), ("2016-04-01", "2017-03-31")):
    out = StringIO()
    call_command("figures", "--start", start, "--end", end, stdout=out)
    report[start] = json.loads(out.getvalue())["figures"]
with connection.cursor() as cursor:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    tables = [row[0] for row in cursor.fetchall()]
    report["rows"] = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        report["rows"][table] = cursor.fetchone()[0]
print(json.dumps(report, sort_keys=True))
"""


def _report(database: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", REPORT, database],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "iro_service.settings.test"},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def empty_database(demo_database_copy):
    name = f"{demo_database_copy.name}_restored"
    demo_county.drop(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)} TEMPLATE template0")
    yield name
    demo_county.drop(name)


def test_a_restored_dump_gives_every_figure_unchanged(demo_database, empty_database, tmp_path):
    """GIVEN the demo county (every app's records, their history and the access log)
    WHEN it is dumped with `manage.py backup` and restored into an empty database with
    `manage.py restore`
    THEN every figure of both years, and the number of rows in every table, are the same in the
    restored database as in the original."""
    source = database_connection()
    dump = tmp_path / "county.dump"
    database_backup(path=dump, connection=replace(source, name=demo_database.name))
    assert dump.stat().st_size > 100_000
    # Readable by its owner only: a dump is as sensitive as the database.
    assert dump.stat().st_mode & 0o777 == 0o600

    call_command("restore", str(dump), "--database", empty_database, "--no-input")

    before, after = _report(demo_database.name), _report(empty_database)
    # The county is really there: thousands of reviews and conferences, not two empty databases.
    assert before["rows"]["reviews_lacreview"] > 1000
    assert before["rows"]["conferences_conference"] > 1000
    assert after == before


def test_a_dump_that_is_not_there_restores_nothing_and_says_so(demo_database, tmp_path):
    with pytest.raises(CommandError, match="Nothing was restored: There is no backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), "--no-input")


def test_a_file_that_is_not_a_dump_is_refused_with_pg_restores_reason(
    demo_database, tmp_path, empty_database
):
    bad = tmp_path / "not-a-dump.dump"
    bad.write_text("this is not a PostgreSQL dump")
    with pytest.raises(BackupError, match="input file does not appear to be a valid archive"):
        database_restore(path=bad, database=empty_database)


def test_restore_asks_for_the_database_name_before_replacing_it(demo_database, tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "not-the-name")
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(tmp_path / "any.dump"))
