"""CIN census (child protection module): import, validation, export, round trip, figures.

The hand-made file ``data/cin_2017_small.xml`` (year ending 31 March 2017) has five children:

- A001: s47 11 Apr 2016, initial conference 25 Apr 2016 starting a NEG plan (first plan,
  NumberOfPreviousCPP 0), reviews 20 Jul 2016 and 23 Jan 2017; open on 31 March.
- B002: plan from 25 Sep 2015 (episode-level initial conference, no s47 in the year), PHY then
  MUL, NumberOfPreviousCPP 1, reviews 18 Dec 2015, 10 Jun 2016, 28 Nov 2016 (the plan's end).
- C003: unborn (expected 1 Jun 2017), s47 9 Jan 2017, pre-birth initial conference 27 Jan 2017
  starting an EMO plan (first); open on 31 March.
- D004: s47 2 Jun 2016, initial conference 20 Jun 2016, no plan; episode closed 31 Aug 2016.
- E005: s47 1 Sep 2016, initial conference 26 Sep 2016 starting a PHY plan (2 previous declared),
  reviews 19 Dec 2016 and 20 Mar 2017 (the plan's end).
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from conferences.cin_census import export_cin_census, import_cin_census
from conferences.models import (
    ChildProtectionPlan,
    ChildStage,
    CinEpisode,
    Conference,
    ConferenceChild,
    ConferenceOutcome,
    ConferenceType,
    PlanEndReason,
    Section47Enquiry,
    StrategyDiscussion,
)
from conferences.services import ChildDecision, conference_book, conference_record, strategy_discussion_record
from iro_service.audit.models import AccessLog, DataExchange, ExchangeOutcome
from iro_service.core.imports import ImportRejected
from iro_service.people.models import Child, Family, FamilyMembership
from tests.factories import ChildFactory, StaffMemberFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SMALL = DATA / "cin_2017_small.xml"
SCHEMAS = files("liiatools.spec.cin_census")


def schema(year: int, *, allow_zero_previous: bool = False) -> etree.XMLSchema:
    """The liiatools copy of the DfE schema; optionally with NumberOfPreviousCPP relaxed to
    accept 0 (the one value the export writes that this copy refuses; see the exporter)."""
    text = (SCHEMAS / f"CIN_schema_{year}.xsd").read_bytes()
    if allow_zero_previous:
        line = b'name="NumberOfPreviousCPP" type="xs:positiveInteger"'
        assert text.count(line) == 1
        text = text.replace(line, b'name="NumberOfPreviousCPP" type="xs:nonNegativeInteger"')
    return etree.XMLSchema(etree.fromstring(text))


def model_counts() -> dict[str, int]:
    models = [
        Child,
        Family,
        FamilyMembership,
        StrategyDiscussion,
        Section47Enquiry,
        Conference,
        ConferenceChild,
        ChildProtectionPlan,
        CinEpisode,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts.update({f"history {m.__name__}": m.history.count() for m in models})
    return counts


# --- small XML builders for the validation cases ---------------------------------------------


def child_xml(
    child_id="X1",
    *,
    identifiers="<PersonBirthDate>2010-01-01</PersonBirthDate><GenderCurrent>1</GenderCurrent>",
    characteristics="<Ethnicity>WBRI</Ethnicity>",
    details=None,
) -> str:
    if details is None:
        details = [episode_xml()]
    return (
        f"<Child><ChildIdentifiers><LAchildID>{child_id}</LAchildID>{identifiers}</ChildIdentifiers>"
        f"<ChildCharacteristics>{characteristics}</ChildCharacteristics>{''.join(details)}</Child>"
    )


def episode_xml(*, head="", s47="", plans=None, referral="2016-05-01") -> str:
    if plans is None:
        plans = [plan_xml()]
    return (
        f"<CINdetails><CINreferralDate>{referral}</CINreferralDate><ReferralSource>1A</ReferralSource>"
        f"{head}{s47}<ReferralNFA>false</ReferralNFA>{''.join(plans)}</CINdetails>"
    )


def plan_xml(start="2016-06-01", end="", initial="NEG", latest="NEG", previous="0", reviews=()) -> str:
    end_xml = f"<CPPendDate>{end}</CPPendDate>" if end else ""
    reviews_xml = (
        "<Reviews>" + "".join(f"<CPPreviewDate>{r}</CPPreviewDate>" for r in reviews) + "</Reviews>"
        if reviews
        else ""
    )
    return (
        f"<ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate>{end_xml}"
        f"<InitialCategoryOfAbuse>{initial}</InitialCategoryOfAbuse>"
        f"<LatestCategoryOfAbuse>{latest}</LatestCategoryOfAbuse>"
        f"<NumberOfPreviousCPP>{previous}</NumberOfPreviousCPP>{reviews_xml}</ChildProtectionPlans>"
    )


def message(*children: str) -> bytes:
    return f"<Message><Children>{''.join(children)}</Children></Message>".encode()


def rejected(content: bytes, name="test.xml") -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        import_cin_census(io.BytesIO(content), name=name)
    return caught.value


def generated_census(children: int, *, year: int = 2017, first: int = 0) -> bytes:
    """A synthetic year of ``children`` children, each with a section 47 enquiry, an initial
    conference starting a plan, and reviews at 3 and 9 months while in the year; every third
    plan ends at its last review. Used for the query-count guard and the benchmark."""
    start = date(year - 1, 4, 1)
    parts = []
    for number in range(first, first + children):
        referral = start + timedelta(days=number % 300)
        s47 = referral + timedelta(days=2)
        initial = s47 + timedelta(days=14)
        reviews = [
            d for d in (initial + timedelta(days=85), initial + timedelta(days=260)) if d < date(year, 3, 31)
        ]
        end = reviews[-1].isoformat() if reviews and number % 3 == 0 else ""
        category = ("NEG", "PHY", "EMO", "SAB", "MUL")[number % 5]
        parts.append(
            child_xml(
                f"G{number:06d}",
                identifiers=f"<PersonBirthDate>{2004 + number % 12}-03-15</PersonBirthDate>"
                f"<GenderCurrent>{1 + number % 2}</GenderCurrent>",
                details=[
                    episode_xml(
                        referral=referral.isoformat(),
                        head=f"<PrimaryNeedCode>N1</PrimaryNeedCode><DateOfInitialCPC>{initial}</DateOfInitialCPC>",
                        s47=f"<Section47><S47ActualStartDate>{s47}</S47ActualStartDate>"
                        f"<DateOfInitialCPC>{initial}</DateOfInitialCPC><ICPCnotRequired>false</ICPCnotRequired>"
                        "</Section47>",
                        plans=[
                            plan_xml(
                                start=initial.isoformat(),
                                end=end,
                                initial=category,
                                latest=category,
                                previous=str(number % 3),
                                reviews=[r.isoformat() for r in reviews],
                            )
                        ],
                    )
                ],
            )
        )
    return message(*parts)


def three_children(year: int) -> bytes:
    """Three children on a plan from 1 February of collection year ``year`` (to 31 March
    ``year``): B1 a boy and G1 a girl, both born in 2015, and U1 expected on 15 May, after the
    year's end. The sex is given as GenderCurrent, as the census did to 2023-24."""
    details = [
        episode_xml(referral=f"{year}-01-10", plans=[plan_xml(start=f"{year}-02-01")]),
    ]
    born = "<PersonBirthDate>2015-01-01</PersonBirthDate>"
    return message(
        child_xml("B1", identifiers=f"{born}<GenderCurrent>1</GenderCurrent>", details=details),
        child_xml("G1", identifiers=f"{born}<GenderCurrent>2</GenderCurrent>", details=details),
        child_xml(
            "U1",
            identifiers=f"<ExpectedPersonBirthDate>{year}-05-15</ExpectedPersonBirthDate>"
            "<GenderCurrent>0</GenderCurrent>",
            details=details,
        ),
    )


# --- importing --------------------------------------------------------------------------------


def test_import_creates_the_childrens_records_as_worked_out_by_hand():
    tally = import_cin_census(SMALL, name=SMALL.name)

    counts = tally.as_dict()
    # 5 children, each in a new one-child family; s47s for A, C, D, E; conferences: initial for
    # A, B (episode level), C, D, E = 5, reviews A 2 + B 3 + E 2 = 7, so 12; plans A, B, C, E.
    assert counts["children"] == {"created": 5, "updated": 0, "unchanged": 0}
    assert counts["families"]["created"] == 5
    assert counts["section47_enquiries"]["created"] == 4
    assert counts["conferences"]["created"] == 12
    assert counts["cp_plans"]["created"] == 4
    assert counts["cin_episodes"]["created"] == 5

    a = Child.objects.get(local_child_id="A001")
    assert (a.full_name, a.sex, a.ethnicity, a.disabilities, a.upn) == (
        "Child A001 (name not recorded)",
        "M",
        "WBRI",
        ["NONE"],
        "A123456789012",
    )
    assert Child.objects.get(local_child_id="B002").upn == "UN2"
    c = Child.objects.get(local_child_id="C003")
    assert (c.date_of_birth, c.expected_date_of_birth, c.sex) == (None, date(2017, 6, 1), "U")
    assert Family.objects.get(reference="CIN-A001").memberships.get().child == a

    plan = ChildProtectionPlan.objects.get(child=a)
    assert (plan.categories, plan.initial_category, plan.previous_plans_declared) == (["NEG"], "NEG", 0)
    assert plan.start_conference.date == date(2016, 4, 25)
    assert plan.start_conference.chair is None
    # The initial conference follows the s47 enquiry through a discussion dated on its start.
    enquiry = Section47Enquiry.objects.get(child=a)
    assert enquiry.start_date == date(2016, 4, 11)
    assert plan.start_conference.strategy_discussion == enquiry.strategy_discussion
    assert enquiry.strategy_discussion.date == date(2016, 4, 11)

    stages = list(
        ConferenceChild.objects.filter(child=a)
        .order_by("conference__date")
        .values_list("conference__conference_type", "stage", "outcome")
    )
    assert stages == [
        ("initial", "initial", "plan_started"),
        ("first_review", "first_review", "plan_continued"),
        ("review", "review", "plan_continued"),
    ]
    # C was not born on 27 Jan 2017: a pre-birth conference. D's found no plan needed.
    assert ConferenceChild.objects.get(child=c).stage == ChildStage.INITIAL_PRE_BIRTH
    assert ConferenceChild.objects.get(child__local_child_id="D004").outcome == ConferenceOutcome.NOT_NEEDED

    b_plan = ChildProtectionPlan.objects.get(child__local_child_id="B002")
    assert (b_plan.end_date, b_plan.end_reason) == (date(2016, 11, 28), PlanEndReason.NOT_RECORDED)
    assert b_plan.end_conference.date == date(2016, 11, 28)
    assert b_plan.end_conference.conference_type == ConferenceType.REVIEW

    exchange = DataExchange.objects.get()
    assert (exchange.outcome, exchange.files, exchange.counts) == ("imported", SMALL.name, counts)


def test_the_sex_is_read_from_sex_as_the_census_gives_it_from_2024_25():
    born = "<PersonBirthDate>2010-01-01</PersonBirthDate>"
    content = message(
        child_xml("F1", identifiers=f"{born}<Sex>F</Sex>"),
        child_xml("M1", identifiers=f"{born}<Sex>M</Sex>"),
        child_xml(
            "U1", identifiers="<ExpectedPersonBirthDate>2017-06-01</ExpectedPersonBirthDate><Sex>U</Sex>"
        ),
        child_xml("G1", identifiers=f"{born}<GenderCurrent>2</GenderCurrent>"),
    )

    import_cin_census(io.BytesIO(content), name="2025.xml")

    assert dict(Child.objects.values_list("local_child_id", "sex")) == {
        "F1": "F",
        "M1": "M",
        "U1": "U",
        "G1": "F",
    }


def test_due_dates_of_imported_conferences_come_from_the_refresh_service():
    import_cin_census(SMALL, name=SMALL.name)

    links = {
        link.conference.date: link.due_date
        for link in ConferenceChild.objects.filter(child__local_child_id="A001").select_related("conference")
    }
    # Initial: 15 working days after the discussion on Mon 11 Apr 2016 = Tue 3 May 2016 (the
    # 2 May bank holiday skipped). 1st review: 25 Apr + 3 months = 25 Jul 2016. Next review:
    # 20 Jul 2016 + 6 months = 20 Jan 2017.
    assert links == {
        date(2016, 4, 25): date(2016, 5, 3),
        date(2016, 7, 20): date(2016, 7, 25),
        date(2017, 1, 23): date(2017, 1, 20),
    }
    assert Conference.objects.filter(record_due__isnull=True).count() == 0
    # A's plan is open: its next review is 6 months after the last held, 23 Jan 2017. B's ended.
    next_reviews = dict(
        ChildProtectionPlan.objects.values_list("child__local_child_id", "next_review_counted_from")
    )
    assert next_reviews["A001"] == date(2017, 1, 23)
    assert next_reviews["B002"] is None
    assert ChildProtectionPlan.objects.get(child__local_child_id="A001").next_review_due == date(2017, 7, 23)


def test_number_of_previous_plans_0_is_accepted_and_mul_is_stored_as_not_itemised():
    import_cin_census(SMALL, name=SMALL.name)

    assert ChildProtectionPlan.objects.get(child__local_child_id="A001").previous_plans_declared == 0
    b_plan = ChildProtectionPlan.objects.get(child__local_child_id="B002")
    assert (b_plan.categories, b_plan.categories_not_itemised, b_plan.initial_category) == ([], True, "PHY")
    assert b_plan.category_labels == ["More than one category (not itemised)"]


def test_reimporting_the_same_file_creates_nothing():
    import_cin_census(SMALL, name=SMALL.name)
    before = model_counts()

    tally = import_cin_census(SMALL, name=SMALL.name).as_dict()

    assert model_counts() == before
    for kind in ("children", "section47_enquiries", "conferences", "cp_plans", "cin_episodes"):
        assert tally[kind]["created"] == 0, kind
        assert tally[kind]["updated"] == 0, kind
    # Unchanged: 5 children, 4 s47s, 12 conferences, 4 plans, 5 episodes.
    assert [
        tally[k]["unchanged"] for k in ("children", "section47_enquiries", "conferences", "cp_plans")
    ] == [
        5,
        4,
        12,
        4,
    ]
    assert tally["cin_episodes"]["unchanged"] == 5


def test_reimporting_a_corrected_file_updates_the_changed_values():
    import_cin_census(SMALL, name=SMALL.name)
    text = SMALL.read_text()
    # A001 becomes White Irish; E005's plan is now open (the end date withdrawn).
    text = text.replace(
        "<Ethnicity>WBRI</Ethnicity>\n        <Disabilities>",
        "<Ethnicity>WIRI</Ethnicity>\n        <Disabilities>",
    )
    text = text.replace("<CPPendDate>2017-03-20</CPPendDate>", "")
    text = text.replace("<CPPreviewDate>2017-03-20</CPPreviewDate>", "")

    tally = import_cin_census(io.BytesIO(text.encode()), name="corrected.xml").as_dict()

    assert tally["children"] == {"created": 0, "updated": 1, "unchanged": 4}
    assert tally["cp_plans"] == {"created": 0, "updated": 1, "unchanged": 3}
    assert Child.objects.get(local_child_id="A001").ethnicity == "WIRI"
    e_plan = ChildProtectionPlan.objects.get(child__local_child_id="E005")
    assert (e_plan.end_date, e_plan.end_reason, e_plan.end_conference) == (None, "", None)


def test_dry_run_writes_nothing_but_the_history():
    before = model_counts()

    tally = import_cin_census(SMALL, name=SMALL.name, dry_run=True)

    assert tally.as_dict()["children"]["created"] == 5
    assert model_counts() == before
    exchange = DataExchange.objects.get()
    assert exchange.outcome == ExchangeOutcome.CHECKED
    assert exchange.counts["cp_plans"]["created"] == 4


# --- validation ---------------------------------------------------------------------------------

CASES = [
    (
        child_xml(
            identifiers="<PersonBirthDate>2010-01-01</PersonBirthDate><GenderCurrent>3</GenderCurrent>"
        ),
        "Child 1 (LAchildID X1)",
        "GenderCurrent",
        "'3' is not a gender code",
    ),
    (
        child_xml(identifiers="<PersonBirthDate>2010-01-01</PersonBirthDate><Sex>X</Sex>"),
        "Child 1 (LAchildID X1)",
        "Sex",
        "'X' is not a sex code. Use one of: F, M, U.",
    ),
    (
        child_xml(identifiers="<PersonBirthDate>2010-01-01</PersonBirthDate>"),
        "Child 1 (LAchildID X1)",
        "Sex",
        "The child's sex is missing: give Sex (M, F or U), or GenderCurrent (1, 2, 0 or 9)",
    ),
    (
        child_xml(
            identifiers="<PersonBirthDate>2010-01-01</PersonBirthDate><Sex>F</Sex><GenderCurrent>1</GenderCurrent>"
        ),
        "Child 1 (LAchildID X1)",
        "Sex",
        "Sex F and GenderCurrent 1 disagree",
    ),
    (
        child_xml(characteristics="<Ethnicity>WBR</Ethnicity>"),
        "Child 1 (LAchildID X1)",
        "Ethnicity",
        "'WBR' is not a ethnicity code",
    ),
    (
        child_xml(
            characteristics="<Ethnicity>WBRI</Ethnicity><Disabilities><Disability>XYZ</Disability></Disabilities>"
        ),
        "Child 1 (LAchildID X1)",
        "Disability",
        "'XYZ' is not a disability code",
    ),
    (
        child_xml(
            characteristics="<Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability>"
            "<Disability>LD</Disability></Disabilities>"
        ),
        "Child 1 (LAchildID X1)",
        "Disability",
        "NONE must stand alone",
    ),
    (
        child_xml(details=[episode_xml(plans=[plan_xml(latest="ABC")])]),
        "Child 1 (LAchildID X1) / CINdetails 1 / ChildProtectionPlans 1",
        "LatestCategoryOfAbuse",
        "'ABC' is not a category of abuse code",
    ),
    (
        child_xml(
            identifiers="<PersonBirthDate>01/01/2010</PersonBirthDate><GenderCurrent>1</GenderCurrent>"
        ),
        "Child 1 (LAchildID X1)",
        "PersonBirthDate",
        "'01/01/2010' is not a date",
    ),
    (
        child_xml(identifiers="<GenderCurrent>1</GenderCurrent>"),
        "Child 1 (LAchildID X1)",
        "PersonBirthDate",
        "Give the date of birth",
    ),
    (
        child_xml(details=[episode_xml(plans=[plan_xml(start="2016-06-01", end="2016-05-01")])]),
        "Child 1 (LAchildID X1) / CINdetails 1 / ChildProtectionPlans 1",
        "CPPendDate",
        "The plan ends on 1 May 2016, before it starts on 1 June 2016",
    ),
    (
        child_xml(details=[episode_xml(plans=[plan_xml(end="2016-09-01", reviews=["2016-10-01"])])]),
        "Child 1 (LAchildID X1) / CINdetails 1 / ChildProtectionPlans 1",
        "CPPreviewDate",
        "The review on 1 October 2016 is outside the plan (from 1 June 2016 to 1 September 2016)",
    ),
    (
        child_xml(details=[episode_xml(plans=[plan_xml(), plan_xml(start="2016-08-01")])]),
        "Child 1 (LAchildID X1) / CINdetails 1 / ChildProtectionPlans 2",
        "CPPstartDate",
        "The plan starting 1 August 2016 overlaps the plan starting 1 June 2016",
    ),
    (
        child_xml(details=[episode_xml(head="<DateOfInitialCPC>2016-06-10</DateOfInitialCPC>")]),
        "Child 1 (LAchildID X1) / CINdetails 1",
        "DateOfInitialCPC",
        "The initial conference on 10 June 2016 is after the start of the plan on 1 June 2016",
    ),
    (
        child_xml(""),
        "Child 1",
        "LAchildID",
        "The child's LAchildID is missing",
    ),
    (
        child_xml(details=[episode_xml(plans=[plan_xml(previous="-1")])]),
        "Child 1 (LAchildID X1) / CINdetails 1 / ChildProtectionPlans 1",
        "NumberOfPreviousCPP",
        "'-1' is not a number of previous plans",
    ),
    (
        child_xml(
            details=[
                episode_xml(
                    s47="<Section47><S47ActualStartDate>2016-05-10</S47ActualStartDate>"
                    "<DateOfInitialCPC>2016-05-01</DateOfInitialCPC><ICPCnotRequired>false</ICPCnotRequired>"
                    "</Section47>"
                )
            ]
        ),
        "Child 1 (LAchildID X1) / CINdetails 1 / Section47 1",
        "DateOfInitialCPC",
        "The initial conference on 1 May 2016 is before the section 47 enquiry started on 10 May 2016",
    ),
    (
        child_xml(
            details=[
                episode_xml().replace(
                    "<ReferralSource>1A</ReferralSource>", "<ReferralSource>99</ReferralSource>"
                )
            ]
        ),
        "Child 1 (LAchildID X1) / CINdetails 1",
        "ReferralSource",
        "'99' is not a referral source code",
    ),
]


@pytest.mark.parametrize(("child", "where", "field", "message_start"), CASES)
def test_each_problem_names_the_file_element_field_and_says_what_is_wrong(child, where, field, message_start):
    error = rejected(message(child), name="return.xml")

    assert error.count == 1, [str(p) for p in error.problems]
    problem = error.problems[0]
    assert (problem.file, problem.where, problem.field) == ("return.xml", where, field)
    assert problem.message.startswith(message_start), problem.message


def test_a_child_listed_twice_is_a_problem():
    error = rejected(message(child_xml("X1"), child_xml("X1")))

    assert [(p.where, p.field) for p in error.problems] == [("Child 2 (LAchildID X1)", "LAchildID")]
    assert "Child 1 has the same LAchildID" in error.problems[0].message


def test_a_plan_overlapping_one_already_recorded_is_a_problem():
    child = ChildFactory(local_child_id="X1")
    family, _ = family_with_children()
    FamilyMembership.objects.create(family=family, child=child, start_date=date(2016, 1, 1))
    conference = Conference.objects.create(
        family=family, conference_type="initial", date=date(2016, 3, 1), status="held"
    )
    ChildProtectionPlan.objects.create(
        child=child, start_conference=conference, start_date=date(2016, 3, 1), categories=["NEG"]
    )

    error = rejected(message(child_xml("X1")))

    assert error.problems[0].field == "CPPstartDate"
    assert "overlaps the plan from 1 March 2016 (still open) already recorded" in error.problems[0].message


def test_one_bad_child_among_good_ones_writes_nothing_and_keeps_the_problems_in_the_history():
    before = model_counts()
    bad = child_xml("BAD", characteristics="<Ethnicity>ZZZZ</Ethnicity>")
    content = message(child_xml("G1"), child_xml("G2"), bad, child_xml("G3"))

    error = rejected(content, name="mixed.xml")

    assert error.count == 1
    assert model_counts() == before
    exchange = DataExchange.objects.get()
    assert (exchange.outcome, exchange.problem_count) == ("rejected", 1)
    assert exchange.problems[0]["where"] == "Child 3 (LAchildID BAD)"
    assert exchange.problems[0]["field"] == "Ethnicity"


@pytest.mark.parametrize(
    ("content", "start"),
    [
        (b"", "The file is empty or is not XML"),
        (b"CHILD,SEX,DOB\n1,1,01/01/2010\n", "The file is empty or is not XML"),
        (b"<Message><Children><Child>", "The file is not well-formed XML"),
        (b"<Children><Child/></Children>", "This is not a CIN census file: it starts with <Children>"),
        (b"<Message><Children/></Message>", "The file has no <Child> elements"),
    ],
)
def test_a_malformed_file_is_one_clear_problem(content, start):
    error = rejected(content)

    assert error.count == 1
    assert error.problems[0].message.startswith(start), error.problems[0].message


def test_entities_are_not_expanded():
    content = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + message(
        child_xml("&x;")
    )
    # The entity stays unexpanded: no child id, so one problem, and no file contents anywhere.
    error = rejected(content)

    assert "root:" not in json.dumps([p.as_dict() for p in error.problems])


# --- figures after import -----------------------------------------------------------------------


def figures(*keys: str) -> dict:
    out = io.StringIO()
    call_command(
        "figures", "--start", "2016-04-01", "--end", "2017-03-31", "--keys", ",".join(keys), stdout=out
    )
    return json.loads(out.getvalue())["figures"]


def test_child_protection_figures_after_import_equal_those_worked_out_by_hand():
    import_cin_census(SMALL, name=SMALL.name)

    result = figures(
        "cp_plans_at_end",
        "cp_plans_started",
        "cp_plans_ended",
        "cp_repeat_plans",
        "cp_conferences_held",
        "cp_conferences_by_type",
        "icpc_within_15wd_of_s47",
        "icpc_on_time",
        "rcpc_on_time",
        "cp_categories_at_end",
        "cp_children_by_age",
    )

    # Open on 31 Mar 2017: A (from 25 Apr 2016) and C (from 27 Jan 2017).
    assert result["cp_plans_at_end"]["value"] == 2
    # Started in the year: A, C, E. Ended: B (28 Nov 2016), E (20 Mar 2017).
    assert result["cp_plans_started"]["value"] == 3
    assert result["cp_plans_ended"]["value"] == 2
    # Of A, C, E only E is a repeat (NumberOfPreviousCPP 2; A and C say 0): 1 of 3.
    assert (result["cp_repeat_plans"]["numerator"], result["cp_repeat_plans"]["denominator"]) == (1, 3)
    # Held in the year: A 3 (initial, 2 reviews), B 2 (reviews of Jun and Nov 2016; the initial
    # and the first review were in 2015), C 1, D 1, E 3 = 10.
    assert result["cp_conferences_held"]["value"] == 10
    by_type = {k: v for k, v in result["cp_conferences_by_type"]["value"].items() if v}
    assert by_type == {"initial": 3, "initial_pre_birth": 1, "first_review": 2, "review": 4}
    # Initial conferences (not pre-birth): A 10 working days after its s47 start (11 -> 25 Apr),
    # D 12 (2 -> 20 Jun), E 17 (Thu 1 Sep -> Mon 26 Sep): 2 of 3 within 15. The strategy
    # discussion is dated on the s47 start, so the local measure agrees.
    for key in ("icpc_within_15wd_of_s47", "icpc_on_time"):
        assert (result[key]["numerator"], result[key]["denominator"]) == (2, 3), key
    # Reviews in the year: A 20 Jul (due 25 Jul) on time, A 23 Jan 2017 (due 20 Jan) late,
    # B 10 Jun (due 18 Jun) and 28 Nov (due 10 Dec), E 19 Dec (due 26 Dec) and 20 Mar 2017
    # (due 19 Jun 2017) on time: 5 of 6.
    assert (result["rcpc_on_time"]["numerator"], result["rcpc_on_time"]["denominator"]) == (5, 6)
    categories = {k: v for k, v in result["cp_categories_at_end"]["value"].items() if v}
    assert categories == {"NEG": 1, "EMO": 1}
    # A is 6 on 31 Mar 2017; C is unborn.
    ages = {k: v for k, v in result["cp_children_by_age"]["value"].items() if v}
    assert ages == {"unborn": 1, "5-9": 1}


def test_imported_conferences_stay_out_of_the_paperwork_lists_reminders_and_figures():
    """The census holds no report or record dates: the 10 conferences held in the year (above)
    must not show as records to distribute, in the chairs' reminder emails, or as late
    paperwork in the figures."""
    from django.core import mail

    from conferences import selectors
    from conferences.services import conference_reminders_send

    import_cin_census(SMALL, name=SMALL.name)
    assert Conference.objects.filter(paperwork_tracked=False).count() >= 10
    assert list(selectors.records_to_distribute()) == []
    assert conference_reminders_send(on=date(2017, 4, 3)) == 0
    assert mail.outbox == []
    result = figures("cp_records_on_time", "icpc_parent_reports_on_time")
    for key in ("cp_records_on_time", "icpc_parent_reports_on_time"):
        assert result[key]["denominator"] == 0, key


# --- exporting ----------------------------------------------------------------------------------


def _export(year: int, **kwargs) -> bytes:
    out = io.BytesIO()
    export_cin_census(year=year, destination=out, **kwargs)
    return out.getvalue()


def _cp_facts(root) -> dict:
    """Per child: the plan, s47 and review data (and the episode fields), element by element."""
    facts = {}
    for child in root.iter("Child"):
        child_id = child.findtext("ChildIdentifiers/LAchildID")
        facts[child_id] = {
            "identifiers": [(e.tag, e.text) for e in child.find("ChildIdentifiers")],
            "characteristics": [
                (e.tag, e.text)
                for e in child.find("ChildCharacteristics").iter()
                if e.text and e.text.strip()
            ],
            "episodes": [
                {
                    "fields": [
                        (e.tag, e.text) for e in details if e.tag not in ("Section47", "ChildProtectionPlans")
                    ],
                    # InitialCPCtarget is derived on export, not kept from the import.
                    "s47": [
                        [(e.tag, e.text) for e in s47 if e.tag != "InitialCPCtarget"]
                        for s47 in details.iter("Section47")
                    ],
                    "plans": [
                        [(e.tag, e.text) for e in plan.iter() if e.text and e.text.strip()]
                        for plan in details.iter("ChildProtectionPlans")
                    ],
                }
                for details in child.iter("CINdetails")
            ],
        }
    return facts


def test_round_trip_import_then_export_gives_the_same_plans_s47s_and_reviews():
    import_cin_census(SMALL, name=SMALL.name)

    exported = etree.fromstring(_export(2017))
    original = _as_the_dfe_rules_want(etree.parse(str(SMALL)).getroot())

    assert _cp_facts(exported) == _cp_facts(original)
    assert sorted(_cp_facts(exported)) == ["A001", "B002", "C003", "D004", "E005"]


def _as_the_dfe_rules_want(root):
    """The hand-made census as the export writes it back, in the two ways the DfE's rules ask
    for: an initial conference its section 47 enquiry holds is not repeated at the CIN details
    level (rule 2884), and an enquiry of a closed episode with no conference is marked
    ICPCnotRequired (rule 8868)."""
    for details in root.iter("CINdetails"):
        at_s47 = {s47.findtext("DateOfInitialCPC") for s47 in details.iter("Section47")}
        own = details.find("DateOfInitialCPC")
        if own is not None and own.text in at_s47:
            details.remove(own)
        if details.findtext("CINclosureDate"):
            for s47 in details.iter("Section47"):
                if s47.find("DateOfInitialCPC") is None:
                    s47.find("ICPCnotRequired").text = "true"
    return root


def test_the_export_is_valid_against_the_liiatools_schema_apart_from_previous_plans_0():
    import_cin_census(SMALL, name=SMALL.name)
    document = etree.fromstring(_export(2017))

    relaxed = schema(2017, allow_zero_previous=True)
    assert relaxed.validate(document), relaxed.error_log
    strict = schema(2017)
    assert not strict.validate(document)
    # The only complaints of the strict copy: the two first plans' NumberOfPreviousCPP 0.
    errors = [e.message for e in strict.error_log]
    assert len(errors) == 2 and all("NumberOfPreviousCPP" in e and "'0'" in e for e in errors), errors


def test_an_export_with_no_first_plans_is_valid_against_the_unchanged_schema():
    import_cin_census(
        io.BytesIO(generated_census(6).replace(b"<NumberOfPreviousCPP>0<", b"<NumberOfPreviousCPP>1<")),
        name="g.xml",
    )

    for year in (2017, 2024):
        document = etree.fromstring(_export(year if year == 2017 else 2017))
        checker = schema(year)
        assert checker.validate(document), checker.error_log


def test_a_child_recorded_in_the_system_is_exported_with_derived_cin_details():
    """GIVEN a child whose s47, initial conference and plan were recorded in the app (no
    imported episode) WHEN the year is exported THEN the CINdetails are derived as documented."""
    chair = StaffMemberFactory(job_role="iro")
    family, (amy,) = family_with_children("Amy", start=date(2015, 1, 1), date_of_birth=date(2012, 5, 5))
    discussion = strategy_discussion_record(
        family=family, on=date(2016, 5, 3), children=[amy], s47_start_date=date(2016, 5, 4)
    )
    initial = conference_book(
        family=family,
        conference_type="initial",
        on=date(2016, 5, 20),
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )
    conference_record(conference=initial, decisions={amy.pk: ChildDecision("plan_started", ("NEG", "EMO"))})

    document = etree.fromstring(_export(2017))

    assert schema(2017, allow_zero_previous=True).validate(document)
    details = document.find("Children/Child/CINdetails")
    # Referral = the s47 start; source 10 (unknown); need N1; open (plan open on 31 March).
    # The initial conference of 20 May is written with the enquiry it followed, not again at
    # this level (DfE rule 2884).
    assert [(e.tag, e.text) for e in details if len(e) == 0] == [
        ("CINreferralDate", "2016-05-04"),
        ("ReferralSource", "10"),
        ("PrimaryNeedCode", "N1"),
        ("ReferralNFA", "false"),
    ]
    assert details.findtext("Section47/DateOfInitialCPC") == "2016-05-20"
    # 15 working days after Wed 4 May 2016 is Wed 25 May 2016 (no holiday between).
    assert details.findtext("Section47/InitialCPCtarget") == "2016-05-25"
    plan = details.find("ChildProtectionPlans")
    assert [
        plan.findtext(t) for t in ("InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP")
    ] == [
        "MUL",
        "MUL",
        "0",
    ]


def test_the_export_covers_only_the_collection_year():
    import_cin_census(SMALL, name=SMALL.name)

    document = etree.fromstring(_export(2016))

    # Year to 31 Mar 2016: only B (referred Sep 2015) was open; its plan's later review and end,
    # and the episode's closure, fall after 31 March and are left out.
    assert [c.findtext("ChildIdentifiers/LAchildID") for c in document.iter("Child")] == ["B002"]
    plan = document.find(".//ChildProtectionPlans")
    assert plan.find("CPPendDate") is None
    assert [r.text for r in plan.iter("CPPreviewDate")] == ["2015-12-18"]
    assert document.find(".//CINclosureDate") is None


@pytest.mark.parametrize(
    ("year", "element", "boy", "girl", "unborn"),
    [
        (2017, "GenderCurrent", "1", "2", "0"),
        (2024, "GenderCurrent", "1", "2", "0"),
        # From 2024-25 the census gives Sex in GenderCurrent's place (DfE rules 4180 and 8750).
        (2025, "Sex", "M", "F", "U"),
        (2026, "Sex", "M", "F", "U"),
    ],
)
def test_the_export_writes_the_sex_in_the_element_of_the_collection_year(year, element, boy, girl, unborn):
    import_cin_census(io.BytesIO(three_children(year)), name="three.xml")
    # Learnt after the year's end: the unborn child's sex. The census gives the child as on 31
    # March, not yet born, so its sex is still "not known" (rule 8750).
    Child.objects.filter(local_child_id="U1").update(sex="F")

    identifiers = {
        child_id: facts["identifiers"]
        for child_id, facts in _cp_facts(etree.fromstring(_export(year))).items()
    }

    assert identifiers == {
        "B1": [("LAchildID", "B1"), ("PersonBirthDate", "2015-01-01"), (element, boy)],
        "G1": [("LAchildID", "G1"), ("PersonBirthDate", "2015-01-01"), (element, girl)],
        "U1": [("LAchildID", "U1"), ("ExpectedPersonBirthDate", f"{year}-05-15"), (element, unborn)],
    }


def test_the_export_is_kept_in_the_history_and_each_child_logged_for_the_user(make_user):
    import_cin_census(SMALL, name=SMALL.name)
    user = make_user(None, username="exporter")

    export_cin_census(year=2017, destination=io.BytesIO(), user=user)

    exchange = DataExchange.objects.filter(direction="export").get()
    assert (exchange.collection_year, exchange.counts["children"]["exported"]) == (2017, 5)
    assert AccessLog.objects.filter(user=user, channel="export").count() == 5


# --- scale --------------------------------------------------------------------------------------


def test_import_queries_do_not_grow_with_the_number_of_children():
    # A first import creates the timescale settings row and caches the non-working days.
    import_cin_census(io.BytesIO(generated_census(1, first=900)), name="one.xml")
    with CaptureQueriesContext(connection) as five:
        import_cin_census(io.BytesIO(generated_census(5)), name="five.xml")
    with CaptureQueriesContext(connection) as twenty:
        import_cin_census(io.BytesIO(generated_census(20, first=100)), name="twenty.xml")

    assert len(twenty) == len(five), [q["sql"][:80] for q in twenty.captured_queries]


def test_export_queries_do_not_grow_with_the_number_of_children():
    import_cin_census(io.BytesIO(generated_census(5)), name="five.xml")
    with CaptureQueriesContext(connection) as five:
        _export(2017)
    import_cin_census(io.BytesIO(generated_census(20, first=100)), name="twenty.xml")
    with CaptureQueriesContext(connection) as twenty:
        _export(2017)

    assert len(twenty) == len(five)


# --- commands and pages -------------------------------------------------------------------------


def test_import_command_prints_the_counts(tmp_path):
    out = io.StringIO()
    call_command("import_cin_census", str(SMALL), stdout=out)

    assert "children: 5 created, 0 updated, 0 unchanged" in out.getvalue()


def test_import_command_prints_every_problem_and_fails(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(message(child_xml("X1", characteristics="<Ethnicity>ZZZZ</Ethnicity>"), child_xml("")))
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"bad\.xml was not imported: 2 problem"):
        call_command("import_cin_census", str(bad), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0].startswith("bad.xml, Child 1 (LAchildID X1), Ethnicity: 'ZZZZ' is not")
    assert lines[1].startswith("bad.xml, Child 2, LAchildID:")
    assert Child.objects.count() == 0


def test_import_command_dry_run_and_missing_file(tmp_path):
    out = io.StringIO()
    call_command("import_cin_census", str(SMALL), "--dry-run", stdout=out)
    assert out.getvalue().startswith("Checked (dry run, nothing written)")
    assert Child.objects.count() == 0

    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_cin_census", str(tmp_path / "missing.xml"))


def test_export_command_writes_the_file(tmp_path):
    import_cin_census(SMALL, name=SMALL.name)
    target = tmp_path / "cin.xml"
    out = io.StringIO()

    call_command("export_cin_census", "--year", "2017", str(target), stdout=out)

    assert "5 children" in out.getvalue()
    assert len(etree.parse(str(target)).getroot().findall("Children/Child")) == 5
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("export_cin_census", "--year", "2017", str(tmp_path / "no" / "cin.xml"))


def test_conference_and_family_pages_show_an_imported_conference_without_a_chair(client_for, manager_user):
    import_cin_census(SMALL, name=SMALL.name)
    conference = Conference.objects.filter(family__reference="CIN-A001").order_by("date").first()
    client = client_for(manager_user)

    detail = client.get(reverse("conferences:conference-detail", args=[conference.pk]))
    family = client.get(reverse("conferences:family-detail", args=[conference.family_id]))

    assert detail.status_code == 200
    assert family.status_code == 200
    assert re.search(r"Child A001 \(name not recorded\)", family.content.decode())


def test_an_initial_conference_with_no_s47_is_imported_and_exported_but_not_measured():
    """X1's census gives an initial conference on Wed 1 Jun 2016 starting a plan, with no
    section 47 enquiry (a child brought to a sibling's conference), and X2's an enquiry from
    Mon 16 May 2016 with its conference on 1 Jun, 12 working days later (30 May is a bank
    holiday). Both conferences are imported; only X2's is measured: ICPC in time 1 of 1."""
    head = "<DateOfInitialCPC>2016-06-01</DateOfInitialCPC>"
    s47 = (
        "<Section47><S47ActualStartDate>2016-05-16</S47ActualStartDate>"
        "<DateOfInitialCPC>2016-06-01</DateOfInitialCPC><ICPCnotRequired>false</ICPCnotRequired></Section47>"
    )
    content = message(
        child_xml("X1", details=[episode_xml(head=head)]),
        child_xml("X2", details=[episode_xml(head=head, s47=s47)]),
    )
    import_cin_census(io.BytesIO(content), name="two.xml")
    assert (
        Conference.objects.filter(conference_type=ConferenceType.INITIAL, date=date(2016, 6, 1)).count() == 2
    )
    result = figures("icpc_within_15wd_of_s47", "icpc_on_time")
    for key in ("icpc_within_15wd_of_s47", "icpc_on_time"):
        assert (result[key]["numerator"], result[key]["denominator"]) == (1, 1), key
    # The export gives X1 its initial conference back although it has no enquiry.
    exported = _export(2017)
    x1 = etree.fromstring(exported).xpath("//Child[ChildIdentifiers/LAchildID='X1']")[0]
    assert x1.xpath("string(CINdetails/DateOfInitialCPC)") == "2016-06-01"
