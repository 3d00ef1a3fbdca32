"""pip-audit over the packages installed in this environment and in the DfE validators' own
(.venv-dfe), for `make lint`.

Fails on any known vulnerability that docs/security.md ("Accepted findings") does not accept.
pip-audit asks PyPI's advisory service (its JSON API, one request per package and version);
where that service cannot be reached pip-audit reports each package as "not audited" and exits
0, which would read as a clean result. So this counts what was really audited and says plainly
when nothing was: with AUDIT_REQUIRED=1 (set it where PyPI's JSON API is reachable) that is a
failure too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess  # nosec B404
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The table under "Accepted findings" in docs/security.md: | `PYSEC-...` or `GHSA-...` | package | reason |
ACCEPTED = re.compile(r"^\|\s*`((?:PYSEC|GHSA|CVE)-[^`]+)`", re.MULTILINE)


def accepted_ids() -> list[str]:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = text.split("## Accepted findings", 1)[-1].split("\n## ", 1)[0]
    return ACCEPTED.findall(section)


def dfe_site_packages() -> str | None:
    """Where the DfE validators' environment keeps its packages, if `make install` made it."""
    python = ROOT / ".venv-dfe" / "bin" / "python"
    if not python.exists():
        return None
    # A fixed command, no shell.
    result = subprocess.run(  # nosec B603
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def audit(where: list[str], accepted: list[str]) -> list[dict] | None:
    """pip-audit's report of one environment's packages, or None if it printed none."""
    command = [sys.executable, "-m", "pip_audit", *where, "--format", "json", "--progress-spinner", "off"]
    for vulnerability in accepted:
        command += ["--ignore-vuln", vulnerability]
    # A fixed command, no shell.
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # nosec B603
    try:
        return json.loads(result.stdout)["dependencies"]
    except json.JSONDecodeError:
        print(result.stderr.strip() or "pip-audit printed nothing", file=sys.stderr)
        return None


def main() -> int:
    accepted = accepted_ids()
    environments = {"this environment": ["--local"]}
    dfe = dfe_site_packages()
    if dfe:
        environments["the DfE validators' environment"] = ["--path", dfe]
    failed = False
    dependencies = []
    for name, where in environments.items():
        report = audit(where, accepted)
        if report is None:
            return 1
        audited = [d for d in report if "skip_reason" not in d]
        vulnerable = [(d, v) for d in audited for v in d.get("vulns", [])]
        for dependency, vulnerability in vulnerable:
            fixes = ", ".join(vulnerability.get("fix_versions") or []) or "none yet"
            print(
                f"{dependency['name']} {dependency['version']} ({name}): "
                f"{vulnerability['id']} (fixed in {fixes})",
                file=sys.stderr,
            )
        print(
            f"pip-audit, {name}: {len(audited)} of {len(report)} installed packages audited, "
            f"{len(vulnerable)} known vulnerabilities not accepted, "
            f"{len(accepted)} accepted in docs/security.md"
        )
        failed = failed or bool(vulnerable)
        dependencies += report
    if failed:
        return 1
    if dependencies and all("skip_reason" in d for d in dependencies):
        print(
            "pip-audit could not reach PyPI's advisory service "
            "(https://pypi.org/pypi/<name>/<version>/json): no package was audited.",
            file=sys.stderr,
        )
        return 1 if os.environ.get("AUDIT_REQUIRED") == "1" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
