"""Section 8 of the annual report: progress on last year's recommendations, and this year's."""

from __future__ import annotations

from reports.annual.figures import ReportFigures
from reports.annual.sections.blocks import (
    DASH,
    Blocks,
    paragraph,
    table,
)


def progress(f: ReportFigures) -> Blocks:
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


def for_the_year_ahead(f: ReportFigures) -> Blocks:
    rows = f.recommendations()
    if not rows:
        return [paragraph("No recommendations have been written yet.")]
    return [{"type": "numbered", "items": [row["text"] for row in rows]}]
