"""Every CSV file the service writes is safe to open in a spreadsheet: a cell that would start a
formula (=, +, -, @, tab, carriage return) is written with a single quote in front."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from iro_service.audit.models import DataExchange, ExchangeFormat, ExchangeOutcome
from iro_service.core.imports import csv_cell, write_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+44 1234", "'+44 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("AB1 2CD", "AB1 2CD"),
        ("a=1", "a=1"),
        ("", ""),
        (None, ""),
        (7, "7"),
    ],
)
def test_a_cell_that_would_start_a_formula_is_quoted(value, written):
    assert csv_cell(value) == written


def test_write_csv_neutralises_free_text(tmp_path):
    path = tmp_path / "out.csv"
    write_csv(path, ["CHILD", "NOTE"], [["A1", '=HYPERLINK("https://evil.example","x")']])
    with path.open(newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["CHILD", "NOTE"],
            ["A1", '\'=HYPERLINK("https://evil.example","x")'],
        ]


@pytest.mark.django_db
def test_the_problems_download_neutralises_an_uploaded_file_name(client, manager_user):
    """GIVEN a rejected import whose problem names a file called '=cmd|calc.csv' (the name comes
    from the person's computer) WHEN its problems are downloaded THEN the cell starts with a quote."""
    run = DataExchange.objects.create(
        data_format=ExchangeFormat.SSDA903,
        direction="import",
        outcome=ExchangeOutcome.REJECTED,
        problem_count=1,
        problems=[{"file": "=cmd|calc.csv", "where": "row 2", "field": "@CHILD", "message": "-bad"}],
        run_by="manager-persona",
        files="=cmd|calc.csv",
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    client.force_login(manager_user)
    download = client.get(reverse("reports:returns-problems-csv", args=[run.pk]))
    assert download.content.decode("utf-8-sig").splitlines()[1] == "'=cmd|calc.csv,row 2,'@CHILD,'-bad"


def test_no_csv_file_is_written_without_the_helper():
    """csv.writer and csv.DictWriter appear only inside the helper: any new CSV writer must use
    SafeCsvWriter or write_csv (iro_service/core/imports.py)."""
    helper = ROOT / "iro_service" / "core" / "imports.py"
    offenders = []
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", ".venv-dfe", ".venv-load", "var", "node_modules", "tests"} or path == helper:
            continue
        if re.search(
            r"csv\s*\.\s*(writer|DictWriter)\b|from\s+csv\s+import", path.read_text(encoding="utf-8")
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
