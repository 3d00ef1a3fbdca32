"""pip-audit over the packages installed in this environment, for `make lint`.

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


def main() -> int:
    accepted = accepted_ids()
    command = [sys.executable, "-m", "pip_audit", "--local", "--format", "json", "--progress-spinner", "off"]
    for vulnerability in accepted:
        command += ["--ignore-vuln", vulnerability]
    # A fixed command, no shell.
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # nosec B603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr.strip() or "pip-audit printed nothing", file=sys.stderr)
        return 1
    dependencies = report["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [(d, v) for d in audited for v in d.get("vulns", [])]
    for dependency, vulnerability in vulnerable:
        fixes = ", ".join(vulnerability.get("fix_versions") or []) or "none yet"
        print(
            f"{dependency['name']} {dependency['version']}: {vulnerability['id']} (fixed in {fixes})",
            file=sys.stderr,
        )
    print(
        f"pip-audit: {len(audited)} of {len(dependencies)} installed packages audited, "
        f"{len(vulnerable)} known vulnerabilities not accepted, {len(accepted)} accepted in docs/security.md"
    )
    if vulnerable:
        return 1
    if dependencies and not audited:
        print(
            "pip-audit could not reach PyPI's advisory service "
            "(https://pypi.org/pypi/<name>/<version>/json): no package was audited.",
            file=sys.stderr,
        )
        return 1 if os.environ.get("AUDIT_REQUIRED") == "1" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
