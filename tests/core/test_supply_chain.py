"""The supply-chain checks of `make lint`: bandit finds nothing we have not accepted, and the
pip-audit wrapper fails on a vulnerability docs/security.md does not accept, passes one it
does, and never reads "could not audit" as clean. pip-audit's answer is the outside world (PyPI's
advisory service), so it is the one thing replaced here, by the JSON pip-audit prints."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / ".ci" / "audit_dependencies.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def _pip_audit_says(monkeypatch, dependencies):
    """pip-audit answers with these dependencies for every environment it is asked about; any
    other command (finding the DfE environment's packages) really runs."""
    seen = {"commands": []}
    real_run = subprocess.run

    def run(command, **kwargs):
        if "pip_audit" not in command:
            return real_run(command, **kwargs)
        seen["command"] = command
        seen["commands"].append(command)
        return subprocess.CompletedProcess(
            command, 0, stdout=json.dumps({"dependencies": dependencies}), stderr=""
        )

    monkeypatch.setattr(audit.subprocess, "run", run)
    return seen


VULNERABLE = {
    "name": "examplepkg",
    "version": "1.0",
    "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["1.1"]}],
}


def test_a_vulnerability_not_accepted_fails(monkeypatch, capsys):
    _pip_audit_says(monkeypatch, [VULNERABLE, {"name": "django", "version": "5.2", "vulns": []}])
    assert audit.main() == 1
    assert "examplepkg 1.0 (this environment): PYSEC-2099-1 (fixed in 1.1)" in capsys.readouterr().err


def test_both_environments_are_audited(monkeypatch, capsys):
    """The service's own packages and the DfE validators' (made by `make install`) are each
    audited, and each is counted in what `make lint` prints."""
    seen = _pip_audit_says(monkeypatch, [{"name": "django", "version": "5.2", "vulns": []}])
    assert audit.main() == 0
    where = [command[command.index("pip_audit") + 1 :][:2] for command in seen["commands"]]
    dfe_packages = audit.dfe_site_packages()
    assert dfe_packages and Path(dfe_packages, "lac_validator").is_dir()
    assert where == [["--local", "--format"], ["--path", dfe_packages]]
    out = capsys.readouterr().out
    assert "pip-audit, this environment: 1 of 1 installed packages audited" in out
    assert "pip-audit, the DfE validators' environment: 1 of 1 installed packages audited" in out


def test_accepted_advisories_are_passed_to_pip_audit_to_ignore(monkeypatch, tmp_path):
    monkeypatch.setattr(audit, "accepted_ids", lambda: ["PYSEC-2099-1"])
    seen = _pip_audit_says(monkeypatch, [{"name": "examplepkg", "version": "1.0", "vulns": []}])
    assert audit.main() == 0
    assert seen["command"][-2:] == ["--ignore-vuln", "PYSEC-2099-1"]


def test_the_accepted_table_is_read_from_docs_security(tmp_path, monkeypatch):
    # docs/security.md accepts none today: the table is read, and is empty.
    assert audit.accepted_ids() == []


def test_nothing_audited_is_said_and_fails_where_the_audit_is_required(monkeypatch, capsys):
    skipped = [{"name": "django", "version": "5.2", "skip_reason": "Dependency not found on PyPI"}]
    _pip_audit_says(monkeypatch, skipped)
    assert audit.main() == 0
    assert "could not reach PyPI's advisory service" in capsys.readouterr().err
    monkeypatch.setenv("AUDIT_REQUIRED", "1")
    assert audit.main() == 1


@pytest.mark.parametrize("code", ["subprocess.call('ls ' + name, shell=True)", "yaml.load(text)"])
def test_bandit_refuses_the_patterns_it_is_there_for(tmp_path, code):
    """bandit in `make lint` is live: a shell call or an unsafe YAML load in our code fails it."""
    (tmp_path / "bad.py").write_text(f"import subprocess, yaml\nname = text = ''\n{code}\n")
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", str(tmp_path / "bad.py")], capture_output=True
    )
    assert result.returncode == 1


def test_bandit_passes_our_code():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "-q",
            "-r",
            "-x",
            "*/migrations/*",
            "iro_service",
            "reviews",
            "conferences",
            "hsb",
            "qa_alerts",
            "reports",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
