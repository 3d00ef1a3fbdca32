"""The sections of the IRO annual report, in the order of the IRO Handbook and the council's own
reports: executive summary, introduction, context, the IRO service, children in care, child
protection, harmful sexual behaviour and recommendations.

Each section turns the year's figures (``ReportFigures``: the figures service, for the year and
the years before it) into blocks: paragraphs that state the figures, tables, charts (with their
data table and alt text) and lists. Blocks are plain JSON, so that a finalised report keeps them
as they were (the snapshot) and the three documents are drawn from the same blocks. The text
managers write for a section is kept apart (``AnnualReportText``) and placed after its blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from conferences.codes import Agency, Appellant, ConferenceType, StoodDownReason
from hsb.codes import Course
from iro_service.core.codes import code_label
from reports.annual.figures import ReportFigures

Blocks = list[dict]
# A missing figure prints as an en dash, as in the council's own tables.
DASH = "\u2013"


@dataclass(frozen=True)
class Section:
    """One numbered section of the report. ``build`` returns its blocks from the figures (None:
    the section is the managers' text alone); ``guidance`` tells the writer what the Handbook
    expects there."""

    key: str
    number: str
    title: str
    level: int
    build: Callable[[ReportFigures], Blocks] | None = None
    guidance: str = ""

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"


# --- formatting ----------------------------------------------------------------------------


def n(value) -> str:
    """A count as the report prints it: 1,404; a missing figure as a dash."""
    if value is None:
        return DASH
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def pct(figure_or_value) -> str:
    value = figure_or_value.get("value") if isinstance(figure_or_value, dict) else figure_or_value
    return "no data" if value is None else f"{value:.1f}%"


def share(part: int, whole: int) -> str:
    return DASH if not whole else f"{part * 100 / whole:.1f}%"


def _rate_point(figure: dict) -> dict:
    return {"value": figure["value"], "numerator": figure["numerator"], "denominator": figure["denominator"]}


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "text": text}


def bullets(items: list[str]) -> dict:
    return {"type": "bullets", "items": items}


def table(caption: str, head: list[str], rows: list[list[str]], *, total: list[str] | None = None) -> dict:
    """A table: the first column names each row, the rest are figures (right-aligned)."""
    return {"type": "table", "caption": caption, "head": head, "rows": rows, "total": total}


def chart(*, title: str, unit: str, points: list[dict], alt: str, data: dict | None, comparators=()) -> dict:
    """A line chart, drawn by ``reports.charts`` when the documents are written: ``points`` are
    ``{"date", "value"}`` (with ``numerator`` and ``denominator`` for a rate), ``unit`` "%" or
    "count", ``comparators`` (name, value) pairs drawn as lines; ``data`` is the table of the same
    figures printed under it (None when the section's table just before holds them), and
    ``alt`` says in words what it shows."""
    return {
        "type": "chart",
        "title": title,
        "unit": unit,
        "points": points,
        "alt": alt,
        "data": data,
        "comparators": [list(pair) for pair in comparators],
    }


def comparator_rows(figures: ReportFigures, key: str, ours: str) -> list[list[str]]:
    """Our figure beside the comparators managers entered for it (statistical neighbours,
    England)."""
    return [[f"{figures.council} ({figures.label()})", ours]] + [
        [f"{row['name']} ({row['period']})", row["shown"]] for row in figures.comparators(key)
    ]


# --- 1 to 3: the managers' words -------------------------------------------------------------


def _headlines(f: ReportFigures) -> Blocks:
    reviews_on_time = f.fig("lac_reviews_on_time")
    return [
        paragraph(
            f"This report covers the work of the IRO service of {f.council} from {f.period_words()}. "
            "The headline figures of the year are:"
        ),
        bullets(
            [
                f"{n(f.value('cic_at_end'))} children in care at {f.end_words()} "
                f"({n(f.value('cic_at_end', back=1))} a year earlier).",
                f"{n(f.value('lac_reviews_held'))} LAC reviews held, {pct(reviews_on_time)} of them on time; "
                f"{n(f.value('lac_reviews_late'))} were late.",
                f"{pct(f.fig('lac_participation'))} of children aged 4 and over participated in their review "
                f"({pct(f.fig('lac_participation', back=1))} in {f.label(1)}, "
                f"{pct(f.fig('lac_participation', back=2))} in {f.label(2)}).",
                f"{n(f.value('cp_conferences_held'))} child protection conferences held "
                f"({n(f.value('cp_conferences_held', back=1))} in {f.label(1)}); initial conferences on time "
                f"{pct(f.fig('icpc_on_time'))}, review conferences on time {pct(f.fig('rcpc_on_time'))}.",
                f"{n(f.value('cp_plans_at_end'))} children on a child protection plan at {f.end_words()} "
                f"({n(f.value('cp_plans_at_end', back=1))} a year earlier); repeat plans "
                f"{pct(f.fig('cp_repeat_plans'))}.",
                f"{n(f.value('hsb_referrals'))} harmful sexual behaviour referrals and "
                f"{n(f.value('hsb_meetings_held'))} HSB meetings.",
            ]
        ),
    ]


# --- 4: the IRO service ----------------------------------------------------------------------


def _iro_service(f: ReportFigures) -> Blocks:
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


# --- 5: children in care ---------------------------------------------------------------------


def _population(f: ReportFigures) -> Blocks:
    years = list(range(5, -1, -1))
    labels = [f"31 Mar {f.year_end - back}" for back in years]
    values = [f.value("cic_at_end", back=back) for back in years]
    first, last = values[0], values[-1]
    trend = (
        "risen" if (last or 0) > (first or 0) else "fallen" if (last or 0) < (first or 0) else "held steady"
    )
    rows = [[label, n(value)] for label, value in zip(labels, values, strict=True)]
    blocks = [
        paragraph(
            f"The number of children in care has {trend} over the last six years, from {n(first)} at "
            f"31 March {f.year_end - 5} to {n(last)} at {f.end_words()}. During the year "
            f"{n(f.value('cic_started'))} children started to be looked after and {n(f.value('cic_ceased'))} "
            f"left care; {n(f.value('cic_s20_at_end'))} of those in care at the year end were accommodated "
            "under section 20 (voluntary accommodation)."
        ),
        chart(
            title="Children in care at 31 March",
            alt=f"Line chart of children in care at 31 March from {f.year_end - 5} to {f.year_end}: "
            + ", ".join(f"{label} {n(value)}" for label, value in zip(labels, values, strict=True))
            + ".",
            points=[
                {"date": f"{f.year_end - back}-03-31", "value": value}
                for back, value in zip(years, values, strict=True)
            ],
            unit="count",
            data=table("Children in care at 31 March", ["Date", "Children in care"], rows),
            comparators=f.comparator_lines("cic_at_end"),
        ),
    ]
    others = f.comparators("cic_at_end")
    if others:
        blocks.append(
            table(
                "Children in care beside comparators",
                ["", "Children in care"],
                comparator_rows(f, "cic_at_end", n(last)),
            )
        )
    return blocks


def _reviews_held(f: ReportFigures) -> Blocks:
    held, before = f.value("lac_reviews_held"), f.value("lac_reviews_held", back=1)
    return [
        paragraph(
            f"The number of review meetings held for children from {f.period_words()} totalled "
            f"{n(held)}, compared with {n(before)} in {f.label(1)}."
        ),
        table(
            "LAC reviews held",
            ["Year", "Reviews held"],
            [[f.label(back), n(f.value("lac_reviews_held", back=back))] for back in (0, 1, 2)],
        ),
    ]


def _timeliness(f: ReportFigures) -> Blocks:
    on_time = f.fig("lac_reviews_on_time")
    late = f.value("lac_reviews_late")
    return [
        paragraph(
            f"{pct(on_time)} of LAC reviews ({n(on_time['numerator'])} of {n(on_time['denominator'])}) were held "
            f"on time. There were {n(late)} reviews that did not take place in time over the year. "
            f"At {f.end_words()}, {n(f.value('lac_reviews_overdue_at_end'))} children in care had a review "
            "overdue."
        ),
        table(
            "Timeliness of LAC reviews",
            ["Year", "Held", "On time", "Late", "On time (%)"],
            [
                [
                    f.label(back),
                    n(f.fig("lac_reviews_on_time", back=back)["denominator"]),
                    n(f.fig("lac_reviews_on_time", back=back)["numerator"]),
                    n(f.value("lac_reviews_late", back=back)),
                    pct(f.fig("lac_reviews_on_time", back=back)),
                ]
                for back in (0, 1)
            ],
        ),
        *(
            [
                table(
                    "Review timeliness beside comparators",
                    ["", "On time"],
                    comparator_rows(f, "lac_reviews_on_time", pct(on_time)),
                )
            ]
            if f.comparators("lac_reviews_on_time")
            else []
        ),
    ]


PN_CODES = ["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7", "PN0"]


def _participation(f: ReportFigures) -> Blocks:
    years = (0, 1, 2)
    codes = {back: f.value("lac_participation_codes", back=back) or {} for back in years}
    rows = [
        [f"{code} {code_label('REVIEW_CODE', code) or ''}".strip()]
        + [n(codes[back].get(code, 0)) for back in years]
        for code in PN_CODES
    ]
    overall = [f.fig("lac_participation", back=back) for back in years]
    return [
        paragraph(
            f"Overall, {pct(overall[0])} of children and young people aged 4 and over participated in their LAC "
            f"review in {f.label()}, compared with {pct(overall[1])} in {f.label(1)} and {pct(overall[2])} in "
            f"{f.label(2)}. PN0 counts children under 4, who are left out of the percentage; PN7 those who did "
            "not attend or convey their views."
        ),
        table(
            "Participation in LAC reviews by code",
            ["Participation code", f.label(), f.label(1), f.label(2)],
            rows,
            total=["Participated (PN1 to PN6 of PN1 to PN7)"] + [pct(figure) for figure in overall],
        ),
        chart(
            title="Participation in LAC reviews",
            alt="Line chart of the share of children aged 4 and over who participated in their review: "
            + ", ".join(f"{f.label(back)} {pct(overall[back])}" for back in (2, 1, 0))
            + ".",
            points=[
                {"date": f"{f.year_end - back}-03-31", **_rate_point(overall[back])} for back in (2, 1, 0)
            ],
            unit="%",
            comparators=f.comparator_lines("lac_participation"),
            data=table(
                "Participation by year",
                ["Year", "Participated"],
                [[f.label(back), pct(overall[back])] for back in (2, 1, 0)],
            ),
        ),
    ]


def _records(f: ReportFigures) -> Blocks:
    points = f.value("lac_records_out_of_timescale") or []
    on_time = f.fig("lac_records_on_time")
    labels = [f.month_words(point["date"]) for point in points]
    return [
        paragraph(
            f"{pct(on_time)} of LAC review records ({n(on_time['numerator'])} of {n(on_time['denominator'])}) were "
            "distributed within timescale. The number of records out of timescale at each month end was:"
        ),
        table(
            "LAC review records out of timescale at each month end",
            ["Month end", "Records out of timescale"],
            [[label, n(point["value"])] for label, point in zip(labels, points, strict=True)],
        ),
        chart(
            title="LAC review records out of timescale",
            alt="Line chart of LAC review records out of timescale at each month end: "
            + ", ".join(f"{label} {n(point['value'])}" for label, point in zip(labels, points, strict=True))
            + ".",
            points=[{"date": point["date"], "value": point["value"]} for point in points],
            unit="count",
            data=None,  # the table above holds the same figures
        ),
    ]


def _social_work_reports(f: ReportFigures) -> Blocks:
    year, before = f.fig("lac_sw_reports_on_time"), f.fig("lac_sw_reports_on_time", back=1)
    months = f.monthly("lac_sw_reports_on_time")
    return [
        paragraph(
            f"{pct(year)} of social workers' reports for LAC reviews were available in time in {f.label()}, "
            f"compared with {pct(before)} in {f.label(1)}."
        ),
        table(
            "Social workers' reports available in time, by month",
            ["Month", "Reviews", "Reports in time", "In time (%)"],
            [
                [label, n(figure["denominator"]), n(figure["numerator"]), pct(figure)]
                for label, figure in months
            ],
            total=[f"{f.label()} as a whole", n(year["denominator"]), n(year["numerator"]), pct(year)],
        ),
        chart(
            title="Social workers' reports in time",
            alt="Line chart of the share of social workers' reports available in time each month: "
            + ", ".join(f"{label} {pct(figure)}" for label, figure in months)
            + ".",
            points=[
                {"date": end, **_rate_point(figure)}
                for end, (_, figure) in zip(f.month_ends(), months, strict=True)
            ],
            unit="%",
            comparators=f.comparator_lines("lac_sw_reports_on_time"),
            data=None,  # the table above holds the same figures
        ),
    ]


def _qa_alerts(context: str) -> Callable[[ReportFigures], Blocks]:
    def build(f: ReportFigures) -> Blocks:
        raised = (f.value("qa_alerts_raised") or {}).get(context, {})
        categories = (f.value("qa_concern_categories") or {}).get(context, {})
        names = f.concern_category_names()
        good, concern = raised.get("good_practice", 0), raised.get("concern", 0)
        rows = [[names.get(code, code), n(number)] for code, number in categories.items() if number]
        return [
            paragraph(
                f"IROs raised {n(good + concern)} QA alerts about "
                + ("children in care" if context == "cic" else "children on child protection plans")
                + f" in {f.label()}: {n(good)} for good practice and {n(concern)} for concern."
            ),
            table(
                "Concerns raised in QA alerts, by category",
                ["Category of concern", "Alerts"],
                rows or [["No concerns raised", "0"]],
            ),
            paragraph("An alert may raise more than one category of concern; it counts once in each."),
        ]

    return build


def _qa_responses(f: ReportFigures) -> Blocks:
    on_time = f.fig("qa_responses_on_time")
    stages = f.value("qa_alerts_escalated") or {}
    names = f.stage_names()
    return [
        paragraph(
            f"{pct(on_time)} of QA alerts had their first response by the date it was due "
            f"({n(on_time['numerator'])} of {n(on_time['denominator'])}). At {f.end_words()}, "
            f"{n(f.value('qa_alerts_open_at_end'))} concern alerts were not yet resolved."
        ),
        table(
            "QA alerts by the highest stage of escalation they reached",
            ["Stage", "Alerts"],
            [
                [names.get(stage, f"Stage {stage}"), n(number)]
                for stage, number in stages.items()
                if stage.isdigit()
            ],
        ),
    ]


def _challenge(f: ReportFigures) -> Blocks:
    meetings = f.value("qa_challenge_meetings")
    themes = f.value("qa_challenge_themes") or {}
    blocks = [
        paragraph(f"{n(meetings)} challenge meetings with the assistant director were held in {f.label()}.")
    ]
    if themes:
        blocks.append(paragraph("The issues and themes considered included:"))
        blocks.append(bullets(list(themes)))
    return blocks


def _cafcass(f: ReportFigures) -> Blocks:
    referrals = f.value("qa_referrals") or {}
    return [
        paragraph(
            f"{n(f.value('lac_cafcass_involvements'))} children in care had a Cafcass Children's Guardian during "
            f"the year. IROs referred {n(f.value('lac_legal_advice_referrals'))} children for independent legal "
            f"advice; QA alerts led to {n(referrals.get('cafcass', 0))} referrals to Cafcass and "
            f"{n(referrals.get('legal_advice', 0))} for legal advice."
        )
    ]


# --- 6: child protection ---------------------------------------------------------------------


def _conferences(f: ReportFigures) -> Blocks:
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


def _plans(f: ReportFigures) -> Blocks:
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


def _repeat_plans(f: ReportFigures) -> Blocks:
    repeat = f.fig("cp_repeat_plans")
    blocks = [
        paragraph(
            f"{pct(repeat)} of the plans started in {f.label()} ({n(repeat['numerator'])} of "
            f"{n(repeat['denominator'])}) were for a child who had been on a plan before; "
            f"{pct(f.fig('cp_repeat_plans_2y'))} within two years of the earlier plan ending "
            f"({pct(f.fig('cp_repeat_plans', back=1))} in {f.label(1)})."
        )
    ]
    if f.comparators("cp_repeat_plans"):
        blocks.append(
            table(
                "Repeat child protection plans beside comparators",
                ["", "Repeat plans"],
                comparator_rows(f, "cp_repeat_plans", pct(repeat)),
            )
        )
    return blocks


def _categories(f: ReportFigures) -> Blocks:
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


def _plans_ending(f: ReportFigures) -> Blocks:
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
                [
                    "Plans ended within 3 months",
                    n(f.value("cp_plans_ended_under_3_months")),
                    n(f.value("cp_plans_ended_under_3_months", back=1)),
                ],
                [
                    "Plans ended after 2 years or more",
                    pct(long),
                    pct(f.fig("cp_plans_ended_2_years_plus", back=1)),
                ],
                [
                    "Open 9 months or more at 31 March",
                    n(f.value("cp_plans_open_9_months_plus")),
                    n(f.value("cp_plans_open_9_months_plus", back=1)),
                ],
                [
                    "Open 2 years or more at 31 March",
                    n(f.value("cp_plans_open_2_years_plus")),
                    n(f.value("cp_plans_open_2_years_plus", back=1)),
                ],
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


def _characteristics(f: ReportFigures) -> Blocks:
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


def _conference_performance(f: ReportFigures) -> Blocks:
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
                [
                    "Initial conferences within 15 working days of the strategy discussion",
                    pct(icpc),
                    pct(f.fig("icpc_on_time", back=1)),
                ],
                [
                    "Initial conferences within 15 working days of the section 47 enquiry starting",
                    pct(f.fig("icpc_within_15wd_of_s47")),
                    pct(f.fig("icpc_within_15wd_of_s47", back=1)),
                ],
                ["Review conferences within timescale", pct(rcpc), pct(f.fig("rcpc_on_time", back=1))],
            ],
        ),
        *(
            [
                table(
                    "Initial conference timeliness beside comparators",
                    ["", "On time"],
                    comparator_rows(f, "icpc_on_time", pct(icpc)),
                )
            ]
            if f.comparators("icpc_on_time")
            else []
        ),
    ]


def _conference_reports(f: ReportFigures) -> Blocks:
    parents, chair, review = (
        f.fig("icpc_parent_reports_on_time"),
        f.fig("icpc_chair_reports_on_time"),
        f.fig("rcpc_reports_on_time"),
    )
    return [
        paragraph(
            f"Parents received the social worker's report in time for {pct(parents)} of initial conferences and "
            f"{pct(review)} of review conferences."
        ),
        table(
            "Social workers' reports for conferences in time",
            ["", f.label(), f.label(1)],
            [
                [
                    "Initial: report with parents 2 working days before",
                    pct(parents),
                    pct(f.fig("icpc_parent_reports_on_time", back=1)),
                ],
                [
                    "Initial: report with the chair 1 working day before",
                    pct(chair),
                    pct(f.fig("icpc_chair_reports_on_time", back=1)),
                ],
                [
                    "Review: report with parents and chair 3 working days before",
                    pct(review),
                    pct(f.fig("rcpc_reports_on_time", back=1)),
                ],
            ],
        ),
    ]


def _conference_records(f: ReportFigures) -> Blocks:
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
                [
                    "Records distributed within timescale",
                    pct(records),
                    pct(f.fig("cp_records_on_time", back=1)),
                ],
                [
                    "Same chair as the previous conference",
                    pct(continuity),
                    pct(f.fig("cp_chair_continuity", back=1)),
                ],
            ],
        ),
    ]


def _agencies(f: ReportFigures) -> Blocks:
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


def _appeals(f: ReportFigures) -> Blocks:
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


# --- 7: harmful sexual behaviour -------------------------------------------------------------


def _hsb(f: ReportFigures) -> Blocks:
    ethnicity = f.value("hsb_referrals_by_ethnicity") or {}
    referrals = f.value("hsb_referrals")
    ratings = f.value("hsb_referrals_by_rating") or {}
    return [
        paragraph(
            f"Over the reporting period, the HSB lead received {n(referrals)} referrals. From these, "
            f"{n(f.value('hsb_meetings_held'))} HSB meetings were held and {n(f.value('hsb_below_threshold'))} did "
            f"not meet the threshold. {n(f.value('hsb_meetings_children_in_care'))} of the children subject to an "
            f"HSB meeting were children in care. In {f.label(1)}, {n(f.value('hsb_meetings_held', back=1))} HSB "
            "meetings were held."
        ),
        table(
            "Harmful sexual behaviour referrals and meetings",
            ["", f.label(), f.label(1)],
            [
                ["Referrals received", n(referrals), n(f.value("hsb_referrals", back=1))],
                [
                    "HSB meetings held",
                    n(f.value("hsb_meetings_held")),
                    n(f.value("hsb_meetings_held", back=1)),
                ],
                [
                    "Referrals below the threshold",
                    n(f.value("hsb_below_threshold")),
                    n(f.value("hsb_below_threshold", back=1)),
                ],
                [
                    "Children at meetings who were in care",
                    n(f.value("hsb_meetings_children_in_care")),
                    n(f.value("hsb_meetings_children_in_care", back=1)),
                ],
            ],
        ),
        table(
            "Referrals by Brook traffic light rating",
            ["Rating", "Referrals"],
            [[rating.replace("_", " ").capitalize(), n(number)] for rating, number in ratings.items()],
        ),
        table(
            "Referrals by the child's ethnicity",
            ["Ethnicity", "Referrals"],
            [[code_label("ethnicity", code) or code, n(number)] for code, number in ethnicity.items()]
            or [["No referrals", "0"]],
        ),
    ]


def _hsb_training(f: ReportFigures) -> Blocks:
    courses = f.value("hsb_training_completed") or {}
    labels = dict(Course.choices)
    return [
        table(
            "HSB courses completed in the year",
            ["Course", "Completed"],
            [[labels.get(code, code), n(number)] for code, number in courses.items()],
            total=["All courses", n(sum(courses.values()))],
        )
    ]


# --- 8: recommendations ----------------------------------------------------------------------


def _progress(f: ReportFigures) -> Blocks:
    rows = f.progress()
    if not rows:
        return [paragraph(f"The {f.label(1)} report made no recommendations recorded here.")]
    return [
        table(
            f"Progress on the recommendations of the {f.label(1)} report",
            ["Recommendation", "Progress", "What has happened"],
            [[f"{row['number']}. {row['text']}", row["status"], row["note"] or DASH] for row in rows],
        )
    ]


def _recommendations(f: ReportFigures) -> Blocks:
    rows = f.recommendations()
    if not rows:
        return [paragraph("No recommendations have been written yet.")]
    return [{"type": "numbered", "items": [row["text"] for row in rows]}]


SECTIONS: list[Section] = [
    Section(
        "summary", "1", "Executive summary", 1, _headlines, "Why the report matters and the year in brief."
    ),
    Section("working-well", "1.1", "What is working well", 2, None, "The strengths of the year."),
    Section("worried", "1.2", "What we are worried about", 2, None, "The challenges of the year."),
    Section("needs-to-happen", "1.3", "What needs to happen", 2, None, "The areas for improvement."),
    Section(
        "introduction", "2", "Introduction", 1, None, "Where the IRO service sits and what this report does."
    ),
    Section(
        "context",
        "3",
        "Context",
        1,
        None,
        "The legal framework: the Care Planning Regulations, the IRO Handbook, Working Together.",
    ),
    Section(
        "iro-service",
        "4",
        "The IRO service",
        1,
        _iro_service,
        "Staffing, sufficiency, caseloads, expertise and training.",
    ),
    Section("children-in-care", "5", "Children in care", 1, None, "The IRO's work for children in care."),
    Section("cic-population", "5.1", "The children in care population", 2, _population),
    Section("cic-reviews", "5.2", "LAC reviews held", 2, _reviews_held),
    Section(
        "cic-timeliness", "5.3", "Timeliness of LAC reviews", 2, _timeliness, "Explain every late review."
    ),
    Section("cic-participation", "5.4", "Participation", 2, _participation),
    Section("cic-records", "5.5", "LAC review records", 2, _records),
    Section("cic-sw-reports", "5.6", "Social workers' reports for LAC reviews", 2, _social_work_reports),
    Section("cic-permanence", "5.7", "Permanence", 2, None, "Permanence planning and the IRO's part in it."),
    Section("cic-qa-alerts", "5.8", "IRO challenge and escalation: QA alerts", 2, _qa_alerts("cic")),
    Section("qa-responses", "5.9", "Responses to QA alerts", 2, _qa_responses),
    Section("challenge-meetings", "5.10", "Challenge meetings", 2, _challenge),
    Section("cafcass", "5.11", "Cafcass and independent legal advice", 2, _cafcass),
    Section("child-protection", "6", "Child protection", 1, None, "The IRO's work as conference chair."),
    Section("cp-conferences", "6.1", "Conference activity", 2, _conferences),
    Section("cp-plans", "6.2", "Numbers of child protection plans", 2, _plans),
    Section("cp-repeat", "6.3", "Repeat child protection plans", 2, _repeat_plans),
    Section("cp-categories", "6.4", "Categories of abuse", 2, _categories),
    Section(
        "cp-plan-length", "6.5", "Plans ending and length of plans", 2, _plans_ending, "The 9-month reviews."
    ),
    Section("cp-characteristics", "6.6", "Children's characteristics", 2, _characteristics),
    Section("cp-performance", "6.7", "Conference performance", 2, _conference_performance),
    Section("cp-reports", "6.8", "Social work conference reports", 2, _conference_reports),
    Section("cp-records", "6.9", "Conference records and chairs", 2, _conference_records),
    Section("cp-agencies", "6.10", "Agency contribution and participation", 2, _agencies),
    Section("cp-qa-alerts", "6.11", "Challenge and escalation: QA alerts", 2, _qa_alerts("cp")),
    Section("cp-appeals", "6.12", "Appeals and complaints", 2, _appeals),
    Section("hsb", "7", "Harmful sexual behaviour", 1, None, "The HSB pathway and its development."),
    Section("hsb-referrals", "7.1", "Referrals and HSB meetings", 2, _hsb),
    Section("hsb-training", "7.2", "Training and workforce development", 2, _hsb_training),
    Section("recommendations", "8", "Recommendations", 1, None),
    Section("progress", "8.1", "Progress on last year's recommendations", 2, _progress),
    Section("next-year", "8.2", "Recommendations for the year ahead", 2, _recommendations),
]

SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}

# Words every council's report says in much the same way (the statutory framework), written
# into a new report's first draft for managers to edit; "{council}" is the council's name.
STARTING_TEXTS = {
    "introduction": (
        "The Independent Reviewing Officer (IRO) service of {council} sits apart from the line management "
        "of the social work teams and of the resources for children in care, so that it can oversee their "
        "work independently. IROs chair the LAC reviews of children in care and the child protection "
        "conferences of children at risk of significant harm, and oversee the plans made for them.\n\n"
        "This report looks at how well the council has met its responsibilities to those children over the "
        "year: where practice is good, where it needs to improve, and the themes and trends the IROs have "
        "seen. It goes to the Corporate Parenting Board and the Overview and Scrutiny Committee, and is "
        "published."
    ),
    "context": (
        "The IRO's role for children in care is set by the Care Planning, Placement and Case Review "
        "(England) Regulations 2010 and the IRO Handbook. The appointment of an IRO for every child in care "
        "is required by section 118 of the Adoption and Children Act 2002. The Handbook asks for an annual "
        "report, for scrutiny by the Corporate Parenting Board; this report follows the content it "
        "prescribes.\n\n"
        "Where an IRO is concerned about the council's care of a child, they may refer the child's case to "
        "Cafcass, and may seek independent legal advice. For children subject to child protection "
        "conferences and plans, the statutory guidance is Working Together to Safeguard Children."
    ),
}
