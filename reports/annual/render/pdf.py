"""The report as a PDF, printed by WeasyPrint from the web page's HTML with its print styles:
page numbers, a contents page with page references, chapters on new pages, and tables whose
header row repeats on each page and never stands apart from its rows."""

from __future__ import annotations

import hashlib


def render_pdf(html: str) -> bytes:
    # The file identifier is drawn from the content, not chance: the same report is the same
    # bytes. The creation date is the report's own (its dcterms meta), not the clock.
    # Imported here: WeasyPrint loads Pango and its fonts, which only the job needs.
    from weasyprint import HTML

    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    return HTML(string=html, base_url=None).write_pdf(pdf_identifier=identifier, uncompressed_pdf=False)
