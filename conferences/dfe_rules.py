"""The DfE's CIN census rules that one child's child protection records can be checked against
when a strategy discussion is recorded or a conference is booked, stood down or recorded, so
that business support put a record right during the year rather than at the census.

Each rule here is the DfE's rule of the same code in the published validator package
(csc-validator-be-cin, the latest ruleset that holds it), worked out on the records as the
census export writes them (``conferences.cin_census.exporter``: the child's CIN episodes, the
section 47 enquiries and plans in each, the held initial conference that followed each
enquiry) for the collection year of the record saved: the same conditions and the same
boundaries, and the DfE's own message, read from the package
(``iro_service.core.dfe.rule_message``). What a rule finds is a warning: the record is saved.

- 2990: an episode closed in the year as "no further action" (RC8) or "referred to early help"
  (RC9) with a section 47 enquiry, a plan or an initial conference in it.
- 8530Q: a child not born by the census date (31 March) whose expected date of birth is not
  after [31 March minus 30 days] and before [31 March plus 9 months]. One difference, because
  the check runs during the year rather than on 31 March: an expected date too early is only
  found once it has passed with no birth recorded (a baby due in January, at a pre-birth
  conference in December, will most likely be born by 31 March and then has no expected date
  in the census at all).
- 8615: a section 47 enquiry that started after the initial conference that followed it.
- 8770Q: a child of school age (born on or before 31 August six years before the census year's
  end: [31 March plus 4 months and 31 days] minus 6 years) in a referral that was not "no
  further action", with no UPN and no reason for it other than UN1 ("not of school age").
- 8832: a referral marked "no further action" whose episode holds a plan.
- 8875: an initial conference (as written with its section 47 enquiry) on a Saturday or Sunday.

Only a held conference is in the census, so 8615 and 8875 find a conference once it is
recorded as held, not when it is booked. ReferralNFA and ReasonForClosure come only from a
census import (``CinEpisode``); an episode this system derives from its own records is never
"no further action" (see the exporter), so 2990 and 8832 find records added to an imported
episode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta

from conferences.cin_census.exporter import census_enquiries, census_episodes, census_plans
from conferences.cin_census.reader import UPN_PATTERN
from iro_service.core.dfe import CIN_CENSUS, DfeWarning, rule_message
from iro_service.core.formats import long_date
from iro_service.timescales.dates import add_months, collection_year_bounds

CHILD = "child"
CIN_EPISODE = "cin_episode"
SECTION47_ENQUIRY = "section47_enquiry"
CONFERENCE = "conference"
RECORD_LABELS = {
    CHILD: "Child's details",
    CIN_EPISODE: "CIN episode",
    SECTION47_ENQUIRY: "Section 47 enquiry",
    CONFERENCE: "Initial conference",
}

CLOSED_AFTER_ASSESSMENT = {
    "RC8": "case closed after assessment, no further action",
    "RC9": "case closed after assessment, referred to early help",
}
# The reasons a UPN is not known that 8770Q accepts: UN1 ("not of school age") is left out.
UPN_UNKNOWN_FOR_SCHOOL_AGE = frozenset(f"UN{n}" for n in range(2, 8))


class _Census:
    """One child's records as the census of the collection year ``start`` to ``end`` holds them."""

    def __init__(self, child, facts, *, start: date, end: date, as_of: date):
        self.child, self.facts, self.start, self.end, self.as_of = child, facts, start, end, as_of
        self.episodes = census_episodes(facts, start=start, end=end)

    def in_year(self, day: date | None) -> date | None:
        return day if day is not None and day <= self.end else None

    def enquiries(self, episode):
        return census_enquiries(episode, self.facts, start=self.start, end=self.end)

    def plans(self, episode):
        return census_plans(episode, start=self.start, end=self.end)

    @property
    def label(self) -> str:
        return f"{self.end.year - 1}-{self.end.year % 100:02d}"


Found = Iterator[tuple[str, int, date, str]]


def _rule_2990(census: _Census) -> Found:
    for episode in census.episodes:
        closed = census.in_year(episode.closure_date)
        if closed is None or episode.closure_reason not in CLOSED_AFTER_ASSESSMENT:
            continue
        activity = []
        initial = census.in_year(episode.stored.initial_cpc_date)
        if initial is not None:
            activity.append(f"an initial conference on {long_date(initial)}")
        activity += [
            f"a section 47 enquiry started on {long_date(e.start_date)}" for e, _ in census.enquiries(episode)
        ]
        activity += [f"a child protection plan from {long_date(p.start_date)}" for p in census.plans(episode)]
        if activity:
            yield (
                CIN_EPISODE,
                episode.stored.pk,
                episode.referral_date,
                f"The CIN episode referred on {long_date(episode.referral_date)} was closed on "
                f"{long_date(closed)} as '{CLOSED_AFTER_ASSESSMENT[episode.closure_reason]}' "
                f"({episode.closure_reason}), but {', '.join(activity)} is recorded within it. Check the "
                "reason for closure with the social worker, or the dates of the child protection records.",
            )


def _rule_8530q(census: _Census) -> Found:
    child = census.child
    if child.date_of_birth is not None and child.date_of_birth <= census.end:
        return  # born by the census date: the census has the date of birth, not an expected one
    expected = child.expected_date_of_birth or child.date_of_birth
    if expected is None:
        return
    earliest = census.end - timedelta(days=30)
    latest = add_months(census.end, 9)
    too_late = expected >= latest
    passed_too_early = expected <= earliest and expected < census.as_of
    if not (too_late or passed_too_early):
        return
    accepted = f"{long_date(earliest + timedelta(days=1))} to {long_date(latest - timedelta(days=1))}"
    if too_late:
        action = "check the expected date of birth"
    else:
        action = (
            "the date has passed and no birth is recorded: record the date of birth, "
            "or correct the expected date"
        )
    yield (
        CHILD,
        child.pk,
        expected,
        f"{child.full_name}'s expected date of birth, {long_date(expected)}, is outside what the "
        f"{census.label} census accepts for a child not born by {long_date(census.end)} ({accepted}): "
        f"{action}.",
    )


def _initial_conferences(census: _Census) -> Iterator[tuple[object, date]]:
    """Each section 47 enquiry the census holds whose initial conference it writes, with that
    conference's date."""
    for episode in census.episodes:
        for enquiry, initial in census.enquiries(episode):
            if census.in_year(initial) is not None:
                yield enquiry, initial


def _rule_8615(census: _Census) -> Found:
    for enquiry, initial in _initial_conferences(census):
        if enquiry.start_date > initial:
            yield (
                SECTION47_ENQUIRY,
                enquiry.pk,
                enquiry.start_date,
                f"{census.child.full_name}'s section 47 enquiry started on {long_date(enquiry.start_date)}, "
                f"after the initial conference on {long_date(initial)} that followed it. Check the "
                "enquiry's start date and the conference's date.",
            )


def _rule_8770q(census: _Census) -> Found:
    child = census.child
    born = child.date_of_birth
    if born is None or born > census.end:
        return
    if not any(episode.stored is None or not episode.stored.referral_nfa for episode in census.episodes):
        return
    # The DfE's [reference date + 4 months + 31 days] - 6 years: 31 March to 31 August, 6 years back.
    school_age_if_born_by = add_months(add_months(census.end, 4) + timedelta(days=31), -72)
    if born > school_age_if_born_by:
        return
    if UPN_PATTERN.match(child.upn) or child.upn in UPN_UNKNOWN_FOR_SCHOOL_AGE:
        return
    if child.upn == "UN1":
        recorded = "UN1 ('not of school age') as the reason the UPN is not known"
    elif child.upn:
        recorded = f"{child.upn}, which the census does not take as a UPN or a reason for one"
    else:
        recorded = "no unique pupil number (UPN)"
    yield (
        CHILD,
        child.pk,
        born,
        f"{child.full_name} was born on {long_date(born)} and is of school age in the {census.label} "
        f"census, but has {recorded}. Record the UPN, or the reason it is not known (UN2 to UN7).",
    )


def _rule_8832(census: _Census) -> Found:
    for episode in census.episodes:
        plans = census.plans(episode)
        if episode.stored is not None and episode.stored.referral_nfa and plans:
            starts = " and ".join(long_date(plan.start_date) for plan in plans)
            yield (
                CIN_EPISODE,
                episode.stored.pk,
                episode.referral_date,
                f"The referral on {long_date(episode.referral_date)} is recorded as no further action, "
                f"but {census.child.full_name}'s child protection plan from {starts} is in its CIN "
                "episode. Check whether the referral was no further action, and the plan's dates.",
            )


def _rule_8875(census: _Census) -> Found:
    for enquiry, initial in _initial_conferences(census):
        if initial.weekday() >= 5:
            link = census.facts.initial_conference_link(enquiry)
            yield (
                CONFERENCE,
                link.conference_id,
                initial,
                f"{census.child.full_name}'s initial conference is recorded on {initial:%A} "
                f"{long_date(initial)}, a weekend. Check the date the conference was held.",
            )


Check = Callable[[_Census], Iterable[tuple[str, int, date, str]]]

# Code -> check. Each check yields (kind of record, its id, its date, what is wrong with it).
RULES: dict[str, Check] = {
    "2990": _rule_2990,
    "8530Q": _rule_8530q,
    "8615": _rule_8615,
    "8770Q": _rule_8770q,
    "8832": _rule_8832,
    "8875": _rule_8875,
}


def rule_choices(year: int) -> list[tuple[str, str]]:
    """Every rule checked here, as (code, 'code: the DfE's message') for a filter."""
    return [(code, f"{code}: {rule_message(CIN_CENSUS, year, code) or 'DfE rule ' + code}") for code in RULES]


def child_warnings(
    child, facts, *, year: int, as_of: date, rules: Iterable[str] | None = None
) -> list[DfeWarning]:
    """Every DfE rule that ``child``'s records (``facts``, as the census export reads them)
    break in the census of collection year ``year``, as the records stand on ``as_of``."""
    start, end = collection_year_bounds(year)
    census = _Census(child, facts, start=start, end=end, as_of=as_of)
    if not census.episodes:
        return []  # not in that year's census
    found = []
    for code in rules or RULES:
        for record, record_id, on, detail in RULES[code](census):
            found.append(
                DfeWarning(
                    rule=code,
                    message=rule_message(CIN_CENSUS, year, code),
                    record=record,
                    record_id=record_id,
                    child_id=child.pk,
                    on=on,
                    detail=detail,
                )
            )
    return found
