"""Section 1 of the annual report: the executive summary's headline figures of the year."""

from __future__ import annotations

from reports.annual.figures import ReportFigures
from reports.annual.sections.blocks import (
    Blocks,
    bullets,
    n,
    paragraph,
    pct,
)


def headlines(f: ReportFigures) -> Blocks:
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
