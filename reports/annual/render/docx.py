"""The report as a Word document (what committees receive): Word's own heading styles, so that
its navigation pane and contents work; numbered sections; a contents field that Word fills in on
opening; real tables with a header row that repeats across pages; the charts as PNG pictures
with their alt text; the council's name on the cover and in the header; page numbers."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.annual.render import Document, day_words, text_parts, trend_chart

BLUE = RGBColor(0x1D, 0x70, 0xB8)
GREY = RGBColor(0x50, 0x5A, 0x5F)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC ...) in ``paragraph``: begin, instruction, separate,
    the text shown until Word updates it, end."""

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _update_fields_on_open(document) -> None:
    # Word asks to update the contents field when the file is opened.
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _no_split(row) -> None:
    properties = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    properties.append(cant)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 12.5)):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C) if name == "Title" else BLUE
        style.paragraph_format.keep_with_next = True


def _table(document, block: dict) -> None:
    caption = document.add_paragraph(block["caption"], style="Caption")
    caption.paragraph_format.keep_with_next = True
    head, rows = block["head"], [*block["rows"], *([block["total"]] if block.get("total") else [])]
    table = document.add_table(rows=1 + len(rows), cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, text in enumerate(head):
        cell = table.rows[0].cells[index]
        cell.text = text
        cell.paragraphs[0].runs[0].font.bold = bool(text)
    _repeat_header(table.rows[0])
    for row_index, row in enumerate(rows, start=1):
        word_row = table.rows[row_index]
        _no_split(word_row)
        for index, text in enumerate(row):
            cell = word_row.cells[index]
            cell.text = str(text)
            paragraph = cell.paragraphs[0]
            if index:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if block.get("total") and row_index == len(rows):
                paragraph.runs[0].font.bold = True
    # Keep each row with the next, so a short table does not leave its first rows alone.
    for word_row in table.rows[:-1]:
        for cell in word_row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    document.add_paragraph()


def _numbered_list(document, items: list[str]) -> None:
    """A list Word numbers itself (the "List Number" style's numbering), starting at 1: a reader
    who adds or removes a recommendation in Word gets the numbers put right."""
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    # A numbering of its own, so that this list starts at 1 whatever came before it.
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    for item in items:
        paragraph = document.add_paragraph(item, style="List Number")
        numbered = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbered.get_or_add_ilvl().val = 0
        numbered.get_or_add_numId().val = num.numId


def _chart(document, block: dict) -> None:
    chart = trend_chart(block)
    document.add_picture(io.BytesIO(chart.png()), width=Cm(16))
    picture = document.paragraphs[-1]
    picture.paragraph_format.keep_with_next = True
    # Alt text: Word reads it from the drawing's description.
    for properties in picture._p.iter(qn("wp:docPr")):
        properties.set("descr", block["alt"])
        properties.set("title", block["title"])
    note = document.add_paragraph(f"{block['title']}. {chart.summary}", style="Caption")
    note.paragraph_format.keep_with_next = True
    if block.get("data"):
        _table(document, block["data"])


def _cover(document, doc: Document) -> None:
    council = document.add_paragraph()
    run = council.add_run(doc.council)
    run.font.size, run.font.bold = Pt(16), True
    document.add_paragraph()
    document.add_paragraph(
        f"Independent Reviewing Officer (IRO) service annual report {doc.label}", style="Title"
    )
    period = document.add_paragraph(f"1 April {doc.year_end - 1} to 31 March {doc.year_end}")
    period.runs[0].font.size = Pt(14)
    meta = document.add_paragraph(
        f"{doc.status}{f', version {doc.version}' if doc.version else ''}. Dated {day_words(doc.printed_on)}."
    )
    meta.runs[0].font.color.rgb = GREY
    document.add_paragraph(
        "For the Corporate Parenting Board and the Children and Families Overview and Scrutiny Committee."
    ).runs[0].font.color.rgb = GREY
    document.add_page_break()
    document.add_paragraph("Contents", style="Heading 1").paragraph_format.keep_with_next = True
    _field(
        document.add_paragraph(),
        'TOC \\o "1-2" \\h \\z \\u',
        "The contents appear when Word updates the fields (it offers to when the file opens).",
    )


def _header_and_footer(document, doc: Document) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = f"{doc.council}: IRO service annual report {doc.label}"
    header.runs[0].font.size, header.runs[0].font.color.rgb = Pt(8), GREY
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def _deterministic(content: bytes, when: datetime) -> bytes:
    """The same document as the same bytes: every part of the package gets the report's date
    instead of the moment it was zipped."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda item: item.filename != "[Content_Types].xml"):
            copy = zipfile.ZipInfo(info.filename, date_time=stamp)
            copy.compress_type = zipfile.ZIP_DEFLATED
            copy.external_attr = info.external_attr
            target.writestr(copy, source.read(info.filename))
    return out.getvalue()


def render_docx(doc: Document) -> bytes:
    document = WordDocument()
    _styles(document)
    page = document.sections[0]
    page.page_height, page.page_width = Cm(29.7), Cm(21.0)
    page.left_margin = page.right_margin = Cm(2.0)
    _header_and_footer(document, doc)
    _update_fields_on_open(document)
    _cover(document, doc)
    for section in doc.sections:
        if section["level"] == 1:
            document.add_page_break()
        document.add_heading(f"{section['number']} {section['title']}", level=section["level"])
        for block in section["blocks"]:
            kind = block["type"]
            if kind == "paragraph":
                lead_in = document.add_paragraph(block["text"])
                # A sentence introducing the table after it stays on its page.
                lead_in.paragraph_format.keep_with_next = block["text"].endswith(":")
            elif kind == "bullets":
                for item in block["items"]:
                    document.add_paragraph(item, style="List Bullet")
            elif kind == "numbered":
                _numbered_list(document, block["items"])
            elif kind == "table":
                _table(document, block)
            elif kind == "chart":
                _chart(document, block)
        if section.get("placeholder"):
            note = document.add_paragraph(f"Text to be written: {section['placeholder']}")
            note.runs[0].font.italic, note.runs[0].font.color.rgb = True, GREY
        for part in text_parts(section.get("text", "")):
            if part["kind"] == "list":
                for item in part["items"]:
                    document.add_paragraph(item, style="List Bullet")
            else:
                document.add_paragraph(part["text"])
    when = datetime.combine(doc.printed_on, time(12, 0))
    properties = document.core_properties
    properties.title = doc.title
    properties.author = properties.last_modified_by = doc.council
    properties.subject = f"IRO service annual report {doc.label}"
    properties.created = properties.modified = when
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic(buffer.getvalue(), when)
