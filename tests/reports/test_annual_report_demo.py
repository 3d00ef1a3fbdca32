"""The demo county's 2016-17 annual report, written by ``manage.py annual_report --year 2017``:
its Word and PDF documents print the seed's figures (docs/seed-figures.md), read back from the
files themselves (python-docx, pdftotext and pypdf); its structure is what a committee expects;
finalising freezes it against later changes to the records; and the same version assembled
twice gives the same files, byte for byte."""

from __future__ import annotations

import io
import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document as WordDocument
from docx.oxml.ns import qn
from pypdf import PdfReader

from reports.annual import services
from reports.models import AnnualReport, RunStatus
from reviews.models import LacReview

pytestmark = pytest.mark.django_db


def _docx_text(source: Path | io.BytesIO) -> str:
    document = WordDocument(str(source) if isinstance(source, Path) else source)
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def written(demo_database, django_db_blocker, tmp_path_factory):
    """The command's three files for 2016-17: the demo's draft, as its managers wrote it
    (reports/demo.py)."""
    folder = tmp_path_factory.mktemp("annual-report")
    with django_db_blocker.unblock():
        out = StringIO()
        call_command("annual_report", "--year", "2017", "--out", str(folder), stdout=out)
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", str(folder / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    return {
        "folder": folder,
        "output": out.getvalue(),
        "docx": _docx_text(folder / "report.docx"),
        "pdf": pdf_text,
        "pypdf": "\n".join(page.extract_text() for page in PdfReader(folder / "report.pdf").pages),
    }


# The seed's figures (docs/seed-figures.md), as the report prints them, each with its section.
SEED_FIGURES = [
    "12.66 full-time equivalent",  # 4.2: 12.66 FTE
    "14 individual IROs: 12 permanent and 2 agency",  # 4.2
    "totalled 1,404",  # 5.2: 1404 reviews
    "6 reviews that did not take place in time",  # 5.4
    "95.3% of children and young people",  # 5.5.4: 95.3%, 90.2%, 92.5%
    "compared with 90.2% in 2015-16 and 92.5% in 2014-15",
    "56.3% of social workers' reports",  # 5.7.1: 56.3% against 51.5%
    "compared with 51.5% in 2015-16",
    "16 for good practice and 61 for concern",  # 5.9.2: children in care
    "13 for good practice and 72 for concern",  # 6.13: child protection
    "was 907, compared with 817",  # 6.1
    "about 17 a week",  # 6.1: approx. 17 per week
    "434 children were subject to a child protection plan",  # 6.2
    "compared with 347 a year earlier",
    "18.7% of the plans started",  # 6.3
    "19 (2.1%) had to be stood down",  # 6.7: 19 (2%; 19 of 926 is 2.05%)
    "100.0% of review conferences were held within timescale",  # 6.7
    "96.4% of initial conferences",  # 6.7: 96.4% against 83%
    "49.4% of initial conferences and 42.3% of review conferences",  # 6.9
    "received 41 referrals",  # 7.3.2
    "21 HSB meetings were held and 20 did not meet the threshold",
    "13 of the children subject to an HSB meeting were children in care",
    "35 HSB meetings were held",  # 7.3.2: the previous period
    "4 challenge meetings",  # 5.10.3: the 4 meetings
]

# Table rows: the month-end backlog of 5.6.1, the conference types of 6.1 (this year and last),
# the multiple categories of 6.5 and the concern categories of 6.13.
SEED_ROWS = [
    ("September 2016", "112"),
    ("October 2016", "51"),
    ("November 2016", "10"),
    ("January 2017", "45"),
    ("February 2017", "35"),
    ("March 2017", "44"),
    ("Initial pre-birth", "54", "35"),
    ("1st Review", "249", "220"),
    ("Subsequent Review", "323", "356"),
    ("End Q1 2015-16", "343", "156", "45.5%"),
    ("End Q4 2016-17", "434", "20", "4.6%"),
    ("End Q2 2016-17", "374", "32", "8.6%"),  # the seed's 8.5% is 32/374 = 8.56, so 8.6 to 1 dp
]


@pytest.mark.parametrize("document", ["docx", "pdf", "pypdf"])
def test_the_2016_17_report_prints_the_seeds_figures(written, document):
    text = _flat(written[document])
    missing = [figure for figure in SEED_FIGURES if figure not in text]
    assert missing == []


@pytest.mark.parametrize("document", ["docx", "pdf"])
def test_the_2016_17_report_prints_the_seeds_table_rows(written, document):
    text = written[document]
    missing = []
    for row in SEED_ROWS:
        # A table row: its cells in order on one line (" | " between Word's cells, spaces in the PDF).
        pattern = r"\s*(\|\s*)?".join(re.escape(cell) for cell in row)
        if not re.search(pattern, text):
            missing.append(row)
    assert missing == []


def test_the_participation_table_has_three_years_of_codes(written):
    # Seed 5.5.3: the PN table with the three years. 2016-17's codes from the demo: PN1 599,
    # PN7 54, PN0 254; PN1-PN6 1096 of PN1-PN7 1150 = 95.3%.
    text = written["docx"]
    assert re.search(r"PN1 Child physically attends and speaks for him or herself \| 599 \| \d+ \| \d+", text)
    assert re.search(r"Participated \(PN1 to PN6 of PN1 to PN7\) \| 95.3% \| 90.2% \| 92.5%", text)


def test_the_command_says_what_it_wrote(written):
    assert "IRO annual report 2016-17, version 1 (draft): wrote" in written["output"]
    assert sorted(path.name for path in written["folder"].iterdir()) == [
        "report.docx",
        "report.html",
        "report.pdf",
    ]


def test_the_demo_draft_reads_like_the_seed_with_its_managers_words_and_recommendations(written):
    """The demo's 2016-17 draft has the managers' words where the figures leave off (what is
    working well, what we are worried about, what needs to happen, and beside the figures), its
    recommendations for the year ahead as a list Word numbers, and the seed's comparators beside
    the figures they compare with."""
    document = WordDocument(str(written["folder"] / "report.docx"))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    texts = [text for _, text in paragraphs]
    index = texts.index("1.1 What is working well")
    assert paragraphs[index + 1][0] == "List Bullet"
    assert "More children and young people took part in their reviews" in paragraphs[index + 3][1]
    assert not any(text.startswith("Text to be written") for text in texts[: texts.index("2 Introduction")])
    recommendations = [text for style, text in paragraphs if style == "List Number"]
    assert len(recommendations) == 10
    assert recommendations[0].startswith("Recruit to the two new permanent IRO posts")
    text = _flat(written["pdf"])
    assert "Repeat child protection plans: our figures beside comparators, 2016-17" in text
    assert "18.1%" in text and "8.0%" in text


def test_the_word_document_is_built_of_word_structures(written, settings):
    document = WordDocument(str(written["folder"] / "report.docx"))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    # Numbered chapters in Heading 1 and their sections in Heading 2, in the seed's order.
    assert ("Heading 1", "1 Executive summary") in headings
    assert ("Heading 2", "5.4 Participation") in headings
    assert ("Heading 1", "8 Recommendations") in headings
    chapters = [text for style, text in headings if style == "Heading 1" and text[0].isdigit()]
    assert [chapter.split()[0] for chapter in chapters] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    body = document.element.body
    # A contents field (TOC), which Word fills in; Word is asked to update fields on opening.
    assert any("TOC" in (node.text or "") for node in body.iter(qn("w:instrText")))
    assert document.settings.element.find(qn("w:updateFields")) is not None
    # Real tables, each with a header row that repeats on every page it runs to.
    assert len(document.tables) >= 30
    assert all(table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for table in document.tables)
    # The four charts as pictures, each with its alt text.
    pictures = list(body.iter(qn("wp:docPr")))
    assert len(pictures) == 4
    assert all(picture.get("descr", "").startswith("Line chart of") for picture in pictures)
    # The council's name from settings, on the cover and in the page header.
    assert document.paragraphs[0].text == settings.COUNCIL_NAME
    assert settings.COUNCIL_NAME in document.sections[0].header.paragraphs[0].text


def test_the_pdf_has_page_numbers_and_a_contents_page_with_page_references(written):
    reader = PdfReader(written["folder"] / "report.pdf")
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    assert total >= 15
    assert f"Page 2 of {total}" in pages[1]
    # The contents page gives each section's page, and that page has the section's heading.
    contents = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", str(written["folder"] / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for number, title in (
        ("5.4", "Participation"),
        ("6.1", "Conference activity"),
        ("7.1", "Referrals and HSB"),
    ):
        line = next(
            line for line in contents.splitlines() if re.search(rf"{re.escape(number)}\s+{title}", line)
        )
        page = int(line.split()[-1].lstrip("."))
        assert f"{number} {title}" in " ".join(pages[page - 1].split()), (number, page)


def test_finalising_freezes_the_figures_and_a_new_version_reads_them_live(
    written, demo_database, manager_user
):
    """GIVEN the 2016-17 draft, finalised and its documents assembled
    WHEN the records change (20 reviews coded PN1, children who speak for themselves, recoded PN7)
    and the finalised version is assembled again
    THEN its documents are the same bytes, still saying 95.3%
    WHEN a new version is started from it
    THEN the new draft reads the changed records: 1076 of 1150 = 93.6%."""
    report = AnnualReport.objects.get(year_end=2017)
    version = report.versions.get(number=1)
    run = services.version_finalise(version=version, user=manager_user)
    # The test's transaction never commits, so the job is run here, as the worker would.
    services.annual_report_run_execute(run_pk=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    first = {fmt: bytes(getattr(run, fmt)) for fmt in ("html", "docx", "pdf")}

    recoded = LacReview.objects.filter(
        participation_code="PN1", review_date__range=("2016-04-01", "2017-03-31")
    ).order_by("pk")[:20]
    assert LacReview.objects.filter(pk__in=[r.pk for r in recoded]).update(participation_code="PN7") == 20

    again = services.annual_report_generate_now(version=version)
    assert again.status == RunStatus.DONE
    assert {fmt: bytes(getattr(again, fmt)) for fmt in ("html", "docx", "pdf")} == first
    assert "95.3% of children and young people" in _flat(_docx_text(io.BytesIO(first["docx"])))

    draft = services.version_start_from(version=version, user=manager_user)
    live = services.annual_report_generate_now(version=draft)
    assert "93.6% of children and young people" in _flat(_docx_text(io.BytesIO(bytes(live.docx))))
