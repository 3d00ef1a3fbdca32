"""Exporting the child protection module of the CIN census for a collection year.

The file is written a child at a time (``lxml.etree.xmlfile``), the children read in chunks with
a fixed number of queries each.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from lxml import etree

from conferences.cin_census.reader import SEX_TO_GENDER, UPN_PATTERN
from conferences.due_dates import initial_conference_due
from conferences.models import (
    INITIAL_STAGES,
    REVIEW_STAGES,
    ChildProtectionPlan,
    CinEpisode,
    ConferenceChild,
    ConferenceStatus,
    PlanEndReason,
    Section47Enquiry,
)
from iro_service.audit.models import AccessChannel, ExchangeDirection, ExchangeFormat, ExchangeOutcome
from iro_service.audit.services import access_log_record_many, data_exchange_record
from iro_service.core.dfe import CIN_CENSUS, dfe_rules_run
from iro_service.core.imports import Tally
from iro_service.people.codes import Sex
from iro_service.people.models import Child
from iro_service.timescales.dates import collection_year_bounds, extra_non_working_days
from iro_service.timescales.selectors import timescale_settings

CHUNK = 500
# liiatools ships the DfE's CIN census schemas for these collection years.
SCHEMA_YEARS = range(2017, 2025)
# Values written for an episode this system derived (see export_cin_census).
DERIVED_REFERRAL_SOURCE = "10"  # Unknown
DERIVED_PRIMARY_NEED = "N1"  # Abuse or neglect
CLOSURE_FOR_PLAN_END = {PlanEndReason.MOVED_AWAY: "RC5", PlanEndReason.DIED: "RC2"}
CLOSED_AFTER_PLAN = "RC7"  # Received appropriate services and no longer in need
# An enquiry with no plan: the child received a service (the enquiry), so not RC8 ("closed
# after assessment, no further action"), which the DfE's rules 2990 and 8825Q refuse for an
# episode with a section 47 enquiry and no assessment.
CLOSED_WITHOUT_PLAN = "RC7"  # Received appropriate services and no longer in need
# The first collection year whose census gives the child's sex as <Sex> (M, F or U: unborn or
# not known) in place of <GenderCurrent> (1, 2, 0 or 9): 2024-25, the file's Header Year 2025.
# The DfE's CIN census specification for 2024-25 made the change, and the DfE's validators check
# it from their 2024-25 rules on (rule 4180 "Sex must be provided and equal M, F, or U", rule
# 8750 "Sex must equal U for an unborn child"); their 2022-23 and 2023-24 rules still read
# GenderCurrent.
SEX_FROM_YEAR = 2025


def schema_year(year: int) -> int:
    """The schema year to write (and check) a collection year against: its own, or the nearest."""
    return min(max(year, SCHEMA_YEARS.start), SCHEMA_YEARS.stop - 1)


@dataclass
class _Episode:
    referral_date: date
    stored: CinEpisode | None = None
    enquiries: list[Section47Enquiry] = field(default_factory=list)
    plans: list[ChildProtectionPlan] = field(default_factory=list)
    closure_date: date | None = None
    closure_reason: str = ""


@dataclass
class _ChildFacts:
    """One child's records, read in bulk for a chunk of children."""

    episodes: list[CinEpisode] = field(default_factory=list)
    enquiries: list[Section47Enquiry] = field(default_factory=list)
    plans: list[ChildProtectionPlan] = field(default_factory=list)
    links: list[ConferenceChild] = field(default_factory=list)

    def initial_conference_link(self, enquiry: Section47Enquiry) -> ConferenceChild | None:
        """The child at the held initial conference that followed ``enquiry`` (the earliest)."""
        links = [
            link
            for link in self.links
            if link.conference.status == ConferenceStatus.HELD
            and link.stage in INITIAL_STAGES
            and link.conference.strategy_discussion_id == enquiry.strategy_discussion_id
        ]
        return min(links, key=lambda link: link.conference.date) if links else None

    def initial_conference(self, enquiry: Section47Enquiry) -> date | None:
        """The date of the held initial conference that followed ``enquiry``."""
        link = self.initial_conference_link(enquiry)
        return link.conference.date if link is not None else None

    def plan_initial_conferences(self, plans: list[ChildProtectionPlan]) -> list[date]:
        """The held conferences at which the child was at an initial stage and one of ``plans``
        started."""
        starts = {plan.start_date for plan in plans}
        return [
            link.conference.date
            for link in self.links
            if link.conference.status == ConferenceStatus.HELD
            and link.stage in INITIAL_STAGES
            and link.conference.date in starts
        ]

    def booked_from(self, day: date, *, before: date | None = None) -> bool:
        """Whether a conference of the child is booked on or after ``day`` (and before
        ``before``, the start of the child's next episode, whose conference it is then)."""
        return any(
            link.conference.status == ConferenceStatus.BOOKED
            and link.conference.date >= day
            and (before is None or link.conference.date < before)
            for link in self.links
        )


def _enquiry_done(enquiry: Section47Enquiry, facts: _ChildFacts) -> date:
    """The last day of an enquiry's work: its initial conference, or its start when none was
    held, or the authorisation of its assessment if later (a closed episode's assessments are
    complete: DfE rule 8867)."""
    return max(
        facts.initial_conference(enquiry) or enquiry.start_date,
        enquiry.assessment_authorised_on or enquiry.start_date,
    )


def _episodes(facts: _ChildFacts) -> list[_Episode]:
    """The child's CIN episodes: those imported, with the enquiries and plans dated within them,
    then episodes derived from the records left over (see export_cin_census)."""
    stored = [_Episode(referral_date=e.referral_date, stored=e) for e in facts.episodes]

    def home(day: date) -> _Episode | None:
        found = [
            e
            for e in stored
            if e.referral_date <= day and (e.stored.closure_date is None or day <= e.stored.closure_date)
        ]
        return found[-1] if found else None

    leftovers: list[tuple[date, int, object]] = []
    for enquiry in facts.enquiries:
        episode = home(enquiry.start_date)
        if episode is not None:
            episode.enquiries.append(enquiry)
        else:
            # An assessment begun before its enquiry begins the episode (DfE rule 1103: no
            # assessment starts before the referral).
            leftovers.append(
                (min(enquiry.start_date, enquiry.assessment_started_on or enquiry.start_date), 0, enquiry)
            )
    for plan in facts.plans:
        episode = home(plan.start_date)
        if episode is not None:
            episode.plans.append(plan)
        else:
            leftovers.append((plan.start_date, 1, plan))
    for episode in stored:
        episode.closure_date = episode.stored.closure_date
        episode.closure_reason = episode.stored.closure_reason

    derived: list[_Episode] = []
    current: _Episode | None = None
    # The day the current derived episode's activity ends; None while a plan is open.
    until: date | None = None
    for day, _, item in sorted(leftovers, key=lambda row: (row[0], row[1])):
        if current is None or (until is not None and day > until):
            current = _Episode(referral_date=day)
            derived.append(current)
            until = day
        if isinstance(item, ChildProtectionPlan):
            current.plans.append(item)
            until = item.end_date
        else:
            current.enquiries.append(item)
            if until is not None:
                until = max(until, _enquiry_done(item, facts))
    for index, episode in enumerate(derived):
        if any(plan.end_date is None for plan in episode.plans):
            continue
        # An assessment still going on keeps the episode open (DfE rule 8867).
        if any(e.assessment_started_on and e.assessment_authorised_on is None for e in episode.enquiries):
            continue
        last = max(
            [plan.end_date for plan in episode.plans] + [_enquiry_done(e, facts) for e in episode.enquiries]
        )
        following = derived[index + 1].referral_date if index + 1 < len(derived) else None
        if facts.booked_from(last, before=following):
            continue
        episode.closure_date = last
        if episode.plans:
            last_plan = max(episode.plans, key=lambda plan: plan.start_date)
            episode.closure_reason = CLOSURE_FOR_PLAN_END.get(last_plan.end_reason, CLOSED_AFTER_PLAN)
        else:
            episode.closure_reason = CLOSED_WITHOUT_PLAN
    return sorted(stored + derived, key=lambda episode: episode.referral_date)


def census_episodes(facts: _ChildFacts, *, start: date, end: date) -> list[_Episode]:
    """The child's episodes the return of the collection year ``start`` to ``end`` holds: those
    referred by its end and not closed before its start."""
    return [
        episode
        for episode in _episodes(facts)
        if episode.referral_date <= end and (episode.closure_date is None or episode.closure_date >= start)
    ]


def census_enquiries(
    episode: _Episode, facts: _ChildFacts, *, start: date, end: date
) -> list[tuple[Section47Enquiry, date | None]]:
    """The episode's section 47 enquiries the return holds, in date order, each with the date of
    the held initial conference that followed it (None if none was held yet): those started by
    the year's end that were current in the year (started in it, or whose initial conference was
    in it or not yet held)."""
    return [
        (enquiry, initial)
        for enquiry in sorted(episode.enquiries, key=lambda e: e.start_date)
        for initial in [facts.initial_conference(enquiry)]
        if enquiry.start_date <= end and (enquiry.start_date >= start or initial is None or initial >= start)
    ]


def census_assessments(episode: _Episode, *, start: date, end: date) -> list[Section47Enquiry]:
    """The enquiries of the episode whose assessments the return holds, in date order: those
    started by the year's end and not authorised before its start (DfE rule 8696: an
    assessment's end date falls in the census year)."""
    return [
        enquiry
        for enquiry in sorted(
            episode.enquiries, key=lambda e: (e.assessment_started_on or e.start_date, e.pk or 0)
        )
        if enquiry.assessment_started_on is not None
        and enquiry.assessment_started_on <= end
        and (enquiry.assessment_authorised_on is None or enquiry.assessment_authorised_on >= start)
    ]


def census_plans(episode: _Episode, *, start: date, end: date) -> list[ChildProtectionPlan]:
    """The episode's plans the return holds, in date order: those open at any time in the year."""
    return [
        plan
        for plan in sorted(episode.plans, key=lambda plan: plan.start_date)
        if plan.start_date <= end and (plan.end_date is None or plan.end_date >= start)
    ]


def _category(plan: ChildProtectionPlan) -> str:
    if plan.categories_not_itemised or len(plan.categories) != 1:
        return "MUL"
    return plan.categories[0]


class _ChildWriter:
    def __init__(self, *, start: date, end: date, tally: Tally):
        self.start, self.end, self.tally = start, end, tally
        # The collection year ends on 31 March of its year.
        self.writes_sex = end.year >= SEX_FROM_YEAR
        self.settings_row = timescale_settings()
        self.extra = extra_non_working_days()

    def sub(self, parent, tag: str, value) -> None:
        if value is None or value == "":
            return
        element = etree.SubElement(parent, tag)
        if isinstance(value, bool):
            element.text = "true" if value else "false"
        elif isinstance(value, date):
            element.text = value.isoformat()
        else:
            element.text = str(value)

    def in_year(self, day: date | None) -> date | None:
        return day if day is not None and day <= self.end else None

    def child(self, child: Child, facts: _ChildFacts):
        episodes = census_episodes(facts, start=self.start, end=self.end)
        if not episodes:
            return None
        element = etree.Element("Child")
        ids = etree.SubElement(element, "ChildIdentifiers")
        self.sub(ids, "LAchildID", child.local_child_id)
        if UPN_PATTERN.match(child.upn):
            self.sub(ids, "UPN", child.upn)
        elif child.upn in {f"UN{n}" for n in range(1, 8)}:
            self.sub(ids, "UPNunknown", child.upn)
        # The census gives a birth date or an expected one, never both (DfE rule 8525Q): the
        # child as on the reference date. A child born by then has a birth date; one not yet
        # born has the expected date and sex "not known" (rule 8750: Sex U from 2024-25,
        # GenderCurrent 0 before), whatever the system has learnt since.
        born = child.date_of_birth is not None and child.date_of_birth <= self.end
        if born:
            self.sub(ids, "PersonBirthDate", child.date_of_birth)
        else:
            self.sub(ids, "ExpectedPersonBirthDate", child.expected_date_of_birth or child.date_of_birth)
        if self.writes_sex:
            known = child.sex if child.sex in (Sex.MALE, Sex.FEMALE) else Sex.UNKNOWN
            self.sub(ids, "Sex", known if born else Sex.UNKNOWN)
        else:
            self.sub(ids, "GenderCurrent", SEX_TO_GENDER.get(child.sex, "0") if born else "0")
        characteristics = etree.SubElement(element, "ChildCharacteristics")
        self.sub(characteristics, "Ethnicity", child.ethnicity)
        if child.disabilities:
            disabilities = etree.SubElement(characteristics, "Disabilities")
            for code in child.disabilities:
                self.sub(disabilities, "Disability", code)
        for episode in episodes:
            self.episode(element, episode, facts)
        self.tally.add("children", "exported")
        return element

    def episode(self, parent, episode: _Episode, facts: _ChildFacts) -> None:
        stored = episode.stored
        details = etree.SubElement(parent, "CINdetails")
        self.sub(details, "CINreferralDate", episode.referral_date)
        self.sub(details, "ReferralSource", stored.referral_source if stored else DERIVED_REFERRAL_SOURCE)
        self.sub(details, "PrimaryNeedCode", stored.primary_need if stored else DERIVED_PRIMARY_NEED)
        closed = self.in_year(episode.closure_date)
        if closed is not None:
            self.sub(details, "CINclosureDate", closed)
            self.sub(details, "ReasonForClosure", episode.closure_reason)
        enquiries = census_enquiries(episode, facts, start=self.start, end=self.end)
        # An initial conference is written once: with its section 47 enquiry, or at the CIN
        # details level only when no enquiry written holds it (DfE rule 2884), as for a child
        # brought to a family's conference without an enquiry of its own.
        at_s47 = {self.in_year(initial) for _, initial in enquiries} - {None}
        if stored is not None:
            cin_level = self.in_year(stored.initial_cpc_date)
        else:
            held = [facts.initial_conference(e) for e in episode.enquiries]
            # A child brought to a family's conference without an enquiry of its own (an unborn
            # baby at a sibling's review, say) still had its initial conference: the one that
            # started its plan.
            held += facts.plan_initial_conferences(episode.plans)
            held = [day for day in held if day is not None and day <= self.end]
            cin_level = max(held) if held else None
        self.sub(details, "DateOfInitialCPC", None if cin_level in at_s47 else cin_level)
        for enquiry in census_assessments(episode, start=self.start, end=self.end):
            self.assessment(details, enquiry)
        for enquiry, initial in enquiries:
            section = etree.SubElement(details, "Section47")
            self.sub(section, "S47ActualStartDate", enquiry.start_date)
            target = initial_conference_due(
                counted_from=enquiry.start_date, settings_row=self.settings_row, extra=self.extra
            )
            self.sub(section, "InitialCPCtarget", target)
            self.sub(section, "DateOfInitialCPC", self.in_year(initial))
            # An enquiry of an episode closed in the year with no initial conference concluded
            # that none was needed (DfE rule 8868: a closed episode's enquiries are complete).
            no_conference = self.in_year(initial) is None
            not_required = no_conference and (enquiry.icpc_not_required or closed is not None)
            self.sub(section, "ICPCnotRequired", bool(not_required))
            self.tally.add("section47_enquiries", "exported")
        self.sub(details, "ReferralNFA", stored.referral_nfa if stored else False)
        for plan in census_plans(episode, start=self.start, end=self.end):
            self.plan(details, plan, facts)
        self.tally.add("cin_episodes", "exported")

    def assessment(self, parent, enquiry: Section47Enquiry) -> None:
        element = etree.SubElement(parent, "Assessments")
        self.sub(element, "AssessmentActualStartDate", enquiry.assessment_started_on)
        authorised = self.in_year(enquiry.assessment_authorised_on)
        self.sub(element, "AssessmentAuthorisationDate", authorised)
        # The factors are those found at the end of an assessment (DfE rule 8614).
        if authorised is not None and enquiry.assessment_factors:
            factors = etree.SubElement(element, "FactorsIdentifiedAtAssessment")
            for code in enquiry.assessment_factors:
                self.sub(factors, "AssessmentFactors", code)
        self.tally.add("assessments", "exported")

    def plan(self, parent, plan: ChildProtectionPlan, facts: _ChildFacts) -> None:
        element = etree.SubElement(parent, "ChildProtectionPlans")
        self.sub(element, "CPPstartDate", plan.start_date)
        self.sub(element, "CPPendDate", self.in_year(plan.end_date))
        latest = _category(plan)
        self.sub(element, "InitialCategoryOfAbuse", plan.initial_category or latest)
        self.sub(element, "LatestCategoryOfAbuse", latest)
        earlier = sum(1 for other in facts.plans if other.start_date < plan.start_date)
        self.sub(element, "NumberOfPreviousCPP", max(earlier, plan.previous_plans_declared or 0))
        last = min(plan.end_date or self.end, self.end)
        reviews = sorted(
            {
                link.conference.date
                for link in facts.links
                if link.conference.status == ConferenceStatus.HELD
                and link.stage in REVIEW_STAGES
                and plan.start_date < link.conference.date <= last
            }
        )
        if reviews:
            holder = etree.SubElement(element, "Reviews")
            for day in reviews:
                self.sub(holder, "CPPreviewDate", day)
        self.tally.add("cp_plans", "exported")
        self.tally.add("cp_reviews", "exported", len(reviews))


def children_in_scope(start: date, end: date):
    """Children with anything the collection year could include: an imported episode open in the
    year, a plan open in it, an enquiry started or a conference held or booked in it."""
    child = OuterRef("pk")
    return (
        Child.objects.filter(
            Exists(
                CinEpisode.objects.filter(child=child, referral_date__lte=end).filter(
                    Q(closure_date__isnull=True) | Q(closure_date__gte=start)
                )
            )
            | Exists(
                ChildProtectionPlan.objects.filter(child=child, start_date__lte=end).filter(
                    Q(end_date__isnull=True) | Q(end_date__gte=start)
                )
            )
            | Exists(Section47Enquiry.objects.filter(child=child, start_date__range=(start, end)))
            | Exists(
                ConferenceChild.objects.filter(child=child, conference__date__range=(start, end)).exclude(
                    conference__status=ConferenceStatus.STOOD_DOWN
                )
            )
        )
        .order_by("local_child_id")
        .values_list("pk", flat=True)
    )


def child_facts(child_ids: list[int]) -> dict[int, _ChildFacts]:
    """The records of each of ``child_ids`` the return is written from: four queries."""
    facts: dict[int, _ChildFacts] = defaultdict(_ChildFacts)
    for episode in CinEpisode.objects.filter(child__in=child_ids).order_by("referral_date"):
        facts[episode.child_id].episodes.append(episode)
    for enquiry in Section47Enquiry.objects.filter(child__in=child_ids).order_by("start_date", "pk"):
        facts[enquiry.child_id].enquiries.append(enquiry)
    for plan in ChildProtectionPlan.objects.filter(child__in=child_ids).order_by("start_date"):
        facts[plan.child_id].plans.append(plan)
    links = ConferenceChild.objects.filter(child__in=child_ids).select_related("conference")
    for link in links.order_by("conference__date", "conference_id"):
        facts[link.child_id].links.append(link)
    return facts


def _dfe_check(destination: Path | io.IOBase, *, name: str, year: int):
    """The DfE's rules of the year run on the file just written (a path, or an in-memory
    file such as the download's)."""
    if isinstance(destination, Path):
        text = destination.read_text(encoding="utf-8")
    elif hasattr(destination, "getvalue"):
        text = destination.getvalue().decode("utf-8")
    else:
        return None  # a stream that cannot be read back: the caller checks it
    return dfe_rules_run(return_kind=CIN_CENSUS, year=year, files={name: text})


def export_cin_census(*, year: int, destination: Path | io.IOBase, user=None, check: bool = True) -> Tally:
    """Write the child protection module of the CIN census for the collection year 1 April
    ``year - 1`` to 31 March ``year`` to ``destination`` (a path or a binary file object),
    valid against the DfE's ``CIN_schema_<year>.xsd`` (the nearest year liiatools ships, 2017 to
    2024) apart from NumberOfPreviousCPP 0 (below) and, from 2024-25, ``Sex`` in the place of
    ``GenderCurrent`` (below), which liiatools' newest schema, 2024, does not yet have. Returns
    what was written per kind.

    Who and what is included:

    - a child is included when one of their CIN episodes was open at any time in the year
      (referred on or before 31 March, not closed before 1 April); their identifiers and
      characteristics are written, and each of those episodes as a ``CINdetails``;
    - an episode is an imported one (``CinEpisode``: its referral date, source, primary need,
      closure, NFA and episode-level DateOfInitialCPC are repeated as imported), holding the
      enquiries and plans dated from its referral to its closure; the records of a child that no
      imported episode covers form *derived* episodes, in date order: an episode starts with a
      section 47 enquiry or plan, takes in the enquiries and plans that follow while a plan is
      open or until its last enquiry's initial conference, and closes on the day its last plan
      ended (or its last enquiry's initial conference, or the enquiry's start when none was
      held), unless a plan is still open or a conference is booked from that day
      (and before the child's next episode, whose conference it is then);
    - a derived episode writes: CINreferralDate = the start of its earliest section 47 enquiry
      or plan; ReferralSource ``10`` (unknown: the system does not record who referred);
      PrimaryNeedCode ``N1`` (abuse or neglect, the need a section 47 enquiry is about);
      ReferralNFA false (the referral led to an enquiry); CINclosureDate as above with
      ReasonForClosure RC5 when the last plan ended because the child moved away, RC2 when the
      child died, RC7 (received services, no longer in need) otherwise, a section 47 enquiry
      with no plan included (RC8, "no further action after assessment", is for an episode with
      no enquiry); DateOfInitialCPC = the latest initial conference of its enquiries, written
      at this level only when no enquiry written holds it (DfE rule 2884);
    - ChildIdentifiers: the child as on 31 March: a birth date, or for a child not yet born
      the expected date with sex not known (never both: DfE rules 8525Q and 8750). The sex is
      written as ``Sex`` M, F or U (U for an unborn child) from the 2024-25 collection, in the
      place ``GenderCurrent`` 1, 2 or 0 (0 for an unborn child) has in earlier years, as the
      DfE's specification changed (``SEX_FROM_YEAR``);
    - ``Section47``: the episode's enquiries started on or before 31 March that were current in
      the year (started in it, or whose initial conference was in it or not yet held), with
      InitialCPCtarget = the start plus the local initial conference timescale in working days
      (timescales module), the initial conference that followed it (if held by 31 March) and
      ICPCnotRequired as imported, or true for an enquiry with no conference in an episode closed
      in the year (DfE rule 8868);
    - ``ChildProtectionPlans``: the episode's plans open at any time in the year, the end date
      only when on or before 31 March; LatestCategoryOfAbuse is the single category, or MUL for
      several or not itemised; InitialCategoryOfAbuse as imported, otherwise the same as the
      latest; ``Reviews`` lists every held review conference of the plan up to 31 March
      (earlier years' too: the DfE's review-timeliness measure needs the previous review);
    - NumberOfPreviousCPP is the number of the child's earlier plans in the system, or the
      number an import declared if that is larger. A first plan is written as ``0``, as councils
      send it and the DfE accepts it, although liiatools' copy of the schema types the element
      ``positiveInteger`` (minOccurs 1 in every year, so it cannot be left out either): that value
      is the one difference from the liiatools schema.
    - Dates after 31 March (a later initial conference, plan end or closure) are left out.

    With ``check`` the DfE's rules of the year are run on the file and what they find is kept
    with the export in the history (``tally.exchange``).

    The export is kept in the import/export history, and each child written is logged in the
    access log (channel EXPORT) against ``user`` when one is given."""
    started = timezone.now()
    start, end = collection_year_bounds(year)
    tally = Tally()
    writer = _ChildWriter(start=start, end=end, tally=tally)
    exported: list[int] = []
    ids = list(children_in_scope(start, end))
    with etree.xmlfile(
        destination if not isinstance(destination, Path) else str(destination), encoding="utf-8"
    ) as xf:
        xf.write_declaration()
        with xf.element("Message"):
            header = etree.Element("Header")
            details = etree.SubElement(header, "CollectionDetails")
            writer.sub(details, "Collection", "CIN")
            writer.sub(details, "Year", year)
            writer.sub(details, "ReferenceDate", end)
            xf.write(header, pretty_print=True)
            with xf.element("Children"):
                for offset in range(0, len(ids), CHUNK):
                    chunk = ids[offset : offset + CHUNK]
                    facts = child_facts(chunk)
                    for child in Child.objects.filter(pk__in=chunk).order_by("local_child_id"):
                        element = writer.child(child, facts[child.pk])
                        if element is not None:
                            xf.write(element, pretty_print=True)
                            exported.append(child.pk)
    name = destination.name if isinstance(destination, Path) else getattr(destination, "name", "")
    tally.exchange = data_exchange_record(
        data_format=ExchangeFormat.CIN_CENSUS,
        direction=ExchangeDirection.EXPORT,
        outcome=ExchangeOutcome.EXPORTED,
        files=[name],
        started_at=started,
        user=user,
        collection_year=year,
        counts=tally.as_dict(),
        dfe=_dfe_check(destination, name=name or f"cin-census-{year}.xml", year=year) if check else None,
    )
    if user is not None and exported:
        access_log_record_many(
            user=user,
            child_ids=exported,
            what=f"CIN census export {year - 1}-{year % 100:02d}",
            channel=AccessChannel.EXPORT,
        )
    return tally
