"""The children-in-care figures (docs/figures.md) against a small county worked out by hand.

Working days below skip weekends and the English bank holidays of 2015-17 (2 May, 30 May and
29 August 2016 are the ones that matter). Local timescales are the defaults: the social worker's
report 3 working days before the review, the record within 20 working days of it.

The county, 2016-17 (1 April 2016 to 31 March 2017):

  IROs: North 1 (team North, 1.0 FTE), North 2 (team North, 0.5), South 1 (team South, 0.8).

  A: in care from Mon 4 Apr 2016 (C2). 1st review due 20 WD later = Tue 3 May 2016 (2 May is
     a bank holiday).
     A1 Tue 3 May 2016, exactly on its due date: on time. PN1. Chair North 1.
        SW report due 3 WD before = Wed 27 Apr, received 27 Apr: on time (exactly).
        Record due 20 WD after = Wed 1 Jun (30 May bank holiday); distributed 25 May: on time.
     A2 due 3 months after A1 = Wed 3 Aug 2016, held Wed 10 Aug: LATE by 7 days. PN7. North 1.
        SW report due Fri 5 Aug, received Tue 9 Aug: late.
        Record due 20 WD after = Thu 8 Sep (29 Aug bank holiday); distributed Mon 3 Oct: late.
     A3 due 6 months after A2 as held (the late review moves the clock) = Fri 10 Feb 2017,
        held Thu 9 Feb 2017: on time. (From A2's due date it would have been due 3 Feb, late.)
        PN5. Chair North 2. SW report never received. Record due Thu 9 Mar 2017, never
        distributed. Next review due 9 Aug 2017.
     IRO: North 1 throughout.
  B: born 10 Jan 2014 (under 4 all year: PN0). In care from Thu 1 Sep 2016 under s20 (V2);
     legal status C1 from Wed 1 Feb 2017. 1st review due 20 WD later = Thu 29 Sep 2016.
     B1 held in two parts, Tue 27 Sep and Tue 18 Oct 2016: its date is 27 Sep, on time. PN0.
        Chair North 1. SW report due Thu 22 Sep, received 20 Sep: on time. Record due Tue
        25 Oct, distributed Mon 31 Oct (a month end): late, but not out of timescale at 31 Oct.
        Next review due 3 months after part 1 = Tue 27 Dec 2016, never held.
     IRO: North 1 from 1 Sep 2016, South 1 from 1 Jan 2017.
  C: in care Wed 1 Jun 2016 to Fri 30 Sep 2016 (V2). 1st review due 20 WD later = Wed 29 Jun.
     C1 Tue 28 Jun 2016: on time. PN6. Chair South 1. SW report due Thu 23 Jun, received
        24 Jun: late. Record due Tue 26 Jul 2016, never distributed. Next review due 28 Sep.
     IRO: South 1.
  D: in care from Mon 3 Oct 2016 (V2), no review yet: 1st review due 20 WD later = Mon 31 Oct.
     IRO: North 2.
  F: in care Wed 1 Apr 2015 to Fri 31 Mar 2017 (leaves on the last day of the year), no review:
     1st review due 20 WD after = Fri 1 May 2015 (Good Friday and Easter Monday 2015 skipped).
     IRO: South 1.
"""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iro_service.people.models import Child
from reports.figures import REGISTRY
from reports.figures.people import IRO_ROWS_NEED
from reports.selectors import figure_query_parse, figure_records, figures_compute
from reviews import services
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory, TeamFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db

YEAR = {"start": "2016-04-01", "end": "2017-03-31"}
CIC_KEYS = [key for key, figure in REGISTRY.items() if figure.section == "Children in care"]


def figures(start="2016-04-01", end="2017-03-31", **filters):
    args = ["--start", start, "--end", end, "--keys", ",".join(CIC_KEYS)]
    for name, value in filters.items():
        args += [f"--{name}", str(value)]
    out = StringIO()
    call_command("figures", *args, stdout=out)
    return json.loads(out.getvalue())["figures"]


def records(key, **params):
    query, _ = figure_query_parse({**YEAR, **params, "keys": key})
    return figure_records(query=query, key=key)


@pytest.fixture
def county():
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    north1 = StaffMemberFactory(team=north, fte=Decimal("1.00"), first_name="North", last_name="One")
    north2 = StaffMemberFactory(team=north, fte=Decimal("0.50"), first_name="North", last_name="Two")
    south1 = StaffMemberFactory(team=south, fte=Decimal("0.80"), first_name="South", last_name="One")

    a = ChildFactory(first_name="Alex", date_of_birth=date(2010, 5, 17))
    period_of_care(child=a, start_date=date(2016, 4, 4), legal_status="C2")
    IroAllocationFactory(child=a, iro=north1, start_date=date(2016, 4, 4))
    review(
        child=a,
        parts=date(2016, 5, 3),
        chair=north1,
        participation_code="PN1",
        sw_report_received=date(2016, 4, 27),
        record_completed=date(2016, 5, 24),
        record_distributed=date(2016, 5, 25),
    )
    review(
        child=a,
        parts=date(2016, 8, 10),
        chair=north1,
        participation_code="PN7",
        sw_report_received=date(2016, 8, 9),
        record_completed=date(2016, 9, 30),
        record_distributed=date(2016, 10, 3),
        late_reason="The carer was in hospital.",
    )
    review(child=a, parts=date(2017, 2, 9), chair=north2, participation_code="PN5")

    b = ChildFactory(first_name="Bea", date_of_birth=date(2014, 1, 10))
    b_period = period_of_care(child=b, start_date=date(2016, 9, 1), legal_status="V2")
    services.episode_change(
        period=b_period,
        start_date=date(2017, 2, 1),
        reason_for_new_episode="L",
        legal_status="C1",
        category_of_need="N1",
        placement="U6",
        placement_provider="PR1",
    )
    IroAllocationFactory(child=b, iro=north1, start_date=date(2016, 9, 1), end_date=date(2017, 1, 1))
    IroAllocationFactory(child=b, iro=south1, start_date=date(2017, 1, 1))
    review(
        child=b,
        parts=[date(2016, 9, 27), date(2016, 10, 18)],
        chair=north1,
        participation_code="PN0",
        sw_report_received=date(2016, 9, 20),
        record_completed=date(2016, 10, 31),
        record_distributed=date(2016, 10, 31),
    )

    c = ChildFactory(first_name="Cal")
    c_period = period_of_care(child=c, start_date=date(2016, 6, 1), legal_status="V2")
    IroAllocationFactory(child=c, iro=south1, start_date=date(2016, 6, 1))
    review(
        child=c,
        parts=date(2016, 6, 28),
        chair=south1,
        participation_code="PN6",
        sw_report_received=date(2016, 6, 24),
    )
    services.period_of_care_end(period=c_period, end_date=date(2016, 9, 30), reason_ceased="E4A")

    d = ChildFactory(first_name="Dee")
    period_of_care(child=d, start_date=date(2016, 10, 3), legal_status="V2")
    IroAllocationFactory(child=d, iro=north2, start_date=date(2016, 10, 3))

    f = ChildFactory(first_name="Fin")
    f_period = period_of_care(child=f, start_date=date(2015, 4, 1), legal_status="C2")
    IroAllocationFactory(child=f, iro=south1, start_date=date(2015, 4, 1))
    services.period_of_care_end(period=f_period, end_date=date(2017, 3, 31), reason_ceased="E4A")
    return {"north": north, "south": south, "north1": north1, "north2": north2, "south1": south1}


def test_the_year_worked_out_by_hand(county):
    result = figures()
    # In care on 31 Mar 2017: A, B, D. C left on 30 Sep; F left on 31 Mar itself.
    assert result["cic_at_end"]["value"] == 3
    # Started in the year: A, B, C, D (F started in 2015). Ended: C and F.
    assert result["cic_started"]["value"] == 4
    assert result["cic_ceased"]["value"] == 2
    # Legal status on 31 Mar: A C2, B C1 (was V2 until 1 Feb), D V2.
    assert result["cic_s20_at_end"]["value"] == 1
    # A1, A2, A3, B1, C1.
    assert result["lac_reviews_held"]["value"] == 5
    # Only A2 is late; A1 was exactly on its due date, A3 is on time because A2 moved the clock.
    assert result["lac_reviews_late"]["value"] == 1
    assert result["lac_reviews_on_time"] == {"value": 80.0, "numerator": 4, "denominator": 5, "unit": "%"}
    # PN1 (A1), PN5 (A3), PN6 (C1) over those plus PN7 (A2); B1's PN0 is left out: 3/4.
    assert result["lac_participation"] == {"value": 75.0, "numerator": 3, "denominator": 4, "unit": "%"}
    assert result["lac_participation_codes"]["value"] == {
        "PN0": 1,
        "PN1": 1,
        "PN2": 0,
        "PN3": 0,
        "PN4": 0,
        "PN5": 1,
        "PN6": 1,
        "PN7": 1,
    }
    # On time: A1 (on its due date) and B1. Late: A2, C1; never received: A3. 2/5.
    assert result["lac_sw_reports_on_time"]["numerator"] == 2
    assert result["lac_sw_reports_on_time"]["value"] == 40.0
    # Only A1's record was distributed by its due date: 1/5.
    assert result["lac_records_on_time"]["value"] == 20.0
    # At each month end: C1 (due 26 Jul) from July on; A2 (due 8 Sep, sent 3 Oct) at 30 Sep;
    # B1 (due 25 Oct) was sent on 31 Oct itself, so never; A3 (due 9 Mar) at 31 Mar.
    assert [point["value"] for point in result["lac_records_out_of_timescale"]["value"]] == [
        0,
        0,
        0,
        1,
        1,
        2,
        1,
        1,
        1,
        1,
        1,
        2,
    ]
    assert result["lac_records_out_of_timescale"]["value"][5]["date"] == "2016-09-30"
    # B's second review was due 27 Dec 2016, D's first 31 Oct 2016; A's next is due Aug 2017.
    assert result["lac_reviews_overdue_at_end"]["value"] == 2
    # 3 children over 1.0 + 0.5 + 0.8 = 2.3 FTE = 1.304...
    assert result["iro_cic_per_fte"]["value"] == 1.3
    assert result["iro_cic_per_fte"]["children"] == 3


def test_a_past_end_date_uses_what_was_due_on_that_day(county):
    """GIVEN A's second review was due on 3 Aug 2016 and held late on 10 Aug
    WHEN the figures are asked for a period ending on Fri 5 Aug 2016
    THEN A counts as overdue that day, with F (first review due 1 May 2015, never held); C,
    reviewed on 28 Jun, is not due again until 28 Sep."""
    result = figures(start="2016-04-01", end="2016-08-05")
    assert result["cic_at_end"]["value"] == 3  # A, C, F
    assert result["lac_reviews_overdue_at_end"]["value"] == 2
    rows = records("lac_reviews_overdue_at_end", start="2016-04-01", end="2016-08-05")
    assert sorted((row["child"].split()[0], row["next_review_due"]) for row in rows) == [
        ("Alex", "2016-08-03"),
        ("Fin", "2015-05-01"),
    ]
    # 30 Sep 2016: C leaves that day; A (next due 10 Feb 2017) and B (27 Dec) are not overdue.
    assert figures(start="2016-09-01", end="2016-09-30")["lac_reviews_overdue_at_end"]["value"] == 1


def test_legal_status_is_the_one_on_the_end_date(county):
    # On 31 Dec 2016 B (V2 until 1 Feb 2017) and D are accommodated under s20.
    assert figures(start="2016-10-01", end="2016-12-31")["cic_s20_at_end"]["value"] == 2


def test_team_and_iro_filters(county):
    north = figures(team=county["north"].pk)
    south = figures(team=county["south"].pk)
    # Reviews by chair: North chaired A1, A2, A3, B1; South chaired C1.
    assert north["lac_reviews_held"]["value"] == 4 and south["lac_reviews_held"]["value"] == 1
    assert north["lac_reviews_late"]["value"] == 1 and south["lac_reviews_late"]["value"] == 0
    # Children by their IRO on 31 Mar 2017: North has A and D, South has B (handed over 1 Jan).
    assert north["cic_at_end"]["value"] == 2 and south["cic_at_end"]["value"] == 1
    # North: 2 children over 1.5 FTE = 1.33; South: 1 over 0.8 = 1.25, rounded half up to 1.3.
    assert north["iro_cic_per_fte"]["value"] == 1.3 and south["iro_cic_per_fte"]["value"] == 1.3
    # South's C1 record (due 26 Jul) is the only South record ever out of timescale.
    assert [p["value"] for p in south["lac_records_out_of_timescale"]["value"]][-1] == 1
    # Started: by the IRO on the first day: A, B, D North; C South. Ended: C and F, both South.
    assert north["cic_started"]["value"] == 3 and south["cic_ceased"]["value"] == 2
    only_north2 = figures(iro=county["north2"].pk)
    assert only_north2["lac_reviews_held"]["value"] == 1  # A3
    assert only_north2["cic_at_end"]["value"] == 1  # D


def test_late_reviews_drill_down_gives_due_and_actual_dates(county):
    rows = records("lac_reviews_late")
    assert len(rows) == 1
    assert rows[0]["child"].startswith("Alex")
    assert (rows[0]["due_date"], rows[0]["review_date"], rows[0]["days_late"]) == (
        "2016-08-03",
        "2016-08-10",
        7,
    )
    assert rows[0]["late_reason"] == "The carer was in hospital."
    assert records("lac_reviews_on_time") == rows


def test_records_out_of_timescale_drill_down_is_at_the_end_date(county):
    rows = records("lac_records_out_of_timescale")
    # C1 due 26 Jul 2016 (248 days before 31 Mar 2017), A3 due 9 Mar 2017 (22 days).
    assert [(row["child"].split()[0], row["record_due"], row["days_overdue_at_end"]) for row in rows] == [
        ("Cal", "2016-07-26", 248),
        ("Alex", "2017-03-09", 22),
    ]
    # At 30 Sep 2016: C1 and A2 (sent 3 Oct).
    sep = records("lac_records_out_of_timescale", start="2016-09-01", end="2016-09-30")
    assert [row["review_date"] for row in sep] == ["2016-06-28", "2016-08-10"]


def test_sw_reports_and_participation_drill_down(county):
    rows = records("lac_sw_reports_on_time")
    assert len(rows) == 5
    # The three late or missing first.
    assert [row["on_time"] for row in rows] == [False, False, False, True, True]
    missing = [row for row in rows if row["sw_report_received"] is None]
    assert [(row["review_date"], row["sw_report_due"]) for row in missing] == [("2017-02-09", "2017-02-06")]
    participation = records("lac_participation")
    # PN0 is not in the measure: 4 rows, the PN7 one first.
    assert participation[0]["participation_code"] == "PN7"
    assert len(participation) == 4


def test_children_in_care_drill_down(county):
    rows = records("cic_at_end")
    assert sorted((row["child"].split()[0], row["legal_status"], row["iro"]) for row in rows) == [
        ("Alex", "C2", "North One"),
        ("Bea", "C1", "South One"),
        ("Dee", "V2", "North Two"),
    ]
    # B's second review was due 27 Dec 2016 after B1 on 27 Sep.
    bea = next(row for row in rows if row["child"].startswith("Bea"))
    assert (bea["last_review"], bea["next_review_due"]) == ("2016-09-27", "2016-12-27")


def test_monthly_series_of_a_rate(county, token_client):
    body = (
        token_client("figures")
        .get("/api/v1/figures/lac_sw_reports_on_time/series/", {**YEAR, "interval": "month"})
        .json()
    )
    by_month = {point["start"][:7]: point["figure"] for point in body["points"]}
    # August: A2 only, its report late. September: B1, on time. July: no reviews, no rate.
    assert by_month["2016-08"]["value"] == 0.0
    assert by_month["2016-09"]["value"] == 100.0
    assert by_month["2016-07"]["value"] is None


@pytest.fixture
def continuity():
    """P: reviews 3 May and 2 Aug 2016, both chaired by X. Q: the same dates, chaired by X then
    Y. R: one review only (not in the measure). On 31 Mar 2017 P's IRO is X (North), Q's is Y
    (South), R's is X."""
    x = StaffMemberFactory(team=TeamFactory(name="North"))
    y = StaffMemberFactory(team=TeamFactory(name="South"))
    for name, chairs, iro in [("P", [x, x], x), ("Q", [x, y], y), ("R", [x], x)]:
        child = ChildFactory(first_name=name)
        period_of_care(child=child, start_date=date(2016, 4, 4))
        IroAllocationFactory(child=child, iro=iro, start_date=date(2016, 4, 4))
        for held_on, chair in zip([date(2016, 5, 3), date(2016, 8, 2)], chairs, strict=False):
            review(child=child, parts=held_on, chair=chair, participation_code="PN1")
    return {"north": x.team, "south": y.team}


def test_iro_continuity(continuity):
    # P kept one IRO, Q did not; R had one review: 1 of 2.
    assert figures()["iro_continuity"] == {"value": 50.0, "numerator": 1, "denominator": 2, "unit": "%"}
    # By the child's IRO on the end date: North has P (1/1), South has Q (0/1).
    assert figures(team=continuity["north"].pk)["iro_continuity"]["value"] == 100.0
    assert figures(team=continuity["south"].pk)["iro_continuity"]["value"] == 0.0
    rows = records("iro_continuity")
    assert [(row["child"].split()[0], row["same_iro"]) for row in rows] == [("Q", False), ("P", True)]


def _county_of_size(children: int) -> None:
    team = TeamFactory(name="North")
    iro = StaffMemberFactory(team=team)
    for number in range(children):
        child = ChildFactory()
        period_of_care(child=child, start_date=date(2016, 4, 4), legal_status="V2" if number % 2 else "C2")
        IroAllocationFactory(child=child, iro=iro, start_date=date(2016, 4, 4))
        review(child=child, parts=date(2016, 5, 3), chair=iro, participation_code="PN1")
        review(
            child=child,
            parts=date(2016, 8, 10),
            chair=iro,
            participation_code="PN7",
            record_completed=date(2016, 8, 11),
        )


def test_every_drill_down_row_carries_the_child_it_shows(county):
    """The child's id in every row, so the access log can record each child shown."""
    for key in CIC_KEYS:
        # The IRO figures' rows are about staff, not children (reports/figures/people.py).
        if REGISTRY[key].records is None or REGISTRY[key].records_need == IRO_ROWS_NEED:
            continue
        for row in records(key):
            child = Child.objects.get(pk=row["child_id"])
            assert child.local_child_id == row["local_child_id"], key


def _queries_for_the_section(team=None) -> int:
    query, _ = figure_query_parse({**YEAR, "keys": ",".join(CIC_KEYS), "team": team})
    with CaptureQueriesContext(connection) as captured:
        figures_compute(query=query, keys=CIC_KEYS)
        for key in CIC_KEYS:
            if REGISTRY[key].records is not None:
                figure_records(query=query, key=key)
    return len(captured)


def test_query_count_does_not_grow_with_the_data():
    _county_of_size(2)
    small = _queries_for_the_section()
    _county_of_size(8)
    large = _queries_for_the_section()
    assert small == large
    # One query per figure (two for the caseload per FTE) plus one per drill-down, less those
    # shared in the run: the periods' counts with the caseload's children (3), the IROs in post
    # for the FTE, the head count and the caseload (2), the reviews held, on time and late (2),
    # the two paperwork rates (1) and the two participation figures (1).
    with_drill_down = sum(1 for key in CIC_KEYS if REGISTRY[key].records is not None)
    assert small == len(CIC_KEYS) + 1 + with_drill_down - 9
