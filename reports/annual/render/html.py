"""The report as one self-contained web page: its styles inline and its charts as SVG data
URIs (the page opens anywhere, offline, and the PDF is printed from it)."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string

from reports.annual.render import Document, day_words, text_parts, trend_chart

CSS = (Path(__file__).parent / "document.css").read_text(encoding="utf-8")


def draw_blocks(blocks: list[dict]) -> list[dict]:
    """The blocks with each chart drawn (an SVG data URI) and summed up in words."""
    drawn = []
    for block in blocks:
        if block["type"] == "chart":
            chart = trend_chart(block)
            block = {**block, "svg_uri": chart.svg_data_uri(), "summary": chart.summary}
        drawn.append(block)
    return drawn


def _sections(document: Document) -> list[dict]:
    return [
        {
            **section,
            "blocks": draw_blocks(section["blocks"]),
            "text_parts": text_parts(section.get("text", "")),
        }
        for section in document.sections
    ]


def render_html(document: Document) -> str:
    context = {
        "doc": {
            "title": document.title,
            "council": document.council,
            "label": document.label,
            "year_start": document.year_end - 1,
            "year_end": document.year_end,
            "version": document.version,
            "status": document.status,
            "printed_on": day_words(document.printed_on),
            "printed_on_iso": document.printed_on.isoformat(),
            "sections": _sections(document),
        },
        "css": CSS,
    }
    return render_to_string("reports/annual/document.html", context)
