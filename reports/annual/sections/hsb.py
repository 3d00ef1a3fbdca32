"""Section 7 of the annual report: harmful sexual behaviour (referrals, meetings, training)."""

from __future__ import annotations

from hsb.codes import Course
from iro_service.core.codes import code_label
from reports.annual.figures import ReportFigures
from reports.annual.sections.blocks import (
    Blocks,
    n,
    paragraph,
    table,
    this_year_and_last,
)


def hsb(f: ReportFigures) -> Blocks:
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
                this_year_and_last(f, "Referrals received", "hsb_referrals", count=True),
                this_year_and_last(f, "HSB meetings held", "hsb_meetings_held", count=True),
                this_year_and_last(f, "Referrals below the threshold", "hsb_below_threshold", count=True),
                this_year_and_last(
                    f, "Children at meetings who were in care", "hsb_meetings_children_in_care", count=True
                ),
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


def hsb_training(f: ReportFigures) -> Blocks:
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
