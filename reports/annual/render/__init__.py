"""Drawing a report's sections into its three documents: the web page (HTML), Word (python-docx)
and PDF (WeasyPrint, from the web page). Every renderer reads the same document (``Document``):
the sections' blocks as assembled, or as frozen in a finalised version, with the managers' text.
The same document gives the same files: nothing here reads the clock or the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reports.charts import ChartPoint, TrendChart


@dataclass(frozen=True)
class Document:
    """What the renderers draw: the council, the year, the version, the date it is dated, and
    the sections (``{"key", "number", "title", "level", "blocks", "text"}``)."""

    council: str
    year_end: int
    version: int | None
    status: str
    printed_on: date
    sections: list[dict]

    @property
    def label(self) -> str:
        return f"{self.year_end - 1}-{str(self.year_end)[2:]}"

    @property
    def title(self) -> str:
        return f"{self.council}: IRO service annual report {self.label}"


def trend_chart(block: dict) -> TrendChart:
    """The chart of a chart block, drawn by the charts module the dashboards use."""
    return TrendChart(
        title=block["title"],
        unit="%" if block["unit"] == "%" else "count",
        points=tuple(
            ChartPoint(
                day=date.fromisoformat(point["date"]),
                value=point["value"],
                numerator=point.get("numerator"),
                denominator=point.get("denominator"),
            )
            for point in block["points"]
        ),
        comparators=tuple((name, value) for name, value in block.get("comparators", [])),
    )


def text_parts(text: str) -> list[dict]:
    """A manager's text as paragraphs and lists: a blank line starts a paragraph, and lines
    starting with "- " or "* " are a bulleted list."""
    parts: list[dict] = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line[:2] in ("- ", "* ") for line in lines):
            parts.append({"kind": "list", "items": [line[2:].strip() for line in lines]})
        else:
            parts.append({"kind": "paragraph", "text": " ".join(lines)})
    return parts


def day_words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
