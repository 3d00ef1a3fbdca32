"""The DfE's own validation rules for the SSDA903 return and the CIN census, run on a return's
files beside the project's checks.

The rules are the data-to-insight packages the DfE publishes (csc-validator-be-903 and
csc-validator-be-cin, one ruleset per collection year). They pin pandas < 2 and numpy < 1.25,
so they are installed in a virtual environment of their own (``.venv-dfe``, made by
``make install``) and run as a subprocess: ``runner.py`` in this package is the whole of the
code that runs there, with one JSON object in and one out. What they find is a warning: it is
listed on the import's or export's page and never blocks it.

Which ruleset runs: the one for the return's collection year. The packages ship rulesets from
2022-23; an older return (the demo county's 2016-17) is checked with the earliest, the
nearest the DfE publishes, and a year beyond the newest with the newest.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404 (one fixed command, no shell: see dfe_rules_run)
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings

from iro_service.core.imports import SafeCsvWriter

SSDA903 = "ssda903"
CIN_CENSUS = "cin_census"

# The collection years (ending 31 March) the packages pinned in the Makefile ship rulesets for.
FIRST_RULESET_YEAR = 2023
LAST_RULESET_YEAR = 2027

RUNNER = Path(__file__).with_name("runner.py")
# A national return takes the validators a few minutes; this is far beyond any council's.
TIMEOUT_SECONDS = 15 * 60
# Failing rows kept with an import or export (every rule's count is kept whatever the number).
KEEP_FINDINGS = 10_000


def ruleset_for(return_kind: str, year: int) -> str:
    """The name of the DfE ruleset for the collection year ending 31 March ``year``."""
    year = min(max(year, FIRST_RULESET_YEAR), LAST_RULESET_YEAR)
    prefix = "lac" if return_kind == SSDA903 else "cin"
    return f"{prefix}{year - 1}_{year % 100:02d}"


def ruleset_label(ruleset: str) -> str:
    """'lac2022_23' as people write it: '2022-23'."""
    return ruleset[3:].replace("_", "-")


@dataclass(frozen=True)
class DfeFinding:
    """One row of a return that fails one DfE rule."""

    rule: str
    message: str
    file: str
    row: int | None
    child: str
    fields: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "message": self.message,
            "file": self.file,
            "row": self.row,
            "child": self.child,
            "fields": list(self.fields),
        }


@dataclass(frozen=True)
class DfeWarning:
    """One record of a child that breaks one DfE rule, found when the record is saved (the
    SSDA903 rules in ``reviews.dfe_rules``, the CIN census ones in ``conferences.dfe_rules``):
    the rule's code and the DfE's message, which record breaks it, and what in it breaks it,
    in words a person can act on."""

    rule: str
    message: str
    record: str  # the kind of record, as each app's rules name it ("episode", "conference", ...)
    record_id: int
    child_id: int
    on: date  # the record's date (an episode's start, a review's or a conference's date, ...)
    detail: str

    @property
    def text(self) -> str:
        dfe = f" ({self.message})" if self.message else ""
        return f"DfE rule {self.rule}{dfe}: {self.detail}"

    def as_dict(self) -> dict:
        # The child, for a record about several children (a conference): which one breaks it.
        return {
            "rule": self.rule,
            "message": self.message,
            "record": self.record,
            "record_id": self.record_id,
            "child": self.child_id,
            "date": self.on.isoformat(),
            "detail": self.detail,
        }


@dataclass
class DfeResult:
    """What the DfE's rules found in one return: which package, version and ruleset ran, and
    every failing row. ``error`` says in plain words why the rules could not run, if so."""

    return_kind: str
    collection_year: int
    ruleset: str = ""
    package: str = ""
    version: str = ""
    rules_run: int = 0
    findings: list[DfeFinding] = field(default_factory=list)
    error: str = ""

    @property
    def ran(self) -> bool:
        return not self.error

    @property
    def failing_rules(self) -> list[dict]:
        """Every failing rule once, with the DfE's message and its number of failing rows,
        in the order of the rule codes."""
        counts = Counter(finding.rule for finding in self.findings)
        messages = {finding.rule: finding.message for finding in self.findings}
        return [
            {"rule": code, "message": messages[code], "rows": counts[code]}
            for code in sorted(counts, key=_rule_sort_key)
        ]

    def summary(self) -> dict:
        """What is kept with the import or export in the history (the findings separately)."""
        return {
            "return": self.return_kind,
            "collection_year": self.collection_year,
            "package": self.package,
            "version": self.version,
            "ruleset": self.ruleset,
            "ruleset_year": ruleset_label(self.ruleset) if self.ruleset else "",
            "rules_run": self.rules_run,
            "finding_count": len(self.findings),
            "failing_rules": self.failing_rules,
            "error": self.error,
        }


def _rule_sort_key(code: str) -> tuple[int, str]:
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else 0, code)


# The validators name a table, not the file it came from.
SSDA903_FILES = {"Header": "header.csv", "Episodes": "episodes.csv", "Reviews": "reviews.csv"}


def validator_python() -> Path | None:
    """The validators' Python, or None when the DfE rules are switched off."""
    if not getattr(settings, "DFE_RULES", True):
        return None
    return Path(settings.DFE_VALIDATOR_PYTHON)


def dfe_rules_run(*, return_kind: str, year: int, files: dict[str, str]) -> DfeResult | None:
    """Run the DfE's rules of ``year``'s ruleset on a return's files ({file name: text}).
    None when the rules are switched off (``DFE_RULES``); a result with ``error`` when they
    could not run, so that the page can say so rather than say nothing was found."""
    python = validator_python()
    if python is None:
        return None
    ruleset = ruleset_for(return_kind, year)
    result = DfeResult(return_kind=return_kind, collection_year=year, ruleset=ruleset)
    if not python.exists():
        result.error = (
            f"The DfE's validators are not installed (no {python}): run make install. "
            "The return was not checked against the DfE's rules."
        )
        return result
    request = {
        "return": return_kind,
        "collection_year": year,
        "ruleset": ruleset,
        "local_authority": settings.COUNCIL_LA_CODE,
        "files": files,
    }
    try:
        completed = subprocess.run(  # nosec B603 (our interpreter and runner, no shell, input on stdin)
            [str(python), str(RUNNER)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        answer = json.loads(completed.stdout or "{}")
    except subprocess.TimeoutExpired:
        result.error = f"The DfE's rules took longer than {TIMEOUT_SECONDS // 60} minutes and were stopped."
        return result
    except json.JSONDecodeError:
        answer = {"error": (completed.stderr or "no answer").strip().splitlines()[-1]}
    if "error" in answer or "findings" not in answer:
        result.error = f"The DfE's rules could not run on this return: {answer.get('error', 'no answer')}"
        return result
    result.package = answer["package"]
    result.version = answer["version"]
    result.rules_run = answer["rules_run"]
    result.findings = [
        DfeFinding(
            rule=item["rule"],
            message=item["message"],
            file=SSDA903_FILES.get(item["table"], item["table"]) if return_kind == SSDA903 else item["table"],
            row=item["row"],
            child=item["child"] or "",
            fields=tuple(item["fields"]),
        )
        for item in answer["findings"]
    ]
    return result


def finding_where(finding: dict) -> str:
    """Where a failing row is, as a person opening the file would look for it."""
    if finding["row"] is None:
        return "The return as a whole"
    if finding["file"].endswith(".csv"):
        # Row 0 is the line after the column names: line 2 of the file.
        return f"Line {finding['row'] + 2}"
    return f"{finding['file']} number {finding['row'] + 1}"


def file_texts(files) -> dict[str, str]:
    """The text of each file of an import ({name: path or binary file}), each file left at its
    start for the project's own reader. The DfE's validators read a return whole, so it is held
    in memory once here (a council's return is a few megabytes)."""
    texts = {}
    for name, source in files.items():
        if isinstance(source, Path | str):
            data = Path(source).read_bytes()
        else:
            position = source.tell()
            data = source.read()
            source.seek(position)
        texts[name] = data.decode("utf-8-sig", errors="replace")
    return texts


def dfe_lines(summary: dict) -> list[str]:
    """What the DfE's rules found, as lines for a command's output (``summary`` as kept with
    the import or export)."""
    if not summary:
        return ["The DfE's rules were not run (DFE_RULES is off)."]
    if summary["error"]:
        return [summary["error"]]
    lines = [
        f"DfE rules: the {summary['ruleset_year']} ruleset of {summary['package']} {summary['version']} "
        f"({summary['rules_run']} rules)."
    ]
    if not summary["failing_rules"]:
        return [*lines, "No DfE rule fails."]
    lines.append(
        f"{len(summary['failing_rules'])} DfE rules fail on {summary['finding_count']} rows "
        "(warnings: they do not stop the import or export):"
    )
    lines += [
        f"  {rule['rule']:>6}  {rule['rows']:>6} rows  {rule['message']}" for rule in summary["failing_rules"]
    ]
    return lines


def write_findings_csv(findings: list[dict], destination) -> None:
    """Every failing row as CSV (rule, message, file, where, child, fields), into a text file."""
    writer = SafeCsvWriter(destination)
    writer.writerow(["Rule", "DfE message", "File", "Where", "Child", "Fields"])
    for finding in findings:
        writer.writerow(
            [
                finding["rule"],
                finding["message"],
                finding["file"],
                finding_where(finding),
                finding["child"],
                ", ".join(finding["fields"]),
            ]
        )


# --- the DfE's wording of one rule, for the checks the product runs when a record is saved -----

# Where each package keeps its rulesets, one module a rule (rule_<code>.py).
RULE_PACKAGES = {SSDA903: "lac_validator", CIN_CENSUS: "cin_validator"}


def _validators_site_packages() -> Path | None:
    # The validators' own environment, found from its Python as settings name it (not resolved:
    # bin/python is a link to the system's interpreter).
    venv = Path(settings.DFE_VALIDATOR_PYTHON).parent.parent
    found = sorted(venv.glob("lib/python*/site-packages"))
    return found[-1] if found else None


def _literal_text(node) -> str | None:
    """A string written as literals, joined by ``+`` or side by side, as the rules write their
    messages; None for anything else."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal_text(node.left), _literal_text(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "chr" and len(node.args) == 1:
        arg = node.args[0]
        return chr(arg.value) if isinstance(arg, ast.Constant) and isinstance(arg.value, int) else None
    return None


@cache
def rule_message(return_kind: str, year: int, code: str) -> str:
    """The DfE's own message for rule ``code`` in the ruleset of collection year ``year``, read
    from the rule's source in the validators' package (a ruleset holds only the rules that
    changed that year, so earlier rulesets are looked in back to the first). The rules are
    never imported here: their package needs pandas < 2, which is not the product's. "" when
    the package is not installed or has no such rule, so that a warning still says what is
    wrong in the product's own words."""
    import ast

    site = _validators_site_packages()
    if site is None:
        return ""
    rules = site / RULE_PACKAGES[return_kind] / "rules"
    first = FIRST_RULESET_YEAR
    for ruleset_year in range(min(max(year, first), LAST_RULESET_YEAR), first - 1, -1):
        source = rules / ruleset_for(return_kind, ruleset_year) / f"rule_{code}.py"
        if not source.exists():
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "message":
                text = _literal_text(node.value)
                if text is not None:
                    return " ".join(text.split())
    return ""
