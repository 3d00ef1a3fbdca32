"""Reading a CIN census XML file: a child at a time, checking each value as it goes.

The file is parsed as a stream (``iterparse`` on ``Child`` elements, each cleared once read) so
that a large return never sits in memory as a tree. Entities are not expanded and nothing is
fetched from the network: the file comes from outside and must not be able to read local files
or reach other machines (XXE).

Everything the file says is checked here, child by child; what needs the database (plans
already held for a child) is checked by the importer. Each problem names the element path,
e.g. ``Child 12 (LAchildID X) / CINdetails 1 / ChildProtectionPlans 2``.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from conferences.codes import assessment_factors
from conferences.models import AbuseCategory
from iro_service.core.formats import long_date
from iro_service.core.imports import Problems, parse_iso
from iro_service.people.codes import CHILD_ID_PATTERN, CHILD_ID_RULE, Disability, Ethnicity, Sex

# The child's sex, in one of two elements: GenderCurrent to 2023-24 (1 male, 2 female, 0 not
# recorded or unborn, 9 indeterminate), Sex in its place from 2024-25 (M male, F female, U unborn
# or not known). A file is read by the element it holds, whatever its year.
GENDER_TO_SEX = {"1": Sex.MALE, "2": Sex.FEMALE, "0": Sex.UNKNOWN, "9": Sex.UNKNOWN}
SEX_TO_GENDER = {Sex.MALE: "1", Sex.FEMALE: "2", Sex.UNKNOWN: "0"}
CENSUS_SEX = {"M": Sex.MALE, "F": Sex.FEMALE, "U": Sex.UNKNOWN}
CATEGORIES = frozenset([*AbuseCategory.values, "MUL"])
# The union over the schema years 2017 to 2024 (5D arrived in 2023).
REFERRAL_SOURCES = frozenset(
    {
        *("1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4"),
        *("5A", "5B", "5C", "5D", "6", "7", "8", "9", "10"),
    }
)
PRIMARY_NEEDS = frozenset(f"N{n}" for n in range(10))
# RC9 arrived in 2023.
CLOSURE_REASONS = frozenset(f"RC{n}" for n in range(1, 10))
YES_NO = {"true": True, "1": True, "false": False, "0": False}
UPN_PATTERN = re.compile(r"^[A-Z](\d{12}|\d{11}[A-Z])$")
UPN_UNKNOWN = frozenset(f"UN{n}" for n in range(1, 11))
CHILD_ID = re.compile(CHILD_ID_PATTERN)  # Child.local_child_id


@dataclass
class PlanIn:
    where: str
    start: date
    end: date | None
    initial_category: str
    latest_category: str
    previous_plans: int
    reviews: list[date]


@dataclass
class Section47In:
    where: str
    start: date
    initial_conference: date | None
    icpc_not_required: bool | None
    # The assessment of the episode the enquiry is part of (``_assessments_to_enquiries``).
    assessment_started: date | None = None
    assessment_authorised: date | None = None
    assessment_factors: list[str] = field(default_factory=list)


@dataclass
class AssessmentIn:
    start: date
    authorised: date | None
    factors: list[str]


@dataclass
class EpisodeIn:
    where: str
    referral_date: date
    referral_source: str
    primary_need: str
    closure_date: date | None
    closure_reason: str
    referral_nfa: bool
    initial_conference: date | None
    enquiries: list[Section47In] = field(default_factory=list)
    plans: list[PlanIn] = field(default_factory=list)


def _assessments_to_enquiries(assessments: list[AssessmentIn], enquiries: list[Section47In]) -> None:
    """Give each section 47 enquiry of an episode its assessment: the one started last on or
    before the enquiry's start (an assessment begins with or before the enquiry), or the first
    after it. The system keeps assessments with enquiries only: an episode's assessments with no
    enquiry (a child in need with no section 47) are not kept."""
    ordered = sorted(assessments, key=lambda a: a.start)
    for enquiry in enquiries:
        before = [a for a in ordered if a.start <= enquiry.start]
        chosen = before[-1] if before else (ordered[0] if ordered else None)
        if chosen is not None:
            enquiry.assessment_started = chosen.start
            enquiry.assessment_authorised = chosen.authorised
            enquiry.assessment_factors = list(chosen.factors)


@dataclass
class ChildIn:
    where: str
    child_id: str
    upn: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    ethnicity: str
    disabilities: list[str]
    episodes: list[EpisodeIn] = field(default_factory=list)

    @property
    def plans(self) -> list[PlanIn]:
        return [plan for episode in self.episodes for plan in episode.plans]

    @property
    def enquiries(self) -> list[Section47In]:
        return [enquiry for episode in self.episodes for enquiry in episode.enquiries]


class _ChildReader:
    """Reads one Child element, adding a problem for each value that is wrong."""

    def __init__(self, name: str, problems: Problems, where: str):
        self.name = name
        self.problems = problems
        self.where = where
        self.ok = True

    def problem(self, where: str, field_name: str, message: str) -> None:
        self.ok = False
        self.problems.add(self.name, where, field_name, message)

    def text(self, element, tag: str) -> str:
        found = element.find(tag)
        return (found.text or "").strip() if found is not None else ""

    def date(self, element, tag: str, where: str, *, required: bool = False) -> date | None:
        value = self.text(element, tag)
        if not value:
            if required:
                self.problem(where, tag, "This date is missing.")
            return None
        try:
            return parse_iso(value)
        except ValueError:
            self.problem(where, tag, f"'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2017-03-31.")
            return None

    def code(self, element, tag: str, where: str, allowed, what: str, *, required: bool) -> str:
        value = self.text(element, tag)
        if not value:
            if required:
                self.problem(where, tag, f"The {what} is missing.")
            return ""
        if value not in allowed:
            self.problem(
                where, tag, f"'{value}' is not a {what} code. Use one of: {', '.join(sorted(allowed))}."
            )
            return ""
        return value

    def yes_no(self, element, tag: str, where: str, *, required: bool) -> bool | None:
        value = self.text(element, tag)
        if not value:
            if required:
                self.problem(where, tag, "This yes/no value is missing: write true or false.")
            return None
        if value.lower() not in YES_NO:
            self.problem(where, tag, f"'{value}' is not a yes/no value: write true or false.")
            return None
        return YES_NO[value.lower()]

    def sex(self, ids, where: str) -> str:
        """The child's sex from ``Sex`` (2024-25 on) or ``GenderCurrent`` (earlier years): the
        element the file holds decides how it is read."""
        has_sex, has_gender = ids.find("Sex") is not None, ids.find("GenderCurrent") is not None
        if not has_sex and not has_gender:
            self.problem(
                where,
                "Sex",
                "The child's sex is missing: give Sex (M, F or U), or GenderCurrent (1, 2, 0 or 9) "
                "in a return for 2023-24 or earlier.",
            )
            return Sex.UNKNOWN
        read: dict[str, str] = {}
        if has_sex:
            code = self.code(ids, "Sex", where, CENSUS_SEX, "sex", required=True)
            if code:
                read["Sex"] = CENSUS_SEX[code]
        if has_gender:
            code = self.code(ids, "GenderCurrent", where, GENDER_TO_SEX, "gender", required=True)
            if code:
                read["GenderCurrent"] = GENDER_TO_SEX[code]
        if len(set(read.values())) > 1:
            self.problem(
                where,
                "Sex",
                f"Sex {self.text(ids, 'Sex')} and GenderCurrent {self.text(ids, 'GenderCurrent')} "
                "disagree: give the child's sex once.",
            )
        return read.get("Sex") or read.get("GenderCurrent") or Sex.UNKNOWN

    # --- the parts of a Child ---------------------------------------------------------------

    def child(self, element) -> ChildIn | None:
        where = self.where
        ids = element.find("ChildIdentifiers")
        if ids is None:
            self.problem(where, "ChildIdentifiers", "The child has no ChildIdentifiers: LAchildID is needed.")
            return None
        child_id = self.text(ids, "LAchildID")
        if not child_id:
            self.problem(where, "LAchildID", "The child's LAchildID is missing: every child needs one.")
            return None
        if not CHILD_ID.fullmatch(child_id):
            self.problem(where, "LAchildID", f"'{child_id}' is not a child ID: {CHILD_ID_RULE}.")
            return None
        where = self.where = f"{where} (LAchildID {child_id})"

        upn = self.text(ids, "UPN").upper()
        if upn and not UPN_PATTERN.match(upn):
            self.problem(where, "UPN", f"'{upn}' is not a UPN: a letter, then 12 digits or 11 and a letter.")
            upn = ""
        unknown = self.text(ids, "UPNunknown")
        if unknown and unknown not in UPN_UNKNOWN:
            self.problem(where, "UPNunknown", f"'{unknown}' is not a reason code: use UN1 to UN10.")
            unknown = ""
        born = self.date(ids, "PersonBirthDate", where)
        expected = self.date(ids, "ExpectedPersonBirthDate", where)
        if born is None and expected is None and self.ok:
            self.problem(
                where,
                "PersonBirthDate",
                "Give the date of birth, or ExpectedPersonBirthDate for an unborn child.",
            )
        if born is not None and born > date.today():  # noqa: DTZ011 - a calendar date
            self.problem(where, "PersonBirthDate", f"The date of birth {long_date(born)} is in the future.")
        sex = self.sex(ids, where)

        characteristics = element.find("ChildCharacteristics")
        ethnicity, disabilities = "", []
        if characteristics is None:
            self.problem(where, "Ethnicity", "The child has no ChildCharacteristics: Ethnicity is needed.")
        else:
            ethnicity = self.code(
                characteristics, "Ethnicity", where, Ethnicity.values, "ethnicity", required=True
            )
            for item in characteristics.iterfind("Disabilities/Disability"):
                value = (item.text or "").strip()
                if value not in Disability.values:
                    self.problem(
                        where,
                        "Disability",
                        f"'{value}' is not a disability code. Use one of: {', '.join(Disability.values)}.",
                    )
                elif value not in disabilities:
                    disabilities.append(value)
            if Disability.NONE in disabilities and len(disabilities) > 1:
                self.problem(
                    where,
                    "Disability",
                    "NONE must stand alone: remove it, or the other disability codes "
                    f"({', '.join(d for d in disabilities if d != Disability.NONE)}).",
                )
        child = ChildIn(
            where=where,
            child_id=child_id,
            upn=upn or unknown,
            date_of_birth=born,
            expected_date_of_birth=expected,
            sex=sex,
            ethnicity=ethnicity,
            disabilities=disabilities,
        )
        for number, details in enumerate(element.iterfind("CINdetails"), start=1):
            episode = self.episode(details, f"{where} / CINdetails {number}")
            if episode is not None:
                child.episodes.append(episode)
        self.across_the_child(child)
        return child

    def episode(self, element, where: str) -> EpisodeIn | None:
        referral = self.date(element, "CINreferralDate", where, required=True)
        source = self.code(
            element, "ReferralSource", where, REFERRAL_SOURCES, "referral source", required=True
        )
        need = self.code(element, "PrimaryNeedCode", where, PRIMARY_NEEDS, "primary need", required=False)
        closed = self.date(element, "CINclosureDate", where)
        reason = self.code(
            element, "ReasonForClosure", where, CLOSURE_REASONS, "reason for closure", required=False
        )
        initial = self.date(element, "DateOfInitialCPC", where)
        nfa = self.yes_no(element, "ReferralNFA", where, required=True)
        if referral is not None and closed is not None and closed < referral:
            self.problem(
                where,
                "CINclosureDate",
                f"The case closed on {long_date(closed)}, before the referral on {long_date(referral)}.",
            )
        episode = EpisodeIn(
            where=where,
            referral_date=referral or date.min,
            referral_source=source,
            primary_need=need,
            closure_date=closed,
            closure_reason=reason,
            referral_nfa=bool(nfa),
            initial_conference=initial,
        )
        for number, item in enumerate(element.iterfind("Section47"), start=1):
            enquiry = self.section47(item, f"{where} / Section47 {number}")
            if enquiry is not None:
                episode.enquiries.append(enquiry)
        assessments = [
            assessment
            for number, item in enumerate(element.iterfind("Assessments"), start=1)
            if (assessment := self.assessment(item, f"{where} / Assessments {number}")) is not None
        ]
        _assessments_to_enquiries(assessments, episode.enquiries)
        for number, item in enumerate(element.iterfind("ChildProtectionPlans"), start=1):
            plan = self.plan(item, f"{where} / ChildProtectionPlans {number}")
            if plan is not None:
                episode.plans.append(plan)
        if initial is not None:
            for plan in episode.plans:
                if plan.start < initial and not any(
                    e.initial_conference == plan.start for e in episode.enquiries
                ):
                    self.problem(
                        where,
                        "DateOfInitialCPC",
                        f"The initial conference on {long_date(initial)} is after the start of the plan on "
                        f"{long_date(plan.start)}: a plan starts at the conference that made it.",
                    )
        return episode if referral is not None else None

    def section47(self, element, where: str) -> Section47In | None:
        start = self.date(element, "S47ActualStartDate", where, required=True)
        initial = self.date(element, "DateOfInitialCPC", where)
        not_required = self.yes_no(element, "ICPCnotRequired", where, required=False)
        if start is not None and initial is not None and initial < start:
            self.problem(
                where,
                "DateOfInitialCPC",
                f"The initial conference on {long_date(initial)} is before the section 47 enquiry started on "
                f"{long_date(start)}.",
            )
        if start is None:
            return None
        return Section47In(
            where=where, start=start, initial_conference=initial, icpc_not_required=not_required
        )

    def assessment(self, element, where: str) -> AssessmentIn | None:
        start = self.date(element, "AssessmentActualStartDate", where, required=True)
        authorised = self.date(element, "AssessmentAuthorisationDate", where)
        known = assessment_factors()
        factors = []
        for item in element.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors"):
            value = (item.text or "").strip()
            if value not in known:
                self.problem(
                    where,
                    "AssessmentFactors",
                    f"'{value}' is not an assessment factor code. Use one of: {', '.join(known)}.",
                )
            elif value not in factors:
                factors.append(value)
        if start is not None and authorised is not None and authorised < start:
            self.problem(
                where,
                "AssessmentAuthorisationDate",
                f"The assessment was authorised on {long_date(authorised)}, "
                f"before it started on {long_date(start)}.",
            )
        if factors and authorised is None:
            self.problem(
                where,
                "AssessmentFactors",
                "Factors are given only for an assessment that was authorised: "
                "add AssessmentAuthorisationDate.",
            )
        return (
            AssessmentIn(start=start, authorised=authorised, factors=factors) if start is not None else None
        )

    def plan(self, element, where: str) -> PlanIn | None:
        start = self.date(element, "CPPstartDate", where, required=True)
        end = self.date(element, "CPPendDate", where)
        initial = self.code(
            element, "InitialCategoryOfAbuse", where, CATEGORIES, "category of abuse", required=True
        )
        latest = self.code(
            element, "LatestCategoryOfAbuse", where, CATEGORIES, "category of abuse", required=True
        )
        previous_text = self.text(element, "NumberOfPreviousCPP")
        previous = 0
        # 0 is accepted although the liiatools schema says positiveInteger: councils send 0 for a
        # child's first plan, and the DfE takes it.
        if not previous_text:
            self.problem(where, "NumberOfPreviousCPP", "The number of previous plans is missing (0 if none).")
        # 0 to 99 in the digits 0-9: isdigit() also takes "²", and int() refuses "²" and any
        # number of more than 4,300 digits (both were errors rather than problems).
        elif not re.fullmatch(r"[0-9]{1,4}", previous_text) or int(previous_text) > 99:
            self.problem(
                where,
                "NumberOfPreviousCPP",
                f"'{previous_text}' is not a number of previous plans (0 to 99).",
            )
        else:
            previous = int(previous_text)
        reviews = []
        for number, item in enumerate(element.iterfind("Reviews/CPPreviewDate"), start=1):
            value = (item.text or "").strip()
            try:
                reviews.append(parse_iso(value))
            except ValueError:
                self.problem(
                    f"{where} / Reviews {number}",
                    "CPPreviewDate",
                    f"'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2017-03-31.",
                )
        if start is None:
            return None
        if end is not None and end <= start:
            self.problem(
                where,
                "CPPendDate",
                f"The plan ends on {long_date(end)}, "
                + ("the day it starts" if end == start else f"before it starts on {long_date(start)}")
                + ": a plan ends at a later conference.",
            )
            end = None
        reviews.sort()
        for review in reviews:
            if review <= start or (end is not None and review > end):
                span = f"from {long_date(start)}" + (f" to {long_date(end)}" if end else "")
                self.problem(
                    where,
                    "CPPreviewDate",
                    f"The review on {long_date(review)} is outside the plan ({span}): "
                    "a review is held after the plan starts and by the day it ends.",
                )
        if len(set(reviews)) != len(reviews):
            self.problem(where, "CPPreviewDate", "The same review date is listed twice.")
        return PlanIn(
            where=where,
            start=start,
            end=end,
            initial_category=initial,
            latest_category=latest,
            previous_plans=previous,
            reviews=sorted(set(reviews)),
        )

    def across_the_child(self, child: ChildIn) -> None:
        """Checks that need all of one child's episodes: overlapping plans, repeated episodes."""
        referrals: dict[date, str] = {}
        for episode in child.episodes:
            if episode.referral_date in referrals:
                self.problem(
                    episode.where,
                    "CINreferralDate",
                    f"{referrals[episode.referral_date]} has the same referral date "
                    f"{long_date(episode.referral_date)}: give each referral once.",
                )
            referrals[episode.referral_date] = episode.where
        plans = sorted(child.plans, key=lambda plan: plan.start)
        for earlier, later in itertools.pairwise(plans):
            if earlier.end is None or earlier.end > later.start:
                self.problem(
                    later.where,
                    "CPPstartDate",
                    f"The plan starting {long_date(later.start)} overlaps the plan starting "
                    f"{long_date(earlier.start)} "
                    f"({earlier.where}): one child's plans cannot overlap.",
                )


def read_children(source: Path | io.IOBase, *, name: str, problems: Problems) -> Iterator[ChildIn]:
    """Yield each Child of a CIN census file, adding a problem for each wrong value and one
    problem (then stopping) for a file that is not a CIN census at all. Children with a problem
    that makes them unusable (no LAchildID) are not yielded."""
    handle = open(source, "rb") if isinstance(source, Path) else source  # noqa: SIM115
    try:
        events = etree.iterparse(
            handle,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        number = 0
        seen: dict[str, str] = {}
        root_checked = False
        try:
            for event, element in events:
                if not root_checked:
                    root_checked = True
                    if element.tag != "Message":
                        problems.add(
                            name,
                            "",
                            "",
                            f"This is not a CIN census file: it starts with <{element.tag}> where a CIN "
                            "census starts with <Message>. Check you chose the right file.",
                        )
                        return
                    continue
                if event != "end" or element.tag != "Child":
                    continue
                number += 1
                reader = _ChildReader(name, problems, f"Child {number}")
                child = reader.child(element)
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
                if child is None:
                    continue
                if child.child_id in seen:
                    problems.add(
                        name,
                        child.where,
                        "LAchildID",
                        f"{seen[child.child_id]} has the same LAchildID: give each child once, with all "
                        "their episodes.",
                    )
                    continue
                seen[child.child_id] = f"Child {number}"
                yield child
        except etree.XMLSyntaxError as error:
            message = str(error.msg or error)
            if not root_checked or "Document is empty" in message:
                problems.add(name, "", "", "The file is empty or is not XML: choose the CIN census XML file.")
            else:
                line = f"line {error.lineno}" if error.lineno else ""
                problems.add(name, line, "", f"The file is not well-formed XML ({message}).")
            return
        if number == 0:
            problems.add(name, "", "", "The file has no <Child> elements: there is nothing to import.")
    finally:
        if isinstance(source, Path):
            handle.close()
