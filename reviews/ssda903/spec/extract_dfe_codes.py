"""Write ``dfe_rules_codes_<year>.yml``: the SSDA903 code lists of the collection years after
2023-24, as the DfE's own validation rules (the csc-validator-be-903 package) accept them.

Run it with the Python of the DfE validators' environment (it needs their package and pandas,
neither of which the product has), from the project's root::

    .venv-dfe/bin/python reviews/ssda903/spec/extract_dfe_codes.py

Nothing else is imported: the product reads the files this writes, never the package.
``tests/reviews/test_code_lists.py`` runs it again and checks the files are what it writes.

How a list is read: for each list, the rule that refuses a code "not a valid code" (146 for
the placement type, and so on: ``RULES``) is taken from the year's ruleset (which holds the
rules of earlier years it did not change). Every string written in that rule's source is a
candidate; the rule itself is then run on one row per candidate, and a code is valid if the
rule does not flag its row. So the list is what the rule accepts, not what a pattern matched.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import sys
from importlib.metadata import version
from pathlib import Path

import pandas as pd

PACKAGE = "csc-validator-be-903"
OUT_DIR = Path(__file__).resolve().parent
# The product's published specifications end with 2023-24; the rulesets take over after it.
FIRST_YEAR = 2025
# A code no rule could accept: the rule must flag it, or it is not checking the column.
NOT_A_CODE = "NOT-A-CODE"

# The product's list name: (rule code, table, column, other columns the row needs so that only
# the column checked decides). Rule 178 allows no provider for a temporary or "other"
# placement, so its rows are a foster placement (U1); rule 167 checks the participation code
# of a review that took place.
RULES = {
    "RNE": ("143", "Episodes", "RNE", {}),
    "LS": ("144", "Episodes", "LS", {}),
    "CIN": ("145", "Episodes", "CIN", {}),
    "PLACE": ("146", "Episodes", "PLACE", {}),
    "PLACE_PROVIDER": ("178", "Episodes", "PLACE_PROVIDER", {"PLACE": "U1"}),
    "REC": ("149", "Episodes", "REC", {}),
    "REASON_PLACE_CHANGE": ("1009", "Episodes", "REASON_PLACE_CHANGE", {}),
    "REVIEW_CODE": ("167", "Reviews", "REVIEW_CODE", {"REVIEW": "01/10/2024"}),
}


def ruleset_years() -> list[int]:
    """The collection years (ending 31 March) the installed package has a ruleset for."""
    # lac_validator.rules is a namespace package (no __init__.py): its folders are its __path__.
    folders = importlib.import_module("lac_validator.rules").__path__
    return sorted(
        {
            int(path.name[3:7]) + 1
            for folder in folders
            for path in Path(folder).glob("lac20??_??")
            if path.is_dir()
        }
    )


def ruleset_name(year: int) -> str:
    return f"lac{year - 1}_{year % 100:02d}"


def _candidates(func) -> list[str]:
    """Every string written in the rule's function, in its order, once."""
    seen: dict[str, None] = {}
    for node in ast.walk(ast.parse(inspect.getsource(func))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            seen.setdefault(node.value, None)
    return list(seen)


def accepted_codes(rule, table: str, column: str, context: dict[str, str]) -> list[str]:
    """The codes ``rule`` accepts in ``column``, in the order its source lists them."""
    candidates = [*_candidates(rule.func), NOT_A_CODE]
    frame = pd.DataFrame({column: candidates, **{name: value for name, value in context.items()}})
    flagged = set(rule.func({table: frame}).get(table, []))
    if candidates.index(NOT_A_CODE) not in flagged:
        raise SystemExit(f"Rule {rule.code} did not refuse {NOT_A_CODE}: is it the list of {column}?")
    return [code for row, code in enumerate(candidates) if row not in flagged]


def year_lists(year: int) -> tuple[dict, list[str]]:
    """{list: {rule, ruleset, message, codes}} for ``year``, and notes on what was corrected."""
    registry = importlib.import_module(f"lac_validator.rules.{ruleset_name(year)}").registry
    lists, notes = {}, []
    for list_name, (code, table, column, context) in RULES.items():
        rule = registry[code]
        if column not in (rule.affected_fields or []):
            raise SystemExit(f"Rule {code} of {ruleset_name(year)} no longer checks {column}.")
        codes = []
        for accepted in accepted_codes(rule, table, column, context):
            if accepted != accepted.upper():
                notes.append(
                    f"Rule {code} lists '{accepted}' in lower case, which no return would hold "
                    f"(codes are upper case): taken as {accepted.upper()}."
                )
            codes.append(accepted.upper())
        lists[list_name] = {
            "rule": code,
            "ruleset": rule.func.__module__.split(".")[2],
            "message": " ".join((rule.message or "").split()),
            "codes": codes,
        }
    return lists, notes


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def year_file(year: int) -> str:
    """The text of ``dfe_rules_codes_<year>.yml`` (plain YAML, written by hand so that this
    script needs nothing beyond the validators' own environment)."""
    lists, notes = year_lists(year)
    lines = [
        f"# Generated by extract_dfe_codes.py from {PACKAGE} {version(PACKAGE)}: do not edit.",
        f"# The SSDA903 code lists the DfE's rules accept in {year - 1}-{year % 100:02d}.",
        f"package: {_quoted(PACKAGE)}",
        f"version: {_quoted(version(PACKAGE))}",
        f"collection_year: {year}",
        f"ruleset: {_quoted(ruleset_name(year))}",
        "notes:" if notes else "notes: []",
        *(f"  - {_quoted(note)}" for note in notes),
        "lists:",
    ]
    for list_name, entry in lists.items():
        lines += [
            f"  {list_name}:",
            f"    rule: {_quoted(entry['rule'])}",
            f"    ruleset: {_quoted(entry['ruleset'])}",
            f"    message: {_quoted(entry['message'])}",
            "    codes: [" + ", ".join(_quoted(code) for code in entry["codes"]) + "]",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder to write the files in")
    out = parser.parse_args(argv).out
    for year in ruleset_years():
        if year >= FIRST_YEAR:
            (out / f"dfe_rules_codes_{year}.yml").write_text(year_file(year), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
