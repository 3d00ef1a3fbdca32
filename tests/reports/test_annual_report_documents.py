"""The report's documents on a small database: the comparators managers enter (statistical
neighbours, England) printed beside the report's own figures in each of the three documents
(the web page, Word read with python-docx, the PDF's text read with pypdf), and the Word
document built of Word's own structures: heading styles, list numbering, pictures with alt
text, tables with header rows."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from reports.annual import services
from reports.figures import REGISTRY
from reports.models import Comparator, ComparatorSource, RunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def documents(django_db_setup, django_db_blocker):
    """The 2016-17 report assembled with three comparators entered for 2016-17 (and one for
    another year, which it must not print)."""
    from tests.factories import UserFactory

    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            user = UserFactory(username="comparator-manager")
            for key, source, value in (
                ("cp_repeat_plans", ComparatorSource.STATISTICAL_NEIGHBOURS, "18.1"),
                ("cp_repeat_plans", ComparatorSource.ENGLAND, "18.7"),
                ("icpc_on_time", ComparatorSource.ENGLAND, "77.2"),
            ):
                Comparator.objects.create(figure_key=key, year=2017, source=source, value=Decimal(value))
            Comparator.objects.create(
                figure_key="icpc_on_time", year=2016, source=ComparatorSource.ENGLAND, value=Decimal("61.9")
            )
            version = services.annual_report_start(year_end=2017, user=user)
            for text in ("Recruit two more IROs", "Make reviews more child focused", "Audit repeat plans"):
                services.recommendation_add(version=version, text=text)
            run = services.annual_report_generate_now(version=version, printed_on=date(2017, 6, 30))
            assert run.status == RunStatus.DONE, run.error
            files = {fmt: bytes(getattr(run, fmt)) for fmt in ("html", "docx", "pdf")}
            transaction.set_rollback(True)
    word = WordDocument(io.BytesIO(files["docx"]))
    return {
        "html": files["html"].decode(),
        "word": word,
        "pdf": " ".join(
            " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(files["pdf"])).pages
        ),
    }


REPEAT = REGISTRY["cp_repeat_plans"].label
ICPC = REGISTRY["icpc_on_time"].label
# With no plans or conferences in the test database, our own figures are "no data"; the
# comparators are as entered, one column a source.
REPEAT_ROW = [REPEAT, "no data", "18.1%", "18.7%"]
ICPC_ROW = [ICPC, "no data", "77.2%"]


def test_the_word_document_has_each_comparator_beside_our_figure(documents):
    tables = {}
    for table in documents["word"].tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows[0][0] == "Figure":
            tables[rows[1][0]] = rows
    repeat = tables[REPEAT]
    assert repeat[0][2:] == ["Statistical neighbours", "England"]
    assert repeat[1] == REPEAT_ROW
    icpc = tables[ICPC]
    assert icpc[0][2:] == ["England"] and icpc[1] == ICPC_ROW
    # Only this year's comparators.
    assert "61.9%" not in " ".join(cell for rows in tables.values() for row in rows for cell in row)
    captions = [p.text for p in documents["word"].paragraphs if p.style.name == "Caption"]
    assert "Repeat child protection plans: our figures beside comparators, 2016-17" in captions


def test_the_web_page_has_each_comparator_beside_our_figure(documents):
    html = " ".join(documents["html"].split())
    assert "Repeat child protection plans: our figures beside comparators, 2016-17" in html
    for cell in ("Statistical neighbours", "18.1%", "18.7%", "77.2%"):
        assert cell in html
    assert "61.9%" not in html


def test_the_pdf_has_each_comparator_beside_our_figure(documents):
    text = documents["pdf"]
    assert "Repeat child protection plans: our figures beside comparators, 2016-17" in text
    assert f"{REPEAT} no data 18.1% 18.7%" in text
    assert f"{ICPC} no data 77.2%" in text
    assert "61.9%" not in text


def test_the_recommendations_are_a_list_word_numbers(documents):
    """Numbered by Word (a numbering definition on each paragraph, starting at 1), not by
    numbers typed into the text."""
    from docx.oxml.ns import qn

    word = documents["word"]
    items = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in items] == [
        "Recruit two more IROs",
        "Make reviews more child focused",
        "Audit repeat plans",
    ]
    [num_id] = {p._p.pPr.numPr.numId.val for p in items}
    assert {p._p.pPr.numPr.ilvl.val for p in items} == {0}
    numbering = word.part.numbering_part.element
    num = numbering.num_having_numId(num_id)
    abstract = next(
        a
        for a in numbering.iterchildren(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == str(num.abstractNumId.val)
    )
    level = abstract.find(qn("w:lvl"))
    assert level.find(qn("w:numFmt")).get(qn("w:val")) == "decimal"
    assert num.find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val")) == "1"


def test_the_word_document_uses_heading_styles_pictures_with_alt_text_and_header_rows(documents):
    from docx.oxml.ns import qn

    word = documents["word"]
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "6 Child protection") in headings
    assert ("Heading 2", "6.3 Repeat child protection plans") in headings
    pictures = list(word.element.body.iter(qn("wp:docPr")))
    assert pictures and all(picture.get("descr") for picture in pictures)
    # The charts are PNG pictures.
    images = [rel.target_part for rel in word.part.rels.values() if "image" in rel.reltype]
    assert images and all(part.content_type == "image/png" for part in images)
    # Every table's first row is a header row Word repeats across pages.
    assert all(table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for table in word.tables)
