"""The dashboards' pages: each tile is the figures service's answer for the same filters, the
target's status is a word, drill-downs and downloads are checked and logged as the API's records
endpoint is, downloads hold the page's rows with formulas neutralised, and no page's query count
grows with the data."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conferences.models import ConferenceType
from conferences.services import ChildDecision, conference_book, conference_record, strategy_discussion_record
from iro_service.audit.models import AccessChannel, AccessLog
from iro_service.timescales.dates import collection_year, collection_year_bounds
from reports.dashboards.selectors import HEADLINE_KEYS, figure_value, iro_caseloads
from reports.figures import REGISTRY, FigureQuery
from reports.models import Comparator, Target
from reports.selectors import figure_series
from reports.targets.services import comparator_set, target_set
from tests.factories import IroAllocationFactory, StaffMemberFactory, UserFactory
from tests.factories.conferences import family_with_children
from tests.factories.county import small_county
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(iro_user):
    return small_county(chair_user=iro_user)


def this_year():
    start, end = collection_year_bounds(collection_year(timezone.localdate()))
    return FigureQuery(start=start, end=end)


def more_work(county, n: int, *, chair=None) -> None:
    """``n`` more children in care chaired by the county's IRO (or ``chair``), each with a
    review and a family conference that put them on a plan: enough rows for a query that grew
    with them to show."""
    today = timezone.localdate()
    since = today - timedelta(days=90)
    chair = chair or county.chair
    for _ in range(n):
        family, (child,) = family_with_children("Sam")
        IroAllocationFactory(child=child, iro=chair, start_date=since)
        period_of_care(child=child, start_date=since)
        review(child=child, parts=since + timedelta(days=14), chair=chair, participation_code="PN1")
        discussion = strategy_discussion_record(
            family=family, on=today - timedelta(days=40), children=[child]
        )
        held = conference_book(
            family=family,
            conference_type=ConferenceType.INITIAL,
            on=today - timedelta(days=30),
            strategy_discussion=discussion,
            chair=chair,
            children=[(child, "initial")],
            agencies=["police"],
        )
        conference_record(conference=held, decisions={child.pk: ChildDecision("plan_started", ("NEG",))})


# --- the managers' dashboard --------------------------------------------------------------------


def test_each_tile_is_the_figures_service_answer_for_the_same_filters(client, manager_user, county):
    client.force_login(manager_user)
    year = collection_year(timezone.localdate())
    team = county.chair.team
    response = client.get(reverse("reports:dashboard"), {"year": year, "team": team.pk})
    assert response.status_code == 200
    tiles = [tile for section in response.context["tiles"].values() for tile in section]
    assert [tile.key for tile in tiles] == list(HEADLINE_KEYS)
    start, end = collection_year_bounds(year)
    previous_start, previous_end = collection_year_bounds(year - 1)
    for tile in tiles:
        figure = REGISTRY[tile.key]
        assert tile.current == figure_value(figure.compute(FigureQuery(start, end, team_id=team.pk))), (
            tile.key
        )
        # The previous period of a reporting year is the year before, which is also "a year earlier".
        previous = figure_value(figure.compute(FigureQuery(previous_start, previous_end, team_id=team.pk)))
        assert tile.previous == previous == tile.year_before, tile.key


def test_the_target_status_is_a_word_on_the_tile(client, manager_user, county):
    """GIVEN one child in care at the end of the year (Amy) and a target of 3 with a margin of 2
    THEN 1 is short by 2, at the edge of the margin: amber, written as 'Amber: close to target'."""
    year = collection_year(timezone.localdate())
    target_set(
        figure_key="cic_at_end", year=year, value=Decimal(3), direction="higher", amber_margin=Decimal(2)
    )
    comparator_set(figure_key="cic_at_end", year=year, source="england", value=Decimal("62.0"))
    client.force_login(manager_user)
    response = client.get(reverse("reports:dashboard"), {"year": year})
    tile = next(t for t in response.context["tiles"]["Children in care"] if t.key == "cic_at_end")
    assert tile.current.value == 1
    assert tile.status.label == "Amber: close to target"
    page = response.content.decode()
    assert "Amber: close to target" in page
    assert "England: 62.0" in page


# --- drill-down ------------------------------------------------------------------------------------


def test_a_drill_down_logs_each_child_shown_as_the_api_does(client, manager_user, county):
    client.force_login(manager_user)
    before = AccessLog.objects.count()
    response = client.get(reverse("reports:dashboard-records", args=["cic_at_end"]))
    assert response.status_code == 200
    logged = AccessLog.objects.order_by("-pk")[: AccessLog.objects.count() - before]
    assert [(row.child_id, row.channel, row.what) for row in logged] == [
        (county.child.pk, AccessChannel.WEB, "Figure records: cic_at_end")
    ]
    assert f'href="/children/{county.child.pk}/"' in response.content.decode()


def test_a_drill_down_needs_what_its_rows_show_and_hsb_rows_are_not_there(client, county):
    """A user who may see the dashboard but not children's records: the records behind a figure
    are refused (403), and behind an HSB figure they do not exist (404), as the API answers."""
    user = UserFactory(username="dashboards-only")
    user.user_permissions.add(Permission.objects.get(codename="view_performance_dashboard"))
    client.force_login(user)
    assert client.get(reverse("reports:dashboard")).status_code == 200
    assert client.get(reverse("reports:dashboard-records", args=["cic_at_end"])).status_code == 403
    assert client.get(reverse("reports:dashboard-records", args=["hsb_referrals"])).status_code == 404
    assert client.get(reverse("reports:dashboard-records", args=["no_such_key"])).status_code == 404
    assert (
        client.get(
            reverse("reports:dashboard-records", args=["cic_at_end"]),
            {"download": "xlsx", "table": "records"},
        ).status_code
        == 403
    )


def test_the_drill_down_keeps_the_filters_of_the_dashboard(client, manager_user, county):
    client.force_login(manager_user)
    year = collection_year(timezone.localdate())
    response = client.get(reverse("reports:dashboard"), {"year": year, "team": county.chair.team_id})
    link = reverse("reports:dashboard-records", args=["lac_reviews_late"])
    assert f'{link}?year={year}&amp;team={county.chair.team_id}"' in response.content.decode()


# --- downloads ------------------------------------------------------------------------------------


def test_the_excel_download_holds_the_rows_of_the_page_with_dates_as_dates(client, manager_user, county):
    client.force_login(manager_user)
    url = reverse("reports:dashboard-records", args=["lac_reviews_held"])
    page = client.get(url)
    shown = [[c.value for c in row] for row in page.context["table"].rows]
    before = AccessLog.objects.filter(channel=AccessChannel.EXPORT).count()
    response = client.get(url, {"download": "xlsx", "table": "records"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][0] == "LAC reviews held: Records behind LAC reviews held"
    assert lines[1][0].startswith("Period: ")
    assert lines[2][0] == "Team: all teams" and lines[3][0] == "IRO: all IROs"
    header_at = lines.index(tuple(page.context["table"].headers))
    body = [list(line) for line in lines[header_at + 1 :]]
    assert len(body) == len(shown) == 1
    review_date = shown[0][page.context["table"].headers.index("Review date")]
    cell = body[0][page.context["table"].headers.index("Review date")]
    assert cell.date() == review_date  # a date, not text
    assert AccessLog.objects.filter(channel=AccessChannel.EXPORT).count() == before + 1


def test_cells_that_would_start_a_formula_are_neutralised(client, manager_user, county):
    year = collection_year(timezone.localdate())
    comparator_set(
        figure_key="cp_repeat_plans",
        year=year,
        source="statistical_neighbours",
        value=Decimal("18.1"),
        published_by='=HYPERLINK("http://example.invalid","x")',
    )
    client.force_login(manager_user)
    url = reverse("reports:comparators")
    xlsx = client.get(url, {"year": year, "download": "xlsx", "table": "comparators"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c for line in sheet.iter_rows(values_only=True) for c in line if isinstance(c, str)]
    assert '\'=HYPERLINK("http://example.invalid","x")' in values
    assert not any(v.startswith("=") for v in values)
    text = client.get(url, {"year": year, "download": "csv", "table": "comparators"}).content.decode(
        "utf-8-sig"
    )
    cells = [c for line in csv.reader(io.StringIO(text)) for c in line]
    assert '\'=HYPERLINK("http://example.invalid","x")' in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


def test_a_download_of_a_table_not_on_the_page_is_not_found(client, manager_user, county):
    client.force_login(manager_user)
    url = reverse("reports:dashboard")
    assert client.get(url, {"download": "xlsx", "table": "nothing"}).status_code == 404
    assert client.get(url, {"download": "pdf", "table": "figures"}).status_code == 404


# --- trends ---------------------------------------------------------------------------------------


def test_the_charts_data_table_is_the_figures_series(client, manager_user, county):
    client.force_login(manager_user)
    response = client.get(reverse("reports:dashboard-figure", args=["lac_reviews_held"]), {"months": "24"})
    chart = response.context["chart"]
    assert len(chart.points) == 24
    series = figure_series(
        query=FigureQuery(response.context["trend_start"], response.context["trend_end"]),
        key="lac_reviews_held",
        interval="month",
    )
    assert [row[1].value for row in response.context["table"].rows] == [
        p["figure"]["value"] for p in series["points"]
    ]
    page = response.content.decode()
    assert f'alt="{chart.alt}"' in page and chart.summary in page
    assert "<details" in page


# --- targets and comparators pages ---------------------------------------------------------------


def test_a_manager_sets_a_target_and_the_history_says_who(client, manager_user):
    client.force_login(manager_user)
    year = collection_year(timezone.localdate())
    data = {
        "figure_key": "lac_reviews_on_time",
        "year": year,
        "value": "95",
        "direction": "higher",
        "amber_margin": "5",
    }
    response = client.post(reverse("reports:target-set"), data)
    assert response.status_code == 302
    target = Target.objects.get()
    assert target.history.get().history_user == manager_user
    edit = client.get(reverse("reports:target-set"), {"figure": "lac_reviews_on_time", "year": year})
    seen = edit.context["form"].initial["updated_at"]
    client.post(reverse("reports:target-set"), {**data, "value": "97", "updated_at": seen})
    # A second editor who opened the page before that change is refused, not silently applied.
    stale = client.post(reverse("reports:target-set"), {**data, "value": "90", "updated_at": seen})
    assert stale.status_code == 200
    assert "Someone else changed this target" in stale.content.decode()
    assert Target.objects.get().value == Decimal("97.0")
    page = client.get(reverse("reports:targets"), {"year": year}).content.decode()
    assert manager_user.get_full_name() in page


def test_a_bad_target_names_the_field(client, manager_user):
    client.force_login(manager_user)
    response = client.post(
        reverse("reports:target-set"), {"figure_key": "", "value": "lots", "amber_margin": "-1"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["figure_key"] == ["Choose the figure the target is for"]
    assert errors["value"] == ["Enter the target as a number, like 95 or 18.1"]


def test_a_comparator_upload_reports_every_bad_row_and_changes_nothing(client, manager_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager_user)
    bad = b"FIGURE,YEAR,SOURCE,VALUE,PUBLISHED_BY\nnope,2017,england,5,\ncp_repeat_plans,2017,mars,5,\n"
    response = client.post(
        reverse("reports:comparator-upload"), {"comparators": SimpleUploadedFile("c.csv", bad)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file has 2 problems" in page
    assert "row 2" in page and "row 3" in page
    assert not Comparator.objects.exists()
    good = b"FIGURE,YEAR,SOURCE,VALUE,PUBLISHED_BY\ncp_repeat_plans,2016-17,Statistical neighbours,18.1,DfE\n"
    response = client.post(
        reverse("reports:comparator-upload"), {"comparators": SimpleUploadedFile("c.csv", good)}
    )
    assert response.status_code == 302
    assert Comparator.objects.get().value == Decimal("18.1")


def test_senior_managers_read_targets_and_comparators_but_cannot_change_them(client, senior_user):
    client.force_login(senior_user)
    assert client.get(reverse("reports:comparators")).status_code == 200
    assert client.post(reverse("reports:comparators"), {"figure_key": "cp_repeat_plans"}).status_code == 403
    assert client.get(reverse("reports:target-set")).status_code == 403


# --- caseloads, business support and the IRO's page -----------------------------------------------


def test_caseloads_count_each_iros_work(client, manager_user, county):
    """The small county's chair, Helen Ashworth (1.0 FTE): Amy in care and allocated to her (1),
    Amy on a plan from the conference Helen chaired 60 days ago (1), Amy's HSB referral 30 days
    ago (1), Helen's open concern about Amy (1). Per FTE: (1 + 1) / 1.0 = 2.0, below 50."""
    client.force_login(manager_user)
    today = timezone.localdate()
    response = client.get(
        reverse("reports:caseloads"),
        {
            "period": "range",
            "date_from": f"{today - timedelta(days=365):%d/%m/%Y}",
            "date_to": f"{today:%d/%m/%Y}",
        },
    )
    rows = {row[0].value: [c.value for c in row] for row in response.context["iros"].rows}
    assert rows["Helen Ashworth"][2:] == [1.0, 1, 1, 1, 1, 2.0, "Below 50"]


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_caseloads_show_fifty_iros_a_page_and_download_them_all(client, manager_user, county):
    """55 more IROs named Aaronson sort before the county's chair, Helen Ashworth, so that she is
    on the second page of the IROs' table, with the counts worked out above (1.0 FTE, 1, 1, 1,
    1, 2.0 per FTE, below 50); the first page shows 50 IROs and the download every one."""
    StaffMemberFactory.create_batch(55, last_name="Aaronson", team=county.chair.team)
    client.force_login(manager_user)
    today = timezone.localdate()
    period = {
        "period": "range",
        "date_from": f"{today - timedelta(days=365):%d/%m/%Y}",
        "date_to": f"{today:%d/%m/%Y}",
    }
    url = reverse("reports:caseloads")
    first = client.get(url, period).context["iros"]
    second = client.get(url, {**period, "iros-page": 2}).context["iros"]
    assert len(first.rows) == 50 and first.pagination
    rows = {row[0].value: [c.value for c in row] for row in second.rows}
    assert rows["Helen Ashworth"][2:] == [1.0, 1, 1, 1, 1, 2.0, "Below 50"]
    download = _csv_rows(client.get(url, {**period, "download": "csv", "table": "iros"}))
    # The heading lines, the column headers, then an IRO a row: the two pages are all of them.
    header = next(i for i, row in enumerate(download) if row[:1] == ["Name"])
    assert [row[0] for row in download[header + 1 :] if row] == [
        row[0].value for row in first.rows + second.rows
    ]


def test_records_by_iro_are_counted_for_the_iros_on_the_page(client, support_user, county):
    """55 more IROs named Aaronson put Helen Ashworth on the second page of "Records by IRO".
    ``more_work`` gives her one conference held 30 days ago whose record is not distributed
    (the county's own conference record was distributed): 1 conference record to distribute,
    counted for the page she is on as in the download of the whole table."""
    StaffMemberFactory.create_batch(55, last_name="Aaronson", team=county.chair.team)
    more_work(county, 1)
    client.force_login(support_user)
    url = reverse("reports:business-support")
    first = client.get(url).context["tables"][0]
    second = client.get(url, {"by-iro-page": 2}).context["tables"][0]
    assert first.name == second.name == "by-iro"
    assert len(first.rows) == 50
    helen = next([c.value for c in row] for row in second.rows if row[0].value == "Helen Ashworth")
    assert helen[4] == 1
    download = _csv_rows(client.get(url, {"download": "csv", "table": "by-iro"}))
    assert [str(value) for value in helen] in download


def test_one_iros_or_one_teams_caseloads_are_their_rows_of_everyones(county):
    """The county's chair Helen Ashworth (1 child in care, 1 on a plan, 1 HSB referral, 1 open
    concern, worked out above) and Ian, an IRO in a team of his own with one child of
    ``more_work``'s (in care and allocated to him, on a plan from a conference he chaired): 1
    and 1. One IRO's caseloads (the IRO's own page) and one team's count only their children,
    and are the same rows as in everyone's."""
    ian = StaffMemberFactory(first_name="Ian", last_name="Ibbotson")
    more_work(county, 1, chair=ian)
    helen = county.chair
    today = timezone.localdate()
    since = today - timedelta(days=365)
    everyone = {row.staff_id: row for row in iro_caseloads(on=today, since=since)}
    counts = {
        pk: (row.children_in_care, row.children_on_plans, row.hsb_referrals, row.open_alerts)
        for pk, row in everyone.items()
    }
    assert counts[helen.pk] == (1, 1, 1, 1)
    assert counts[ian.pk] == (1, 1, 0, 0)
    for member in (helen, ian):
        assert iro_caseloads(on=today, since=since, iro_id=member.pk) == [everyone[member.pk]]
        team = [row for row in everyone.values() if row.team_id == member.team_id]
        assert iro_caseloads(on=today, since=since, team_id=member.team_id) == team


def test_the_iros_own_page_shows_their_work(client, iro_user, county):
    client.force_login(iro_user)
    response = client.get(reverse("reports:my-page"))
    assert response.status_code == 200
    tables = {t.name: t for t in response.context["tables"]}
    assert [c.value for c in tables["caseload"].rows[0]][:2] == [1, 1]
    # Amy's booked review in 10 days is booked, so not due to book; the conference in 7 days is due.
    assert any(
        row[1].value == "First review conference" or "conference" in str(row[1].value)
        for row in tables["due"].rows
    )
    assert len(tables["alerts"].rows) == 1


def test_business_support_see_the_backlog(client, support_user, county):
    client.force_login(support_user)
    response = client.get(reverse("reports:business-support"))
    assert response.status_code == 200
    names = [t.name for t in response.context["tables"]]
    assert names == ["by-iro", "review-records", "conference-records", "reports-outstanding", "to-book"]


def _conference_in_3_days(county):
    """Zac, known only through a conference Helen chairs in 3 days (no reports yet): on the
    business support's reports outstanding and on Helen's page as due."""
    family, (zac,) = family_with_children("Zac")
    today = timezone.localdate()
    discussion = strategy_discussion_record(family=family, on=today - timedelta(days=5), children=[zac])
    conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=today + timedelta(days=3),
        strategy_discussion=discussion,
        chair=county.chair,
        children=[(zac, "initial")],
    )
    return zac


@pytest.mark.parametrize(
    ("role", "name", "what"),
    [
        ("support_user", "reports:business-support", "Business support dashboard"),
        ("iro_user", "reports:my-page", "IRO's own page"),
    ],
)
def test_the_children_of_each_conference_row_are_logged(request, client, county, role, name, what):
    zac = _conference_in_3_days(county)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(name)).status_code == 200
    assert AccessLog.objects.filter(child=zac, what=what, channel=AccessChannel.WEB).count() == 1


# --- query counts -------------------------------------------------------------------------------

PAGES = [
    ("manager_user", "reports:dashboard", []),
    ("manager_user", "reports:dashboard-figure", ["lac_reviews_on_time"]),
    ("manager_user", "reports:dashboard-figure", ["cp_multiple_categories"]),
    ("manager_user", "reports:dashboard-records", ["lac_reviews_held"]),
    ("manager_user", "reports:dashboard-records", ["cp_plans_at_end"]),
    ("manager_user", "reports:caseloads", []),
    ("support_user", "reports:business-support", []),
    ("iro_user", "reports:my-page", []),
    ("manager_user", "reports:targets", []),
    ("manager_user", "reports:comparators", []),
]


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("role", "name", "args"), PAGES)
def test_no_page_makes_more_queries_for_more_data(request, client, county, role, name, args):
    client.force_login(request.getfixturevalue(role))
    url = reverse(name, args=args)
    target_set(
        figure_key="cic_at_end",
        year=collection_year(timezone.localdate()),
        value=Decimal(3),
        direction="higher",
        amber_margin=Decimal(0),
    )
    more_work(county, 1)  # so that every list on every page has rows at the smaller size too
    client.get(url)  # the first request fills the caches (the timescale settings, the charts)
    small = _queries(client, url)
    small_download = _queries(client, url, {"download": "xlsx", "table": _first_table(name)})
    more_work(county, 5)
    comparator_set(
        figure_key="cic_at_end",
        year=collection_year(timezone.localdate()),
        source="england",
        value=Decimal(5),
    )
    client.get(url)
    assert _queries(client, url) == small
    assert _queries(client, url, {"download": "xlsx", "table": _first_table(name)}) == small_download


def _first_table(name: str) -> str:
    return {
        "reports:dashboard": "figures",
        "reports:dashboard-figure": "trend",
        "reports:dashboard-records": "records",
        "reports:caseloads": "iros",
        "reports:business-support": "by-iro",
        "reports:my-page": "due",
        "reports:targets": "targets",
        "reports:comparators": "comparators",
    }[name]
