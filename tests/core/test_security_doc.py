"""docs/security.md names the test that proves each control. A name that no longer exists (a
test renamed or removed) would leave a control unproven while the document still claims it, so
every test file and test function the document names must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"

# `tests/x/test_y.py` or `tests/x/test_y.py::test_z` (a parametrised id after the name, in
# brackets, is left out); `::test_z` alone continues the file named before it in the same cell.
NAMED = re.compile(r"`(tests/[\w/]+\.py)?(?:::(\w+))?(?:\[[^\]`]*\])?`")


def _named_tests(text: str) -> list[tuple[str, str | None]]:
    named, last_file = [], None
    for line in text.splitlines():
        for file, test in NAMED.findall(line):
            if not file and not test:
                continue
            file = file or last_file
            last_file = file
            named.append((file, test or None))
    return named


def _functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def test_every_test_the_security_document_names_exists():
    named = _named_tests(DOC.read_text())
    # The document names well over a hundred tests: a pattern that matched none would prove nothing.
    assert len(named) > 100
    missing = []
    for file, test in named:
        path = ROOT / file
        if not path.exists():
            missing.append(file)
        elif test and test not in _functions(path):
            missing.append(f"{file}::{test}")
    assert missing == []
