"""Run the DfE's validation rules on one return: the script the validators' own Python runs.

The DfE's rules are published as two packages (csc-validator-be-903 and csc-validator-be-cin)
pinned to pandas < 2 and numpy < 1.25. They live in a virtual environment of their own
(``.venv-dfe``, made by ``make install``) so that those pins never hold back the project's
other dependencies, and this script is the only code that runs there. It imports nothing
from the project and no Django: the product calls it as a subprocess (``iro_service.core.dfe``).

The protocol is one JSON object on standard input and one on standard output:

    in:  {"return": "ssda903" | "cin_census", "collection_year": 2017, "ruleset": "lac2022_23",
          "local_authority": "E10000018", "files": {"header.csv": "<text>", ...},
          "previous_files": {"header.csv": "<text>", ...}}          (previous_files optional)
    out: {"package": "csc-validator-be-903", "version": "0.1.17", "ruleset": "lac2022_23",
          "rules_run": 250, "rules_skipped": ["..."], "rules_failed_to_run": ["..."],
          "findings": [{"rule": "103", "message": "...", "table": "Header", "row": 0,
                        "child": "D100001", "fields": ["ETHNIC"]}, ...]}

``row`` is the row's position in its table counting from 0, as the validators number them:
for a CSV, the line below the header line; for the CIN XML, the position of the element among
the elements of its kind. Anything that goes wrong is written as {"error": "..."} with exit
status 1, so that the caller can say so in plain words.
"""

import json
import logging
import sys
from importlib import import_module
from importlib.metadata import version


def _clean(value):
    # pandas gives NaN for a blank cell and numpy integers for row numbers: neither is JSON.
    if value is None:
        return None
    try:
        if value != value:  # NaN
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return value


def _fields(value):
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v) for v in value)
    value = _clean(value)
    return [] if value is None else [str(value)]


def run_903(request):
    from lac_validator.lac_validator import LacValidator
    from lac_validator.report import Report

    registry = import_module(f"lac_validator.rules.{request['ruleset']}").registry
    files = [
        {"name": name, "file_content": text.encode("utf-8"), "description": "This year"}
        for name, text in request["files"].items()
    ]
    files += [
        {"name": name, "file_content": text.encode("utf-8"), "description": "Prev year"}
        for name, text in (request.get("previous_files") or {}).items()
    ]
    metadata = {
        "collectionYear": str(request["collection_year"]),
        "localAuthority": request["local_authority"],
    }
    validator = LacValidator(metadata=metadata, files=files, registry=registry)
    report = Report(validator.ds_results, registry).report
    findings = []
    error_columns = [c for c in report.columns if c.startswith("ERR_")]
    for column in error_columns:
        code = column[4:]
        rule = registry[code]
        failing = report[report[column] == True]  # noqa: E712 (a column of objects)
        for _, row in failing.iterrows():
            if str(row["Table"]).endswith("_last"):
                continue  # last year's file is only context
            findings.append(
                {
                    "rule": str(code),
                    "message": rule.message,
                    "table": str(row["Table"]),
                    "row": _clean(row["RowID"]),
                    "child": _clean(row["CHILD"]),
                    "fields": _fields(rule.affected_fields),
                }
            )
    return {
        "package": "csc-validator-be-903",
        "version": version("csc-validator-be-903"),
        "ruleset": request["ruleset"],
        "rules_run": len(registry),
        "rules_skipped": sorted(str(code) for code in validator.skips),
        "rules_failed_to_run": sorted(str(code) for code in validator.fails),
        "findings": findings,
    }


def run_cin(request):
    # The file may be an upload that the project's own reader has just rejected. A CIN census has
    # no document type, so one with a DTD or an entity is refused before parsing: nothing can
    # expand or fetch an entity here, whatever the XML library of this environment allows.
    import xml.etree.ElementTree as ET  # nosec B405 (no DTD reaches it: see above)

    from cin_validator import cin_validator

    registry = import_module(f"cin_validator.rules.{request['ruleset']}").registry
    (text,) = request["files"].values()
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise ValueError("A CIN census file has no document type or entities; this one has.")
    root = ET.fromstring(text.encode("utf-8"))  # nosec B314 (no DTD reaches it: see above)
    data = cin_validator.process_data(cin_validator.convert_data(root))
    validator = cin_validator.CinValidator(data, registry)
    findings = []
    for _, row in validator.full_issue_df.iterrows():
        findings.append(
            {
                "rule": str(row["rule_code"]),
                "message": str(row["rule_description"]),
                "table": str(row["tables_affected"]),
                "row": _clean(row["row_id"]),
                "child": _clean(row.get("child_id")),
                "fields": _fields(row["columns_affected"]),
            }
        )
    # Rules about the return as a whole (header and local-authority level) name no row.
    for _, row in validator.multichild_issues.drop_duplicates().iterrows():
        findings.append(
            {
                "rule": str(row["rule_code"]),
                "message": str(row["rule_description"]),
                "table": "Header",
                "row": None,
                "child": None,
                "fields": [],
            }
        )
    return {
        "package": "csc-validator-be-cin",
        "version": version("csc-validator-be-cin"),
        "ruleset": request["ruleset"],
        "rules_run": len(registry),
        "rules_skipped": [],
        "rules_failed_to_run": [],
        "findings": findings,
    }


def main():
    # The validators log every rule at INFO on standard error, and some print to standard
    # output: both are kept off the JSON answer.
    logging.disable(logging.CRITICAL)
    request = json.load(sys.stdin)
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        answer = run_903(request) if request["return"] == "ssda903" else run_cin(request)
    except Exception as error:  # the caller reports it; the product never sees a traceback
        sys.stdout = real_stdout
        json.dump({"error": f"{type(error).__name__}: {error}"}, real_stdout)
        return 1
    sys.stdout = real_stdout
    json.dump(answer, real_stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
