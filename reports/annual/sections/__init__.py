"""The sections of the IRO annual report, in the order of the IRO Handbook and the council's own
reports: executive summary, introduction, context, the IRO service, children in care, child
protection, harmful sexual behaviour and recommendations.

Each section turns the year's figures (``ReportFigures``: the figures service, for the year and
the years before it) into blocks: paragraphs that state the figures, tables, charts (with their
data table and alt text) and lists. Blocks are plain JSON, so that a finalised report keeps them
as they were (the snapshot) and the three documents are drawn from the same blocks. The text
managers write for a section is kept apart (``AnnualReportText``) and placed after its blocks.

This module lists the sections in order; each part of the report builds its sections in a
module of its own (summary, staffing, children_in_care, child_protection, hsb,
recommendations), from the pieces in ``blocks``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reports.annual.figures import ReportFigures
from reports.annual.sections import child_protection as cp
from reports.annual.sections import children_in_care as cic
from reports.annual.sections import hsb, recommendations, staffing, summary
from reports.annual.sections.blocks import Blocks, comparators_table, pct

__all__ = ["SECTIONS", "SECTIONS_BY_KEY", "STARTING_TEXTS", "Section", "pct"]


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
    # Whether the comparators of the figures it prints follow its blocks (the summary's headline
    # figures have theirs in the sections that follow).
    compared: bool = True

    def blocks(self, figures: ReportFigures) -> Blocks:
        """The section's blocks from the figures, with the comparators managers entered for the
        figures it prints in a table after them."""
        if self.build is None:
            return []
        figures.reading_start()
        blocks = self.build(figures)
        compared = comparators_table(figures, self.title, figures.read()) if self.compared else None
        return blocks + ([compared] if compared else [])

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"


SECTIONS: list[Section] = [
    Section(
        "summary",
        "1",
        "Executive summary",
        1,
        summary.headlines,
        "Why the report matters and the year in brief.",
        compared=False,
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
        staffing.staffing,
        "Staffing, sufficiency, caseloads, expertise and training.",
    ),
    Section("children-in-care", "5", "Children in care", 1, None, "The IRO's work for children in care."),
    Section("cic-population", "5.1", "The children in care population", 2, cic.population),
    Section("cic-reviews", "5.2", "LAC reviews held", 2, cic.reviews_held),
    Section(
        "cic-timeliness", "5.3", "Timeliness of LAC reviews", 2, cic.timeliness, "Explain every late review."
    ),
    Section("cic-participation", "5.4", "Participation", 2, cic.participation),
    Section("cic-records", "5.5", "LAC review records", 2, cic.records),
    Section("cic-sw-reports", "5.6", "Social workers' reports for LAC reviews", 2, cic.social_work_reports),
    Section("cic-permanence", "5.7", "Permanence", 2, None, "Permanence planning and the IRO's part in it."),
    Section("cic-qa-alerts", "5.8", "IRO challenge and escalation: QA alerts", 2, cic.qa_alerts("cic")),
    Section("qa-responses", "5.9", "Responses to QA alerts", 2, cic.qa_responses),
    Section("challenge-meetings", "5.10", "Challenge meetings", 2, cic.challenge),
    Section("cafcass", "5.11", "Cafcass and independent legal advice", 2, cic.cafcass),
    Section("child-protection", "6", "Child protection", 1, None, "The IRO's work as conference chair."),
    Section("cp-conferences", "6.1", "Conference activity", 2, cp.conferences),
    Section("cp-plans", "6.2", "Numbers of child protection plans", 2, cp.plans),
    Section("cp-repeat", "6.3", "Repeat child protection plans", 2, cp.repeat_plans),
    Section("cp-categories", "6.4", "Categories of abuse", 2, cp.categories),
    Section(
        "cp-plan-length",
        "6.5",
        "Plans ending and length of plans",
        2,
        cp.plans_ending,
        "The 9-month reviews.",
    ),
    Section("cp-characteristics", "6.6", "Children's characteristics", 2, cp.characteristics),
    Section("cp-performance", "6.7", "Conference performance", 2, cp.conference_performance),
    Section("cp-reports", "6.8", "Social work conference reports", 2, cp.conference_reports),
    Section("cp-records", "6.9", "Conference cic.records and chairs", 2, cp.conference_records),
    Section("cp-agencies", "6.10", "Agency contribution and participation", 2, cp.agencies),
    Section("cp-qa-alerts", "6.11", "Challenge and escalation: QA alerts", 2, cic.qa_alerts("cp")),
    Section("cp-appeals", "6.12", "Appeals and complaints", 2, cp.appeals),
    Section("hsb", "7", "Harmful sexual behaviour", 1, None, "The HSB pathway and its development."),
    Section("hsb-referrals", "7.1", "Referrals and HSB meetings", 2, hsb.hsb),
    Section("hsb-training", "7.2", "Training and workforce development", 2, hsb.hsb_training),
    Section("recommendations", "8", "Recommendations", 1, None),
    Section(
        "progress",
        "8.1",
        "Progress on last year's recommendations",
        2,
        recommendations.progress,
    ),
    Section("next-year", "8.2", "Recommendations for the year ahead", 2, recommendations.for_the_year_ahead),
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
