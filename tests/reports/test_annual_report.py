"""The annual report's workflow on a small database: the job (twice the same files, a failing
section named and the earlier documents kept, a restarted job carrying on, one job per version,
in-process without Redis), two editors who cannot overwrite each other, the history of a
section's text, finalising, recommendations carried to the next year, and downloads checked and
logged. The demo county's report is tests/reports/test_annual_report_demo.py."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.annual import selectors, services
from reports.annual.sections import SECTIONS
from reports.annual.tasks import annual_report_assemble
from reports.models import (
    AnnualReportDownload,
    AnnualReportRun,
    AnnualReportRunSection,
    AnnualReportVersion,
    ProgressStatus,
    RunStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(manager_user):
    return services.annual_report_start(year_end=2017, user=manager_user)


def _files(run: AnnualReportRun) -> dict[str, bytes]:
    run.refresh_from_db()
    return {fmt: bytes(getattr(run, fmt)) for fmt in ("html", "docx", "pdf")}


def test_assembling_the_same_version_twice_gives_the_same_files(draft):
    first = services.annual_report_generate_now(version=draft, printed_on=date(2017, 6, 30))
    second = services.annual_report_generate_now(version=draft, printed_on=date(2017, 6, 30))
    assert first.status == second.status == RunStatus.DONE
    assert _files(first) == _files(second)
    assert _files(first)["pdf"].startswith(b"%PDF")


def test_a_failing_section_is_named_and_the_earlier_documents_are_kept(draft, manager_user, client):
    """GIVEN a finalised version whose documents were assembled
    WHEN its snapshot has lost the participation section and it is assembled again
    THEN the run fails naming "5.4 Participation", and the version's documents are still the
    first run's, which download as before."""
    first = services.version_finalise(version=draft, user=manager_user)
    services.annual_report_run_execute(run_pk=first.pk)
    before = _files(first)
    version = AnnualReportVersion.objects.get(pk=draft.pk)
    del version.snapshot["sections"]["cic-participation"]
    version.save()

    failed = services.annual_report_generate_now(version=version)

    assert failed.status == RunStatus.FAILED
    assert failed.failed_section == "5.4 Participation"
    assert "5.4 Participation failed" in failed.error
    assert failed.html is None
    assert selectors.run_last_done(version=version).pk == first.pk
    assert _files(first) == before
    client.force_login(manager_user)
    page = client.get(reverse("reports:annual-run", args=[failed.pk])).content.decode()
    assert "The report could not be assembled: 5.4 Participation failed" in page
    summary = client.get(reverse("reports:annual-version", args=[version.pk])).content.decode()
    assert "The last assembly failed at 5.4 Participation" in summary
    assert reverse("reports:annual-download-pdf", args=[first.pk]) in summary
    assert client.get(reverse("reports:annual-download-pdf", args=[first.pk])).content == before["pdf"]


def test_a_job_restarted_after_its_worker_died_carries_on_from_the_sections_it_saved(draft):
    """GIVEN a run left running by its first attempt with its first section saved (its worker
    was killed; with acks late the broker hands the job out again)
    WHEN the job runs again
    THEN it finishes as its second attempt, keeping the saved section rather than building it
    afresh, and saving each other section once."""
    saved = [{"type": "paragraph", "text": "Saved by the first worker before it died."}]
    run = AnnualReportRun.objects.create(
        version=draft, status=RunStatus.RUNNING, printed_on=date(2017, 6, 30), attempts=1
    )
    AnnualReportRunSection.objects.create(run=run, section="summary", blocks=saved, attempt=1)
    assert annual_report_assemble.apply(args=[run.pk]).get() == RunStatus.DONE
    run.refresh_from_db()
    assert run.attempts == 2
    sections = {row.section: row for row in run.sections.all()}
    assert sections["summary"].blocks == saved and sections["summary"].attempt == 1
    assert "Saved by the first worker before it died." in bytes(run.html).decode()
    assert len(sections) == len(SECTIONS)
    assert {row.attempt for key, row in sections.items() if key != "summary"} == {2}


def test_a_finished_job_run_again_changes_nothing(draft):
    run = services.annual_report_generate_now(version=draft)
    finished_at = run.finished_at
    assert services.annual_report_run_execute(run_pk=run.pk) == RunStatus.DONE
    run.refresh_from_db()
    assert run.finished_at == finished_at


def test_the_job_is_acked_late_and_rejected_when_its_worker_is_lost():
    assert annual_report_assemble.acks_late is True
    assert annual_report_assemble.reject_on_worker_lost is True
    assert annual_report_assemble.time_limit > annual_report_assemble.soft_time_limit > 0


def test_a_second_click_finds_the_job_already_queued(draft, manager_user):
    # The test's transaction never commits, so neither job is sent: both stay queued.
    first = services.run_request(version=draft, user=manager_user)
    second = services.run_request(version=draft, user=manager_user)
    assert first.pk == second.pk
    assert AnnualReportRun.objects.filter(version=draft).count() == 1


@pytest.mark.django_db(transaction=True)
def test_without_redis_the_job_runs_in_process_after_the_page_answers(manager_user, client):
    """GIVEN no Redis (jobs run in-process, as in the embedded default)
    WHEN a manager asks for the documents
    THEN the page sends them to the job's page at once, the job runs once the response has
    gone, and the job's page (and its status for the script) then offers the three files."""
    version = services.annual_report_start(year_end=2017, user=manager_user)
    client.force_login(manager_user)
    response = client.post(reverse("reports:annual-generate", args=[version.pk]))
    run = AnnualReportRun.objects.get(version=version)
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:annual-run", args=[run.pk]
    )
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    status = client.get(reverse("reports:annual-run-status", args=[run.pk])).json()
    assert status["status"] == "done" and status["done"] == status["total"] == len(SECTIONS)
    assert status["downloads"]["pdf"] == reverse("reports:annual-download-pdf", args=[run.pk])
    assert (
        "The documents are ready."
        in client.get(reverse("reports:annual-run", args=[run.pk])).content.decode()
    )


def test_two_editors_cannot_overwrite_each_other(draft, manager_user, make_user, client):
    """GIVEN two managers who open the same section
    WHEN the first saves and then the second saves from the page as they opened it
    THEN the second is told someone else changed it, and the first's text stands."""
    from iro_service.core.roles import Role

    other = make_user(Role.IRO_MANAGER, username="second-manager")
    text = draft.texts.get(section="cic-timeliness")
    url = reverse("reports:annual-text", args=[text.pk])
    opened = text.updated_at.isoformat()
    client.force_login(other)
    assert (
        client.post(url, {"text": "Four were two-part reviews.", "seen_updated_at": opened}).status_code
        == 302
    )
    client.force_login(manager_user)
    response = client.post(url, {"text": "Mine instead.", "seen_updated_at": opened})
    assert response.status_code == 200
    assert "Someone else changed this section&#x27;s text while you were editing" in response.content.decode()
    text.refresh_from_db()
    assert text.text == "Four were two-part reviews."


def test_every_saved_draft_of_a_section_is_kept(draft, manager_user):
    text = draft.texts.get(section="cic-permanence")
    text = services.annual_report_text_save(
        text=text, body="First draft.", seen_updated_at=text.updated_at, user=manager_user
    )
    services.annual_report_text_save(
        text=text, body="Second draft.", seen_updated_at=text.updated_at, user=manager_user
    )
    history = [entry.text for entry in selectors.text_history(text=text)]
    assert history == ["Second draft.", "First draft.", ""]


def test_a_finalised_version_refuses_changes_to_its_text_and_recommendations(draft, manager_user):
    services.version_finalise(version=draft, user=manager_user)
    text = draft.texts.get(section="cic-permanence")
    with pytest.raises(ValidationError, match="finalised"):
        services.annual_report_text_save(
            text=text, body="Late change", seen_updated_at=None, user=manager_user
        )
    with pytest.raises(ValidationError, match="finalised"):
        services.recommendation_add(version=AnnualReportVersion.objects.get(pk=draft.pk), text="Late")


def test_next_years_report_reports_progress_on_last_years_recommendations(manager_user):
    """GIVEN the 2016-17 report finalised with two recommendations
    WHEN the 2017-18 report is started and a manager says the first is achieved
    THEN 2017-18 follows both up, and its section 8.1 prints the progress."""
    last_year = services.annual_report_start(year_end=2017, user=manager_user)
    services.recommendation_add(version=last_year, text="Recruit two more IROs")
    services.recommendation_add(version=last_year, text="Make reviews more child focused")
    services.version_finalise(version=last_year, user=manager_user)

    this_year = services.annual_report_start(year_end=2018, user=manager_user)
    progress = list(selectors.progress_of(version=this_year))
    assert [p.recommendation.text for p in progress] == [
        "Recruit two more IROs",
        "Make reviews more child focused",
    ]
    services.recommendation_progress_save(
        progress=progress[0],
        status=ProgressStatus.ACHIEVED,
        note="Both posts filled in May.",
        seen_updated_at=None,
    )
    blocks = selectors.section_blocks(version=this_year, key="progress")
    assert blocks[0]["rows"][0] == ["1. Recruit two more IROs", "Achieved", "Both posts filled in May."]
    assert blocks[0]["caption"] == "Progress on the recommendations of the 2016-17 report"


def test_a_new_version_copies_the_text_recommendations_and_progress(draft, manager_user):
    text = draft.texts.get(section="working-well")
    services.annual_report_text_save(
        text=text, body="Participation rose.", seen_updated_at=None, user=manager_user
    )
    services.recommendation_add(version=draft, text="Keep reviews on time")
    services.version_finalise(version=draft, user=manager_user)
    second = services.version_start_from(version=draft, user=manager_user)
    assert second.number == 2 and second.is_draft and second.based_on_id == draft.pk
    assert second.texts.get(section="working-well").text == "Participation rose."
    assert [r.text for r in second.recommendations.all()] == ["Keep reviews on time"]
    with pytest.raises(ValidationError, match="already has a draft"):
        services.version_start_from(version=draft, user=manager_user)


def test_downloads_are_checked_and_logged(draft, manager_user, senior_user, iro_user, support_user, client):
    run = services.annual_report_generate_now(version=draft)
    url = reverse("reports:annual-download-docx", args=[run.pk])
    for refused in (iro_user, support_user):
        client.force_login(refused)
        assert client.get(url).status_code == 403
    assert AnnualReportDownload.objects.count() == 0
    client.force_login(senior_user)
    response = client.get(url)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="iro-annual-report-2016-17-version-1.docx"'
    )
    (download,) = AnnualReportDownload.objects.all()
    assert (download.user, download.file_format, download.run_id) == (senior_user, "docx", run.pk)
    with pytest.raises(ValueError, match="only ever added to"):
        download.delete()


def test_documents_not_ready_are_not_found(draft, manager_user, client):
    run = services.run_request(version=draft, user=manager_user)
    client.force_login(manager_user)
    assert client.get(reverse("reports:annual-download-pdf", args=[run.pk])).status_code == 404
    assert AnnualReportDownload.objects.count() == 0


def test_a_year_can_be_started_once_and_a_bad_year_is_named(manager_user, client):
    client.force_login(manager_user)
    url = reverse("reports:annual-start")
    assert client.post(url, {"year_end": "2017"}).status_code == 302
    for sent, message in (
        ("2017", "There is already a report for that year"),
        ("", "Enter the year the report&#x27;s year ends, for example 2017"),
        ("twenty", "Enter the year as 4 digits, for example 2017"),
        ("1999", "Enter a year from 2000 to"),
        ("2999", "Enter a year from 2000 to"),
    ):
        response = client.post(url, {"year_end": sent})
        assert response.status_code == 200, sent
        assert message in response.content.decode(), sent


def test_the_section_page_shows_the_figures_beside_the_text(draft, manager_user, client):
    client.force_login(manager_user)
    text = draft.texts.get(section="cp-conferences")
    page = client.get(reverse("reports:annual-text", args=[text.pk])).content.decode()
    assert "6.1 Conference activity" in page
    assert "Child protection conferences by type" in page
    assert 'name="text"' in page


def test_a_senior_manager_reads_a_section_but_cannot_save_it(draft, senior_user, client):
    client.force_login(senior_user)
    text = draft.texts.get(section="introduction")
    url = reverse("reports:annual-text", args=[text.pk])
    page = client.get(url).content.decode()
    assert 'name="text"' not in page
    assert "sits apart from the line management" in page
    assert client.post(url, {"text": "x", "seen_updated_at": text.updated_at.isoformat()}).status_code == 403


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_and_version_pages_make_as_many_queries_for_many_reports_as_for_one(manager_user, client):
    """The list of reports and a finalised version's page: one report with one version, then
    four reports (one with three versions, another with two recommendations) and downloads: the
    same number of queries."""
    client.force_login(manager_user)
    first = services.annual_report_start(year_end=2014, user=manager_user)
    run = services.annual_report_generate_now(version=first)
    services.version_finalise(version=first, user=manager_user)
    list_url = reverse("reports:annual-list")
    version_url = reverse("reports:annual-version", args=[first.pk])
    small = (_queries(client, list_url), _queries(client, version_url))

    second = services.version_start_from(version=first, user=manager_user)
    services.version_finalise(version=second, user=manager_user)
    services.version_start_from(version=second, user=manager_user)
    for year in (2015, 2016, 2017):
        services.annual_report_start(year_end=year, user=manager_user)
    services.recommendation_add(version=AnnualReportVersion.objects.get(report__year_end=2015), text="One")
    services.recommendation_add(version=AnnualReportVersion.objects.get(report__year_end=2015), text="Two")
    for fmt in ("pdf", "docx", "html"):
        client.get(reverse(f"reports:annual-download-{fmt}", args=[run.pk]))
    assert (_queries(client, list_url), _queries(client, version_url)) == small


def test_finalising_asks_for_the_password_again_after_fifteen_minutes(draft, manager_user, client):
    """GIVEN a manager who last gave her password 16 minutes ago
    WHEN she opens the page that finalises the report, or sends it
    THEN she is asked to sign in again, and the version is not finalised."""
    from datetime import timedelta

    from django.utils import timezone

    from iro_service.signin.session import AUTHENTICATED_AT

    client.force_login(manager_user)
    session = client.session
    session[AUTHENTICATED_AT] = (timezone.now() - timedelta(minutes=16)).isoformat()
    session.save()
    url = reverse("reports:annual-finalise", args=[draft.pk])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("signin:again"))
    draft.refresh_from_db()
    assert draft.finalised_at is None
