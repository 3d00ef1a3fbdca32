"""The supply chain (ASVS 1.14.2, 14.2.4, 14.2.5): every package comes from a lock file with its
hashes, the lock files agree with pyproject.toml, this environment is what the lock says, and the
bill of materials lists what the image runs.

These fail when someone changes pyproject.toml or requirements/*.in without running
`make lock`, installs a package by hand, or forgets to write the bill of materials again.
"""

from __future__ import annotations

import json
import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements"
LOCKS = ["pip.lock", "app.lock", "test.lock", "liiatools.lock", "dfe.lock"]


def _entries(lock: str) -> dict[str, list[tuple[str, str | None, int]]]:
    """A lock file's packages: canonical name to its (version, marker or None, number of hashes).
    A package can be locked at two versions behind markers (numpy for Python 3.11 and for 3.12
    and later), hence a list."""
    text = (REQUIREMENTS / lock).read_text(encoding="utf-8")
    # Join the continuation lines, so that each requirement is one line with its hashes.
    joined = re.sub(r"\\\n\s*", " ", text)
    entries = {}
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        requirement_text, *hashes = line.split(" --hash=")
        requirement = Requirement(requirement_text.strip())
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{lock}: {line[:60]} is not pinned to one version"
        assert all(h.startswith("sha256:") for h in hashes), (
            f"{lock}: {requirement.name} has a hash that is not SHA-256"
        )
        entries.setdefault(canonicalize_name(requirement.name), []).append(
            (specifier.version, str(requirement.marker) if requirement.marker else None, len(hashes))
        )
    return entries


def _here(entries: dict) -> dict[str, str]:
    """The version of each package that this Python and platform install (markers evaluated)."""
    return {
        name: locked
        for name, versions in entries.items()
        for locked, marker, _hashes in versions
        if marker is None or Marker(marker).evaluate()
    }


@pytest.mark.parametrize("lock", LOCKS)
def test_every_locked_package_is_pinned_with_its_hashes(lock):
    entries = _entries(lock)
    assert entries, f"{lock} names no package"
    unhashed = sorted(
        name for name, versions in entries.items() for _v, _m, hashes in versions if hashes == 0
    )
    assert unhashed == [], f"{lock}: no hash for {unhashed}"


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _check_inputs_are_locked(requirements: list[str], lock: str) -> list[str]:
    entries = _entries(lock)
    problems = []
    for line in requirements:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        if name not in entries:
            problems.append(f"{requirement.name} is not in {lock}")
            continue
        for locked, _marker, _hashes in entries[name]:
            if not requirement.specifier.contains(locked, prereleases=True):
                problems.append(f"{requirement.name} {requirement.specifier} but {lock} has {locked}")
    return problems


def test_the_lock_files_hold_every_dependency_of_pyproject_at_a_version_its_range_allows():
    project = _pyproject()
    runtime, test_extra = project["dependencies"], project["optional-dependencies"]["test"]
    problems = _check_inputs_are_locked(runtime, "app.lock")
    problems += _check_inputs_are_locked(runtime + test_extra, "test.lock")
    assert problems == [], "run `make lock`: " + "; ".join(problems)


def test_the_dfe_lock_holds_the_validators_named_in_dfe_in():
    lines = [
        line.strip()
        for line in (REQUIREMENTS / "dfe.in").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines, "requirements/dfe.in names no validator"
    assert _check_inputs_are_locked(lines, "dfe.lock") == []
    liiatools = [
        line for line in (REQUIREMENTS / "liiatools.in").read_text().splitlines() if line and line[0] != "#"
    ]
    assert _check_inputs_are_locked(liiatools, "liiatools.lock") == []


def _versions(entries: dict, name: str) -> set[str]:
    return {locked for locked, _marker, _hashes in entries.get(name, [])}


def test_the_image_runs_the_versions_the_tests_ran():
    # app.lock (the Docker image) is compiled under test.lock's pins: a package in both is at the
    # same versions, so that nothing in production is a version the suite never ran.
    app, test = _entries("app.lock"), _entries("test.lock")
    different = {
        name: (_versions(app, name), _versions(test, name))
        for name in app
        if not _versions(app, name) <= _versions(test, name)
    }
    assert different == {}, different


def test_this_environment_is_what_the_lock_files_say():
    """`make install` installs from the locks: every package they give for this Python and
    platform is installed at the locked version."""
    wrong = []
    for lock in ("pip.lock", "test.lock", "liiatools.lock"):
        for name, locked in _here(_entries(lock)).items():
            try:
                installed = version(name)
            except PackageNotFoundError:
                installed = None
            if installed != locked:
                wrong.append(f"{name}: {lock} has {locked}, installed {installed}")
    assert wrong == [], "run `make install`: " + "; ".join(wrong)


@pytest.mark.parametrize(
    ("bom", "locks"),
    [("sbom.cdx.json", ["app.lock", "pip.lock"]), ("sbom-dfe.cdx.json", ["dfe.lock", "pip.lock"])],
)
def test_the_bill_of_materials_lists_what_the_lock_files_install(bom, locks):
    document = json.loads((ROOT / "docs" / bom).read_text(encoding="utf-8"))
    assert document["bomFormat"] == "CycloneDX"
    assert document["specVersion"] == "1.6"
    listed = {canonicalize_name(c["name"]): c["version"] for c in document["components"]}
    locked = {}
    for lock in locks:
        for name, versions in _entries(lock).items():
            locked.setdefault(name, []).extend(versions)
    # Every component is a locked package at a locked version...
    stale = {
        name: (listed_version, sorted(_versions(locked, name)))
        for name, listed_version in listed.items()
        if listed_version not in _versions(locked, name)
    }
    assert stale == {}, f"run `make sbom`: docs/{bom} differs from the locks (listed, locked): {stale}"
    # ...and every locked package that every platform installs is a component (those behind a
    # marker, such as colorama on Windows, are listed where they were installed).
    missing = sorted(
        name
        for name, versions in locked.items()
        if any(marker is None for _v, marker, _h in versions) and name not in listed
    )
    assert missing == [], f"run `make sbom`: docs/{bom} leaves out {missing}"
    # Each component says where it comes from, so that an advisory can be matched to it.
    assert all(c["purl"].startswith("pkg:pypi/") for c in document["components"])


def test_the_bill_of_materials_names_the_service_and_each_licence():
    document = json.loads((ROOT / "docs" / "sbom.cdx.json").read_text(encoding="utf-8"))
    assert document["metadata"]["component"]["name"] == _pyproject()["name"]
    without = sorted(c["name"] for c in document["components"] if not c.get("licenses"))
    # A few packages declare no licence in their metadata; the list is short and known.
    assert len(without) <= 5, without
