"""A manager writes the IRO annual report in the real browser: starts the year's report, writes a
section beside its figures, asks for the documents, watches the job go section by section on a
page that updates itself, and downloads the PDF, the Word document and the web page. Every page
passes axe-core."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from iro_service.core.roles import Role
from reports.models import AnnualReportDownload
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def test_manager_writes_assembles_and_downloads_the_annual_report(page, live_server, tmp_path):
    """GIVEN Mina, an IRO manager, and no annual report yet
    WHEN she starts the 2016-17 report and writes what is working well
    THEN the section's page shows her text saved, beside the section's figures
    WHEN she asks for the documents
    THEN the job's page shows each section done as it goes, without reloading, then the files
    AND the PDF, the Word document and the web page download, each put in the download log."""
    UserFactory(username="mina", first_name="Mina", last_name="Patel", role=Role.IRO_MANAGER)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("mina")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#navigation").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Annual report").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IRO annual reports")
    assert_accessible(page, live_server)

    page.get_by_label("Year ending 31 March").fill("2017")
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IRO annual report 2016-17, version 1")
    assert_accessible(page, live_server)

    page.get_by_role("link", name="1.1 What is working well").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("1.1 What is working well")
    page.get_by_label("Text of this section").fill(
        "Participation rose again.\n\n- Reviews on time\n- Records on time"
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft of 1.1 What is working well saved.")).to_be_visible()
    expect(page.get_by_label("Text of this section")).to_have_value(
        "Participation rose again.\n\n- Reviews on time\n- Records on time"
    )
    assert_accessible(page, live_server)
    page.get_by_role("link", name="Next section").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("1.2 What we are worried about")
    page.get_by_role("link", name=re.compile("Back to version 1")).click()
    page.get_by_role("link", name="5.4 Participation").click()
    expect(page.get_by_role("table", name="Participation in LAC reviews by code")).to_be_visible()
    assert_accessible(page, live_server)
    page.get_by_role("link", name=re.compile("Back to version 1")).click()

    # Without Redis the job runs in the web server once the click's response has gone; on a
    # busy machine the job's page can take a while to come.
    page.get_by_role("button", name="Assemble the documents").click(no_wait_after=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Assembling the documents", timeout=120_000)
    # The page is never reloaded: a mark left on it now is still there when the files appear.
    page.evaluate("window.stillTheSamePage = true")
    expect(page.get_by_text("The documents are ready.")).to_be_visible(timeout=120_000)
    assert page.evaluate("window.stillTheSamePage === true")
    expect(page.locator("#run-sections li[data-done='no']")).to_have_count(0)
    expect(page.locator("#run-sections li").first).to_have_text("1 Executive summary: done")
    assert_accessible(page, live_server)

    downloads = {}
    for name, suffix in (
        ("Download the PDF", "pdf"),
        ("Download the Word document", "docx"),
        ("Download the web page (HTML)", "html"),
    ):
        with page.expect_download() as waiting:
            page.get_by_role("link", name=name).click()
        path = tmp_path / f"report.{suffix}"
        waiting.value.save_as(path)
        assert waiting.value.suggested_filename == f"iro-annual-report-2016-17-version-1.{suffix}"
        downloads[suffix] = path
    assert downloads["pdf"].read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(downloads["docx"]) as package:
        assert "Participation rose again." in package.read("word/document.xml").decode()
    html = downloads["html"].read_text(encoding="utf-8")
    assert "<li>Reviews on time</li>" in html
    assert sorted(AnnualReportDownload.objects.values_list("file_format", flat=True)) == [
        "docx",
        "html",
        "pdf",
    ]

    page.get_by_role("link", name=re.compile("Back to version 1")).click()
    expect(page.get_by_role("link", name=re.compile("Download the PDF"))).to_be_visible()
    expect(
        page.get_by_role("table", name="The last 20 downloads of this version's documents")
    ).to_be_visible()
    assert_accessible(page, live_server)
