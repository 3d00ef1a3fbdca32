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


def _html_table(html: str, caption: str) -> list[list[str]]:
    """The rows of the web page's table with ``caption``, each a list of its cells' text."""
    import re
    from html import escape, unescape

    start = html.index(f"<caption>{escape(caption)}</caption>")
    table = html[start : html.index("</table>", start)]
    return [
        [unescape(cell.strip()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


def test_the_participation_section_prints_the_consultations_sent_and_returned(manager_user, iro_user):
    """GIVEN Amy (14 on the day of her review) and Ben (6 on his), each with a review booked in
    10 days, and five consultations sent today: Amy (returned today), Amy's carer (returned) and
    her social worker (not returned); Ben's easy-read version and his parent (neither returned)
    WHEN this year's report is assembled
    THEN 5.4 Participation prints, worked out by hand, for this year:
      by who was asked: child 1 sent 1 returned; child (easy read) 1, 0; carer 1, 1; parent 1, 0;
        social worker 1, 0; all 5 sent, 2 returned;
      by age (the two children's consultations only): 12 to 15 1, 1 (Amy); under 8 1, 0 (Ben);
        8 to 11, 16 and over, not known 0, 0; all 2 sent, 1 returned;
      views before the review: 2 reviews consulted for, Amy's back in time, Ben's not: 1 of 2, 50.0%;
    and nothing in the years before (no consultations then): 0 sent, 0 returned, no data (the
    breakdowns show this year and last, the views three years)."""
    from datetime import timedelta

    from django.utils import timezone

    from consultations import services as consultations
    from consultations.codes import Audience, Channel
    from reviews import services as reviews
    from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
    from tests.factories.reviews import period_of_care

    today = timezone.localdate()
    chair = StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=iro_user)
    # 14 years and 30 days old today (and 10 days older at the review): 14 whichever the
    # leap years; Ben likewise 6.
    amy = ChildFactory(first_name="Amy", date_of_birth=today - timedelta(days=14 * 365 + 30))
    ben = ChildFactory(first_name="Ben", date_of_birth=today - timedelta(days=6 * 365 + 30))
    meetings = {}
    for child in (amy, ben):
        IroAllocationFactory(child=child, iro=chair, start_date=today - timedelta(days=120))
        period = period_of_care(child=child, start_date=today - timedelta(days=120))
        meetings[child] = reviews.review_meeting_book(period=period, on=today + timedelta(days=10))

    def send(child, audience):
        consultation, _ = consultations.consultation_send(
            meeting=meetings[child],
            audience=audience,
            respondent_name=child.first_name,
            channel=Channel.EMAIL,
            email="someone@example.invalid",
        )
        return consultation

    consultations.consultation_return(consultation=send(amy, Audience.CHILD))
    consultations.consultation_return(consultation=send(amy, Audience.CARER))
    send(amy, Audience.SOCIAL_WORKER)
    send(ben, Audience.CHILD_EASY_READ)
    send(ben, Audience.PARENT)

    year_end = today.year + 1 if today.month >= 4 else today.year
    version = services.annual_report_start(year_end=year_end, user=manager_user)
    run = services.annual_report_generate_now(version=version, printed_on=today)
    assert run.status == RunStatus.DONE, run.error
    run.refresh_from_db()
    html = bytes(run.html).decode()
    word = WordDocument(io.BytesIO(bytes(run.docx)))
    pdf = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(bytes(run.pdf))).pages
    )

    year, before, earlier = (f"{year_end - back - 1}-{str(year_end - back)[2:]}" for back in (0, 1, 2))
    none = ["0", "0"]  # sent and returned in the year before (the breakdowns show two years)
    by_asked = [
        ["Who was asked"] + [f"{label} {what}" for label in (year, before) for what in ("sent", "returned")],
        ["Child or young person", "1", "1", *none],
        ["Child (easy read)", "1", "0", *none],
        ["Carer", "1", "1", *none],
        ["Parent", "1", "0", *none],
        ["Social worker", "1", "0", *none],
        ["All consultations", "5", "2", *none],
    ]
    by_age = [
        ["Age", *by_asked[0][1:]],
        ["Under 8", "1", "0", *none],
        ["8 to 11", "0", "0", *none],
        ["12 to 15", "1", "1", *none],
        ["16 and over", "0", "0", *none],
        ["Age not known", "0", "0", *none],
        ["All children's consultations", "2", "1", *none],
    ]
    in_time = [
        ["Year", "Reviews consulted for", "Views received beforehand", "Received beforehand (%)"],
        [year, "2", "1", "50.0%"],
        [before, "0", "0", "no data"],
        [earlier, "0", "0", "no data"],
    ]
    assert _html_table(html, "Consultations sent and returned, by who was asked") == by_asked
    assert (
        _html_table(html, "Children's consultations sent and returned, by the child's age at the review")
        == by_age
    )
    assert _html_table(html, "Reviews with the child's views received beforehand") == in_time
    # Other sections have tables headed "Age" and "Year" too: these are among Word's tables.
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in word.tables]
    assert by_asked in tables and by_age in tables and in_time in tables
    paragraph = (
        f"In {year}, 5 consultations were sent before LAC reviews and 2 were returned. Of the 2 reviews a "
        "child was sent a consultation for, 1 (50.0%) had the child's views back by the day of the meeting, "
        f"compared with no data in {before}."
    )
    assert paragraph in " ".join(html.replace("&#x27;", "'").split())
    assert paragraph in [p.text for p in word.paragraphs]
    assert "Carer 1 1 0 0" in pdf and "All consultations 5 2 0 0" in pdf


def test_with_no_consultations_sent_the_participation_section_says_so_without_tables_of_zeros(documents):
    """The fixture sends no consultation in any year: one sentence, and none of the three
    consultation tables (each would be all zeros or "no data")."""
    sentence = (
        "No consultations were sent from the system before LAC reviews in 2016-17 or the two years "
        "before it, so there are no figures of consultations sent and returned."
    )
    assert sentence in " ".join(documents["html"].split())
    assert sentence in [p.text for p in documents["word"].paragraphs]
    assert sentence in documents["pdf"]
    for caption in (
        "Consultations sent and returned, by who was asked",
        "Children's consultations sent and returned, by the child's age at the review",
        "Reviews with the child's views received beforehand",
    ):
        assert caption not in documents["html"].replace("&#x27;", "'")
        assert caption not in documents["pdf"]
