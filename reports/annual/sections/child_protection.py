"""Section 6 of the annual report: child protection (conferences, plans, repeat plans, categories,
length of plans, children's characteristics, performance, reports, records, agencies, appeals)."""

from __future__ import annotations

from conferences.codes import Agency, Appellant, ConferenceType, StoodDownReason
from iro_service.core.codes import code_label
from reports.annual.figures import ReportFigures
from reports.annual.sections.blocks import (
    DASH,
    Blocks,
    n,
    paragraph,
    pct,
    share,
    table,
    this_year_and_last,
)


def conferences(f: ReportFigures) -> Blocks:
    year, before = f.value("cp_conferences_by_type") or {}, f.value("cp_conferences_by_type", back=1) or {}
    held, held_before = f.value("cp_conferences_held"), f.value("cp_conferences_held", back=1)
    rows = [[label, n(year.get(code, 0)), n(before.get(code, 0))] for code, label in ConferenceType.choices]
    return [
        paragraph(
            f"The number of initial and review child protection conferences chaired over {f.label()} was "
            f"{n(held)}, compared with {n(held_before)} over {f.label(1)}: about {n(round((held or 0) / 52))} a "
            "week."
        ),
        table(
            "Child protection conferences by type",
            ["Type of conference", f.label(), f.label(1)],
            rows,
            total=["All conferences", n(held), n(held_before)],
        ),
    ]


def plans(f: ReportFigures) -> Blocks:
    years = (1, 0)
    return [
        paragraph(
            f"{n(f.value('cp_plans_at_end'))} children were subject to a child protection plan at {f.end_words()}, "
            f"compared with {n(f.value('cp_plans_at_end', back=1))} a year earlier. "
            f"{n(f.value('cp_plans_started'))} plans started and {n(f.value('cp_plans_ended'))} ended in the year."
        ),
        table(
            "Children on a child protection plan at 31 March",
            ["Year", "Children on a plan"],
            [[f.label(back), n(f.value("cp_plans_at_end", back=back))] for back in years],
        ),
    ]


def repeat_plans(f: ReportFigures) -> Blocks:
    repeat = f.fig("cp_repeat_plans")
    blocks = [
        paragraph(
            f"{pct(repeat)} of the plans started in {f.label()} ({n(repeat['numerator'])} of "
            f"{n(repeat['denominator'])}) were for a child who had been on a plan before; "
            f"{pct(f.fig('cp_repeat_plans_2y'))} within two years of the earlier plan ending "
            f"({pct(f.fig('cp_repeat_plans', back=1))} in {f.label(1)})."
        )
    ]
    return blocks


def categories(f: ReportFigures) -> Blocks:
    blocks = []
    for back in (1, 0):
        points = f.value("cp_multiple_categories", back=back) or []
        blocks.append(
            table(
                f"Plans with more than one category of abuse, {f.label(back)}",
                ["Quarter end", "CP plans", "Multiple categories", "Multiple categories (%)"],
                [
                    [
                        f"End Q{index} {f.label(back)}",
                        n(point["denominator"]),
                        n(point["numerator"]),
                        pct(point),
                    ]
                    for index, point in enumerate(points, start=1)
                ],
            )
        )
    at_end = f.value("cp_categories_at_end") or {}
    total = sum(at_end.values())
    blocks.append(
        table(
            f"Child protection plans by category at {f.end_words()}",
            ["Category", "Plans", "Share"],
            [
                [code_label("cp_category", code) or code, n(number), share(number, total)]
                for code, number in at_end.items()
            ],
            total=["All plans", n(total), share(total, total)],
        )
    )
    return blocks


def plans_ending(f: ReportFigures) -> Blocks:
    long = f.fig("cp_plans_ended_2_years_plus")
    return [
        paragraph(
            f"{n(f.value('cp_plans_ended_under_3_months'))} plans ended in the year after less than three months "
            f"(at or before the first review). {pct(long)} of the plans that ended ({n(long['numerator'])} of "
            f"{n(long['denominator'])}) had lasted two years or more. At {f.end_words()}, "
            f"{n(f.value('cp_plans_open_9_months_plus'))} children had been on a plan for 9 months or more, and "
            f"{n(f.value('cp_plans_open_2_years_plus'))} for two years or more."
        ),
        table(
            "Length of child protection plans",
            ["", f.label(), f.label(1)],
            [
                this_year_and_last(
                    f, "Plans ended within 3 months", "cp_plans_ended_under_3_months", count=True
                ),
                this_year_and_last(f, "Plans ended after 2 years or more", "cp_plans_ended_2_years_plus"),
                this_year_and_last(
                    f, "Open 9 months or more at 31 March", "cp_plans_open_9_months_plus", count=True
                ),
                this_year_and_last(
                    f, "Open 2 years or more at 31 March", "cp_plans_open_2_years_plus", count=True
                ),
            ],
        ),
    ]


AGE_BANDS = [
    ("unborn", "Unborn"),
    ("0-4", "0 to 4"),
    ("5-9", "5 to 9"),
    ("10-15", "10 to 15"),
    ("16+", "16 and over"),
]


def characteristics(f: ReportFigures) -> Blocks:
    ages = f.value("cp_children_by_age") or {}
    total = sum(ages.values())
    sexes = f.value("cp_children_by_sex") or {}
    ethnicity = f.value("cp_children_by_ethnicity") or {}
    white = sum(number for code, number in ethnicity.items() if code.startswith("W"))
    groups = {
        "W": "White",
        "M": "Mixed",
        "A": "Asian or Asian British",
        "B": "Black or Black British",
        "O": "Other ethnic group",
        "N": "Not known",
    }
    by_group: dict[str, int] = {}
    for code, number in ethnicity.items():
        group = groups.get(code[:1], "Not known")
        by_group[group] = by_group.get(group, 0) + number
    disability = f.fig("cp_children_with_disability")
    return [
        paragraph(
            f"Of the {n(total)} children on a plan at {f.end_words()}: "
            + ", ".join(f"{label.lower()} {share(ages.get(code, 0), total)}" for code, label in AGE_BANDS)
            + f". {share(white, sum(ethnicity.values()))} were of White origin. {pct(disability)} were recorded as "
            "having a disability."
        ),
        table(
            "Children on a plan by age",
            ["Age", "Children", "Share"],
            [[label, n(ages.get(code, 0)), share(ages.get(code, 0), total)] for code, label in AGE_BANDS],
            total=["All children", n(total), share(total, total)],
        ),
        table(
            "Children on a plan by sex",
            ["Sex", "Children", "Share"],
            [
                [code_label("sex", code) or code, n(number), share(number, total)]
                for code, number in sexes.items()
            ],
        ),
        table(
            "Children on a plan by ethnic group",
            ["Ethnic group", "Children", "Share"],
            [[group, n(number), share(number, total)] for group, number in by_group.items()],
        ),
    ]


def conference_performance(f: ReportFigures) -> Blocks:
    stood_down = f.fig("cp_conferences_stood_down")
    reasons = f.value("cp_stood_down_reasons") or {}
    labels = dict(StoodDownReason.choices)
    icpc, rcpc = f.fig("icpc_on_time"), f.fig("rcpc_on_time")
    return [
        paragraph(
            f"Of the {n(stood_down['denominator'])} conferences arranged, {n(stood_down['numerator'])} "
            f"({pct(stood_down)}) had to be stood down on the day and rearranged."
        ),
        table(
            "Conferences stood down on the day, by reason",
            ["Reason", "Conferences"],
            [[labels.get(code, code), n(number)] for code, number in reasons.items() if number]
            or [["None stood down", "0"]],
            total=["All stood down", n(stood_down["numerator"])],
        ),
        paragraph(
            f"{pct(rcpc)} of review conferences were held within timescale, and {pct(icpc)} of initial "
            f"conferences within 15 working days of the strategy discussion (compared with "
            f"{pct(f.fig('icpc_on_time', back=1))} in {f.label(1)})."
        ),
        table(
            "Timeliness of child protection conferences",
            ["", f.label(), f.label(1)],
            [
                this_year_and_last(
                    f, "Initial conferences within 15 working days of the strategy discussion", "icpc_on_time"
                ),
                this_year_and_last(
                    f,
                    "Initial conferences within 15 working days of the section 47 enquiry starting",
                    "icpc_within_15wd_of_s47",
                ),
                this_year_and_last(f, "Review conferences within timescale", "rcpc_on_time"),
            ],
        ),
    ]


def conference_reports(f: ReportFigures) -> Blocks:
    parents, review = f.fig("icpc_parent_reports_on_time"), f.fig("rcpc_reports_on_time")
    return [
        paragraph(
            f"Parents received the social worker's report in time for {pct(parents)} of initial conferences and "
            f"{pct(review)} of review conferences."
        ),
        table(
            "Social workers' reports for conferences in time",
            ["", f.label(), f.label(1)],
            [
                this_year_and_last(
                    f, "Initial: report with parents 2 working days before", "icpc_parent_reports_on_time"
                ),
                this_year_and_last(
                    f, "Initial: report with the chair 1 working day before", "icpc_chair_reports_on_time"
                ),
                this_year_and_last(
                    f, "Review: report with parents and chair 3 working days before", "rcpc_reports_on_time"
                ),
            ],
        ),
    ]


def conference_records(f: ReportFigures) -> Blocks:
    records, continuity = f.fig("cp_records_on_time"), f.fig("cp_chair_continuity")
    return [
        paragraph(
            f"{pct(records)} of conference records ({n(records['numerator'])} of {n(records['denominator'])}) were "
            f"distributed within timescale. {pct(continuity)} of review conferences were chaired by the same IRO "
            "as the family's previous conference."
        ),
        table(
            "Conference records and chairs",
            ["", f.label(), f.label(1)],
            [
                this_year_and_last(f, "Records distributed within timescale", "cp_records_on_time"),
                this_year_and_last(f, "Same chair as the previous conference", "cp_chair_continuity"),
            ],
        ),
    ]


def agencies(f: ReportFigures) -> Blocks:
    agencies = f.value("cp_agency_attendance") or {}
    labels = dict(Agency.choices)
    rows = [
        [
            labels.get(code, code),
            n(row["invited"]),
            n(row["attended"]),
            share(row["attended"], row["invited"]),
            n(row["report_submitted"]),
        ]
        for code, row in agencies.items()
        if row.get("invited")
    ]
    return [
        table(
            "Agency attendance at child protection conferences",
            ["Agency", "Invited", "Attended", "Attended (%)", "Report sent"],
            rows or [["No agency invited", "0", "0", DASH, "0"]],
        )
    ]


def appeals(f: ReportFigures) -> Blocks:
    appeals = f.value("cp_appeals") or {}
    labels = dict(Appellant.choices)
    rows = [
        [
            labels.get(who, who),
            n(row["total"]),
            n(row["upheld"]),
            n(row["not_upheld"]),
            n(row["resolved"]),
            n(row["withdrawn"]),
            n(row["pending"]),
        ]
        for who, row in appeals.items()
    ]
    return [
        paragraph(
            "Appeals against a conference's decision and complaints about a conference in the year, by who made "
            "them and their outcome:"
        ),
        table(
            "Appeals and complaints",
            ["Made by", "Total", "Upheld", "Not upheld", "Resolved", "Withdrawn", "Not yet decided"],
            rows,
        ),
    ]
