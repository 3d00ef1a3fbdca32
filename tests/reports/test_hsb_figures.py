"""The harmful sexual behaviour figures against a hand-made county, with the expected values
worked out in the comments; whether a child was in care comes from the periods of care, across
two periods and the gap between them; and the records behind the figures."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hsb.selectors import referrals_for_figures
from iro_service.audit.models import AccessLog
from reports.figures import FigureQuery
from reports.figures.base import REGISTRY
from reviews import services as reviews
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.hsb import decided, hsb_lead, meeting, referral
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db

YEAR = FigureQuery(start=date(2016, 4, 1), end=date(2017, 3, 31))


def _two_periods_and_a_gap(child):
    """In care 4 April to 1 July 2016 (left that day), not in care until 3 October 2016, in
    care again from then on."""
    first = period_of_care(child=child, start_date=date(2016, 4, 4))
    reviews.period_of_care_end(period=first, end_date=date(2016, 7, 1), reason_ceased="E11")
    period_of_care(child=child, start_date=date(2016, 10, 3))


@pytest.fixture
def county():
    """Referrals and meetings of 2016-17 and either side of it:

    - R1 Amy (WBRI) received 2 May 2016, red; meeting 20 May (in care: first period).
    - R2 Amy received 24 Jun 2016, amber; meeting 1 Jul (the day she left care: not in care) and
      a review meeting 14 Nov (in care again: second period).
    - R3 Ben (WIRI, in care from 1 Jun 2016) received 1 Sep 2016, green, basic intervention;
      a meeting all the same on 20 Sep (override reason): in care.
    - R4 Cal (WBRI) received 10 Jan 2017, green, no further action.
    - R5 Dee (MWBC) received 20 Mar 2017, not yet rated or decided.
    - R6 Eve (WBRI) received 30 Mar 2016 (the year before), amber; meeting 5 Apr 2016, in the
      year: the meeting counts, the referral does not. Not in care.
    - R7 Fay received 2 Apr 2017 (the year after): counts nowhere.
    Amy's IRO is Ian Vale from 1 April 2016; Ian chairs both of R2's meetings."""
    lead = hsb_lead()
    ian = StaffMemberFactory(first_name="Ian", last_name="Vale")
    amy = ChildFactory(first_name="Amy", ethnicity="WBRI", sex="F", date_of_birth=date(2004, 1, 1))
    _two_periods_and_a_gap(amy)
    IroAllocationFactory(child=amy, iro=ian, start_date=date(2016, 4, 1))
    ben = ChildFactory(first_name="Ben", ethnicity="WIRI")
    period_of_care(child=ben, start_date=date(2016, 6, 1))
    cal = ChildFactory(first_name="Cal", ethnicity="WBRI")
    dee = ChildFactory(first_name="Dee", ethnicity="MWBC")
    eve = ChildFactory(first_name="Eve", ethnicity="WBRI")
    fay = ChildFactory(first_name="Fay", ethnicity="WBRI")

    r1 = decided(child=amy, rating="red", received_on=date(2016, 5, 2), by=lead)
    meeting(referral=r1, on=date(2016, 5, 20), chair=lead)
    r2 = decided(child=amy, rating="amber", received_on=date(2016, 6, 24), by=lead)
    meeting(referral=r2, on=date(2016, 7, 1), chair=ian)
    meeting(referral=r2, on=date(2016, 11, 14), chair=ian)
    r3 = decided(
        child=ben, rating="green", outcome="basic_intervention", received_on=date(2016, 9, 1), by=lead
    )
    meeting(referral=r3, on=date(2016, 9, 20), chair=lead, override_reason="The school asked for one")
    decided(child=cal, rating="green", outcome="no_further_action", received_on=date(2017, 1, 10), by=lead)
    referral(child=dee, received_on=date(2017, 3, 20))
    r6 = decided(
        child=eve, rating="amber", received_on=date(2016, 3, 30), decided_on=date(2016, 3, 31), by=lead
    )
    meeting(referral=r6, on=date(2016, 4, 5), chair=lead)
    decided(child=fay, rating="red", received_on=date(2017, 4, 2), by=lead)
    return {"ian": ian, "amy": amy, "ben": ben}


def _value(key, query=YEAR):
    return REGISTRY[key].compute(query)["value"]


def test_referrals_meetings_and_below_threshold(county):
    # R1-R5 were received in the year (R6 before it, R7 after): 5.
    assert _value("hsb_referrals") == 5
    # R1's, R2's two, R3's and R6's meeting were held in the year: 5.
    assert _value("hsb_meetings_held") == 5
    # Green and decided: R3 and R4 (R5 is not decided): 2.
    assert _value("hsb_below_threshold") == 2


def test_referrals_by_rating_outcome_and_ethnicity(county):
    # Green R3 R4; amber R2; red R1; R5 not rated.
    assert _value("hsb_referrals_by_rating") == {"green": 2, "amber": 1, "red": 1, "not_rated": 1}
    # A meeting for R1 and R2; basic intervention R3; no further action R4; R5 not decided.
    assert _value("hsb_referrals_by_outcome") == {
        "hsb_meeting": 2,
        "basic_intervention": 1,
        "post_abuse_therapy": 0,
        "no_further_action": 1,
        "not_decided": 1,
    }
    # Amy twice and Cal (WBRI), Ben (WIRI), Dee (MWBC).
    assert _value("hsb_referrals_by_ethnicity") == {"MWBC": 1, "WBRI": 3, "WIRI": 1}


def test_children_at_meetings_in_care_on_the_meeting_date(county):
    # In care on the day: Amy at R1's (first period) and at R2's review (second period), not at
    # R2's first meeting (she left care that day); Ben at R3's; not Eve at R6's. Amy counts once:
    # Amy and Ben, 2.
    assert _value("hsb_meetings_children_in_care") == 2


def test_the_iro_filter(county):
    by_ian = FigureQuery(start=YEAR.start, end=YEAR.end, iro_id=county["ian"].pk)
    # Referrals of Ian's children (Amy's R1 and R2); meetings Ian chaired (R2's two), of which
    # Amy was in care at the review only: 2, 2, 1.
    assert _value("hsb_referrals", by_ian) == 2
    assert _value("hsb_meetings_held", by_ian) == 2
    assert _value("hsb_meetings_children_in_care", by_ian) == 1
    assert _value("hsb_below_threshold", by_ian) == 0


@pytest.mark.parametrize(
    ("received_on", "in_care"),
    [
        (date(2016, 4, 3), False),  # the day before the first period
        (date(2016, 4, 4), True),  # its first day
        (date(2016, 6, 30), True),
        (date(2016, 7, 1), False),  # the day she left care
        (date(2016, 8, 15), False),  # the gap
        (date(2016, 10, 2), False),
        (date(2016, 10, 3), True),  # the second period's first day
        (date(2017, 3, 31), True),
    ],
)
def test_in_care_is_derived_from_the_periods_across_two_periods_and_a_gap(received_on, in_care):
    child = ChildFactory()
    _two_periods_and_a_gap(child)
    made = referral(child=child, received_on=received_on)
    assert referrals_for_figures().get(pk=made.pk).in_care_on_received is in_care


def test_each_figure_is_a_fixed_number_of_queries(county):
    for key in [key for key in REGISTRY if key.startswith("hsb_")]:
        with CaptureQueriesContext(connection) as queries:
            REGISTRY[key].compute(YEAR)
        assert len(queries) == 1, key


# --- the records behind the figures ---------------------------------------------------------

URL = "/api/v1/figures/hsb_below_threshold/records/"
PERIOD = {"start": "2016-04-01", "end": "2017-03-31"}


def test_the_records_behind_a_figure_are_its_referrals_and_are_logged(county, token_client, senior_user):
    response = token_client("read", user=senior_user).get(URL, PERIOD)
    assert response.status_code == 200
    rows = response.json()["results"]
    # R3 (Ben) and R4 (Cal), the green ones of the year.
    assert [(row["received_on"], row["rating"], row["outcome"]) for row in rows] == [
        ("2016-09-01", "green", "basic_intervention"),
        ("2017-01-10", "green", "no_further_action"),
    ]
    assert AccessLog.objects.filter(what="Figure records: hsb_below_threshold").count() == 2


@pytest.mark.parametrize("persona", ["iro_user", "support_user", "api_user"])
def test_the_records_are_refused_to_those_who_may_not_see_hsb_records(county, token_client, request, persona):
    response = token_client("read", user=request.getfixturevalue(persona)).get(URL, PERIOD)
    # 404, not 403: as on every HSB page and endpoint, nothing says HSB records exist.
    assert response.status_code == 404
    assert "results" not in response.json()
    assert not AccessLog.objects.exists()


def test_a_token_without_the_read_scope_is_still_told_it_needs_it(county, token_client, senior_user):
    assert token_client("figures", user=senior_user).get(URL, PERIOD).status_code == 403


def test_the_figures_themselves_need_only_the_figures_scope(county, token_client):
    response = token_client("figures").get("/api/v1/figures/", {**PERIOD, "keys": "hsb_referrals"})
    assert response.json()["figures"]["hsb_referrals"] == {"value": 5, "unit": "count"}
