"""The CIN census export of a section 47 enquiry's assessment (the Assessments module), and of
the episodes around it, as the DfE's rules ask: every enquiry with its assessment (query
2991Q), only the assessments open in the year (rule 8696), no factors before authorisation
(8614), an episode kept open while its assessment goes on (8867) and begun by an assessment
that began before the enquiry (1103); and a conference booked for a later episode does not keep
an earlier one open (8815, 8816, 8820)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from lxml import etree

from conferences.cin_census import export_cin_census, import_cin_census
from conferences.models import Section47Enquiry
from conferences.services import (
    ChildDecision,
    conference_book,
    conference_record,
    section47_assessment_record,
    strategy_discussion_record,
)
from tests.conferences.test_cin_census import child_xml, episode_xml, message, rejected, schema
from tests.factories import StaffMemberFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db


def _export(year: int) -> etree._Element:
    out = io.BytesIO()
    export_cin_census(year=year, destination=out, check=False)
    return etree.fromstring(out.getvalue())


def _leaves(element) -> list[tuple[str, str]]:
    return [(e.tag, e.text) for e in element.iter() if len(e) == 0]


@pytest.fixture
def amy_with_a_plan():
    """Amy's enquiry from Wed 4 May 2016, her initial conference on Fri 20 May starting a plan
    for neglect (open on 31 March 2017)."""
    chair = StaffMemberFactory(job_role="iro")
    family, (amy,) = family_with_children("Amy", start=date(2015, 1, 1), date_of_birth=date(2012, 5, 5))
    discussion = strategy_discussion_record(family=family, on=date(2016, 5, 4), children=[amy])
    initial = conference_book(
        family=family,
        conference_type="initial",
        on=date(2016, 5, 20),
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )
    conference_record(conference=initial, decisions={amy.pk: ChildDecision("plan_started", ("NEG",))})
    return family, amy, discussion.enquiries.get(), chair


def test_an_authorised_assessment_is_written_with_its_factors_before_the_enquiry(amy_with_a_plan):
    _, _, enquiry, _ = amy_with_a_plan
    section47_assessment_record(
        enquiry=enquiry,
        started_on=date(2016, 5, 4),
        authorised_on=date(2016, 6, 1),
        factors=["16A", "3B"],
    )

    document = _export(2017)

    assert schema(2017, allow_zero_previous=True).validate(document)
    details = document.find("Children/Child/CINdetails")
    assert [e.tag for e in details].index("Assessments") < [e.tag for e in details].index("Section47")
    assert _leaves(details.find("Assessments")) == [
        ("AssessmentActualStartDate", "2016-05-04"),
        ("AssessmentAuthorisationDate", "2016-06-01"),
        ("AssessmentFactors", "16A"),
        ("AssessmentFactors", "3B"),
    ]


def test_an_assessment_authorised_before_the_year_is_left_out_and_one_after_it_has_no_end(amy_with_a_plan):
    """Authorised on 1 June 2016: in the 2016-17 census, not in 2017-18's (the plan is still
    open, so the episode is). Authorised on 3 April 2017, after the 2016-17 year: that census
    has the start only, with no factors."""
    _, _, enquiry, _ = amy_with_a_plan
    section47_assessment_record(
        enquiry=enquiry, started_on=date(2016, 5, 4), authorised_on=date(2016, 6, 1), factors=["16A"]
    )
    assert _export(2018).find("Children/Child/CINdetails/Assessments") is None

    section47_assessment_record(
        enquiry=enquiry, started_on=date(2016, 5, 4), authorised_on=date(2017, 4, 3), factors=["16A"]
    )
    assert _leaves(_export(2017).find("Children/Child/CINdetails/Assessments")) == [
        ("AssessmentActualStartDate", "2016-05-04")
    ]


def test_an_assessment_still_going_on_keeps_the_episode_open_and_one_begun_earlier_begins_it():
    """Ben's enquiry from Mon 9 Jan 2017 led to no conference; his assessment began on Thu
    5 Jan 2017, before it. Without an assessment the episode would close on the enquiry's start;
    with one not yet authorised it stays open; once authorised (Fri 10 Feb) it closes then."""
    family, (ben,) = family_with_children("Ben", start=date(2015, 1, 1), date_of_birth=date(2010, 3, 3))
    discussion = strategy_discussion_record(family=family, on=date(2017, 1, 9), children=[ben])
    enquiry = discussion.enquiries.get()
    closed = _export(2017).find("Children/Child/CINdetails")
    assert closed.findtext("CINclosureDate") == "2017-01-09"

    section47_assessment_record(enquiry=enquiry, started_on=date(2017, 1, 5))
    details = _export(2017).find("Children/Child/CINdetails")
    assert details.findtext("CINreferralDate") == "2017-01-05"
    assert details.find("CINclosureDate") is None

    section47_assessment_record(
        enquiry=enquiry, started_on=date(2017, 1, 5), authorised_on=date(2017, 2, 10), factors=["3B"]
    )
    details = _export(2017).find("Children/Child/CINdetails")
    assert details.findtext("CINclosureDate") == "2017-02-10"
    assert schema(2017).validate(_export(2017))


def test_a_conference_booked_for_a_later_episode_leaves_the_earlier_one_closed(amy_with_a_plan):
    """Amy's plan ends at her review on Fri 11 Nov 2016; a new enquiry follows on Mon 6 Feb 2017
    and its initial conference is booked for Fri 24 Feb, and not recorded as held: the second
    episode is open, and the first closed on 11 November."""
    family, amy, _, chair = amy_with_a_plan
    review = conference_book(
        family=family,
        conference_type="first_review",
        on=date(2016, 11, 11),
        chair=chair,
        children=[(amy, "first_review")],
    )
    conference_record(
        conference=review, decisions={amy.pk: ChildDecision("plan_ended", end_reason="no_longer_at_risk")}
    )
    again = strategy_discussion_record(family=family, on=date(2017, 2, 6), children=[amy])
    conference_book(
        family=family,
        conference_type="initial",
        on=date(2017, 2, 24),
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=again,
    )

    episodes = _export(2017).findall("Children/Child/CINdetails")

    assert [(e.findtext("CINreferralDate"), e.findtext("CINclosureDate")) for e in episodes] == [
        ("2016-05-04", "2016-11-11"),
        ("2017-02-06", None),
    ]


ASSESSED = (
    "<Assessments><AssessmentActualStartDate>2016-05-02</AssessmentActualStartDate>"
    "<AssessmentAuthorisationDate>2016-06-10</AssessmentAuthorisationDate>"
    "<FactorsIdentifiedAtAssessment><AssessmentFactors>3B</AssessmentFactors>"
    "<AssessmentFactors>16A</AssessmentFactors><AssessmentFactors>3B</AssessmentFactors>"
    "</FactorsIdentifiedAtAssessment></Assessments>"
)
S47 = (
    "<Section47><S47ActualStartDate>2016-05-03</S47ActualStartDate>"
    "<DateOfInitialCPC>2016-06-01</DateOfInitialCPC><ICPCnotRequired>false</ICPCnotRequired></Section47>"
)


def test_an_imported_assessment_is_kept_with_its_enquiry_and_exported_again():
    """X1's episode has an assessment from Mon 2 May 2016, authorised Fri 10 June, factors 3B and
    16A (3B given twice, kept once), and an enquiry from Tue 3 May: the enquiry takes the
    assessment begun on or before it. Exported again, the census has the same assessment."""
    import_cin_census(io.BytesIO(message(child_xml(details=[episode_xml(s47=ASSESSED + S47)]))), name="a.xml")

    enquiry = Section47Enquiry.objects.get()
    assert (enquiry.assessment_started_on, enquiry.assessment_authorised_on, enquiry.assessment_factors) == (
        date(2016, 5, 2),
        date(2016, 6, 10),
        ["3B", "16A"],
    )
    assert _leaves(_export(2017).find("Children/Child/CINdetails/Assessments")) == [
        ("AssessmentActualStartDate", "2016-05-02"),
        ("AssessmentAuthorisationDate", "2016-06-10"),
        ("AssessmentFactors", "3B"),
        ("AssessmentFactors", "16A"),
    ]


def test_an_unknown_factor_or_factors_before_authorisation_are_problems_naming_the_element():
    bad = ASSESSED.replace("<AssessmentFactors>16A<", "<AssessmentFactors>99Z<")
    unauthorised = ASSESSED.replace(
        "<AssessmentAuthorisationDate>2016-06-10</AssessmentAuthorisationDate>", ""
    )
    for assessment, starts in (
        (bad, "'99Z' is not an assessment factor code"),
        (unauthorised, "Factors are given"),
    ):
        caught = rejected(message(child_xml(details=[episode_xml(s47=assessment + S47)])))
        problems = [p for p in caught.problems if p.field == "AssessmentFactors"]
        assert problems and problems[0].message.startswith(starts), caught.problems
    assert not Section47Enquiry.objects.exists()
