"""Section 4 of the annual report: the IRO service, its staffing and caseloads."""

from __future__ import annotations

from reports.annual.figures import ReportFigures
from reports.annual.sections.blocks import (
    Blocks,
    n,
    paragraph,
    table,
)


def staffing(f: ReportFigures) -> Blocks:
    staff = f.value("iro_staff_at_end") or {}
    fte = f.fig("iro_fte_at_end")
    fte_exact = fte.get("exact", fte["value"])
    per_fte = f.value("iro_cic_per_fte")
    headcount = sum(staff.values())
    within = per_fte is not None and 50 <= per_fte <= 70
    return [
        paragraph(
            f"At {f.end_words()} the service had {n(fte_exact)} full-time equivalent (FTE) IROs, "
            f"{n(headcount)} individual IROs: {n(staff.get('permanent', 0))} permanent and "
            f"{n(staff.get('agency', 0))} agency."
        ),
        table(
            f"IROs in post at {f.end_words()}",
            ["", f.label(), f.label(1)],
            [
                [
                    "IROs (head count)",
                    n(headcount),
                    n(sum((f.value("iro_staff_at_end", back=1) or {}).values())),
                ],
                [
                    "Permanent",
                    n(staff.get("permanent", 0)),
                    n((f.value("iro_staff_at_end", back=1) or {}).get("permanent")),
                ],
                [
                    "Agency",
                    n(staff.get("agency", 0)),
                    n((f.value("iro_staff_at_end", back=1) or {}).get("agency")),
                ],
                ["Full-time equivalent", n(fte_exact), n(f.fig("iro_fte_at_end", back=1).get("exact"))],
                ["Children in care per FTE", n(per_fte), n(f.value("iro_cic_per_fte", back=1))],
            ],
        ),
        paragraph(
            f"Caseloads: {n(per_fte)} children in care per FTE IRO, "
            + (
                "with no children in care to count."
                if per_fte is None
                else "within the IRO Handbook's guidance of 50 to 70."
                if within
                else "below the IRO Handbook's guidance of 50 to 70."
                if per_fte < 50
                else "above the IRO Handbook's guidance of 50 to 70."
            )
            + " IROs here also chair child protection conferences, which the Handbook's caseload does not count."
        ),
    ]
