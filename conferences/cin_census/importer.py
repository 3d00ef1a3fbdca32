"""Importing the child protection module of a CIN census file.

What each element becomes:

- ``Child`` (matched by ``LAchildID`` = ``Child.local_child_id``): the child, with UPN (or the
  UPNunknown code), date or expected date of birth, sex (GenderCurrent 1/2/0/9 -> M/F/U/U),
  ethnicity and disabilities. A child who is in no household gets a one-child family
  (reference ``CIN-<LAchildID>``), because conferences are for a family.
- ``CINdetails``: a ``CinEpisode`` (referral, source, primary need, closure, NFA, episode-level
  DateOfInitialCPC), kept so that the export can repeat them.
- ``Section47``: a ``Section47Enquiry`` from ``S47ActualStartDate``. The census does not give the
  strategy discussion; the enquiry is recorded against a strategy discussion dated on the s47
  start (the latest it can have been), so that the initial conference counts from it.
- each ``DateOfInitialCPC``: a held initial conference (pre-birth when the child was not yet
  born), linked to its section 47 enquiry, with no chair (the census does not say who chaired).
- ``ChildProtectionPlans``: a ``ChildProtectionPlan`` starting on ``CPPstartDate`` (at the initial
  conference on that date, if there is one) and ending on ``CPPendDate`` (at the review on that
  date, if there is one; end reason "not recorded (imported)"); categories from
  ``LatestCategoryOfAbuse`` (MUL: more than one, not itemised), ``InitialCategoryOfAbuse`` and
  ``NumberOfPreviousCPP`` kept on the plan (0 accepted).
- each ``CPPreviewDate``: a held review conference (the plan's first is the 1st review).

Matching, so that importing the same file twice changes nothing: children by LAchildID,
enquiries by child and start date, conferences by child, date and initial-or-review, plans by
child and start date, episodes by child and referral date. Values that differ are updated.

Everything is checked before anything is written; any problem rejects the whole file.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from conferences.cin_census.reader import ChildIn, EpisodeIn, PlanIn, read_children
from conferences.models import (
    INITIAL_STAGES,
    ChildProtectionPlan,
    ChildStage,
    CinEpisode,
    Conference,
    ConferenceChild,
    ConferenceOutcome,
    ConferenceStatus,
    ConferenceType,
    PlanEndReason,
    Section47Enquiry,
    StrategyDiscussion,
)
from conferences.services import conference_due_dates_refresh
from iro_service.audit.models import ExchangeFormat
from iro_service.audit.services import bulk_create_recorded, data_import_run
from iro_service.core.db import analyze
from iro_service.core.formats import long_date
from iro_service.core.imports import Problems, Tally
from iro_service.people.models import Child, Family, FamilyMembership

# Children written per round of bulk queries: the number of queries grows with the file in
# steps of this many children, never per row.
CHUNK = 500
# The reason written on every history row the import creates or changes.
REASON = "CIN census import"
CHILD_FIELDS = ["upn", "date_of_birth", "expected_date_of_birth", "sex", "ethnicity", "disabilities"]
PLAN_FIELDS = [
    "start_conference",
    "end_date",
    "end_conference",
    "end_reason",
    "categories",
    "categories_not_itemised",
    "initial_category",
    "previous_plans_declared",
]
EPISODE_FIELDS = [
    "referral_source",
    "primary_need",
    "closure_date",
    "closure_reason",
    "referral_nfa",
    "initial_cpc_date",
]
INITIAL, REVIEW = "initial", "review"

T = TypeVar("T")


def _batches(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _DryRun(Exception):
    """Raised inside the transaction to roll back a dry run once its counts are known."""

    def __init__(self, tally: Tally):
        self.tally = tally


def import_cin_census(
    source: Path | io.IOBase, *, name: str, dry_run: bool = False, user=None, exchange=None
) -> Tally:
    """Import the child protection module of the CIN census file ``source`` (a path, or a binary
    file object such as an upload; ``name`` is the file name used in messages), all or nothing.

    Returns the records created, updated and unchanged per kind. Raises ``ImportRejected`` with
    every problem found when anything is wrong; nothing is then written. ``dry_run`` checks the
    file and works out the counts, then writes nothing. Every run, rejected ones included, is
    kept in the import history (``DataExchange``)."""
    return data_import_run(
        data_format=ExchangeFormat.CIN_CENSUS,
        files=[name],
        dry_run=dry_run,
        user=user,
        run=lambda: _import(source, name=name, dry_run=dry_run, user=user),
        exchange=exchange,
    )


def _import(source: Path | io.IOBase, *, name: str, dry_run: bool, user) -> Tally:
    problems = Problems()
    try:
        with transaction.atomic():
            children = list(read_children(source, name=name, problems=problems))
            _check_against_database(children, problems=problems, name=name)
            problems.reject_if_any()
            try:
                tally = _write(children, user=user)
            except (IntegrityError, ValidationError) as error:
                # A safety net: the checks above should leave nothing for the database to
                # refuse, but if they missed something the person still gets a message.
                problems.add(name, "", "", f"The file could not be saved: {error}")
                problems.reject_if_any()
            if dry_run:
                raise _DryRun(tally)
    except _DryRun as run:
        tally = run.tally
    return tally


# --- checks that need the database ----------------------------------------------------------


def _check_against_database(children: list[ChildIn], *, problems: Problems, name: str) -> None:
    """Plans already held for a child must not overlap the file's plans (those with the same
    start date are the same plan, and will be updated)."""
    for chunk in _batches(children, CHUNK):
        held = defaultdict(list)
        rows = ChildProtectionPlan.objects.filter(child__local_child_id__in=[c.child_id for c in chunk])
        for child_id, start, end in rows.values_list("child__local_child_id", "start_date", "end_date"):
            held[child_id].append((start, end))
        for child in chunk:
            starts = {plan.start for plan in child.plans}
            for start, end in held.get(child.child_id, []):
                if start in starts:
                    continue
                for plan in child.plans:
                    if (end is None or end > plan.start) and (plan.end is None or plan.end > start):
                        held_span = f"from {long_date(start)}" + (
                            f" to {long_date(end)}" if end else " (still open)"
                        )
                        problems.add(
                            name,
                            plan.where,
                            "CPPstartDate",
                            f"The plan starting {long_date(plan.start)} overlaps the plan "
                            f"{held_span} already "
                            "recorded for this child: one child's plans cannot overlap. Correct the dates "
                            "in the file or in the child's record.",
                        )


# --- writing --------------------------------------------------------------------------------


def _family_reference(child_id: str) -> str:
    return f"CIN-{child_id}"[:20]


def _earliest_date(record: ChildIn) -> date | None:
    days = [e.referral_date for e in record.episodes]
    days += [e.start for e in record.enquiries]
    days += [p.start for p in record.plans]
    days += [e.initial_conference for e in record.episodes if e.initial_conference]
    return min(days) if days else None


def _categories(plan: PlanIn, existing: ChildProtectionPlan | None) -> tuple[list[str], bool]:
    if plan.latest_category == "MUL":
        if existing is not None and len(existing.categories) > 1:
            # The system already knows which categories: MUL says no more than that.
            return existing.categories, existing.categories_not_itemised
        return [], True
    return [plan.latest_category], False


def _wanted_conferences(record: ChildIn, plan_starts: set[date]):
    """The conferences the file says were held for this child: {(date, kind): details}."""
    wanted: dict[tuple[date, str], dict] = {}
    for episode in record.episodes:
        for enquiry in episode.enquiries:
            if enquiry.initial_conference is not None:
                wanted.setdefault((enquiry.initial_conference, INITIAL), {"enquiry_start": enquiry.start})
        day = episode.initial_conference
        if day is not None and (day, INITIAL) not in wanted:
            wanted[(day, INITIAL)] = {"enquiry_start": _enquiry_for(episode, day)}
    for (day, kind), details in wanted.items():
        if kind == INITIAL:
            born = record.date_of_birth
            pre_birth = born is None or born > day
            details["stage"] = ChildStage.INITIAL_PRE_BIRTH if pre_birth else ChildStage.INITIAL
            details["type"] = ConferenceType.INITIAL_PRE_BIRTH if pre_birth else ConferenceType.INITIAL
            details["outcome"] = (
                ConferenceOutcome.PLAN_STARTED if day in plan_starts else ConferenceOutcome.NOT_NEEDED
            )
    for plan in record.plans:
        for index, day in enumerate(plan.reviews):
            first = index == 0
            wanted[(day, REVIEW)] = {
                "enquiry_start": None,
                "stage": ChildStage.FIRST_REVIEW if first else ChildStage.REVIEW,
                "type": ConferenceType.FIRST_REVIEW if first else ConferenceType.REVIEW,
                "outcome": ConferenceOutcome.PLAN_ENDED
                if day == plan.end
                else ConferenceOutcome.PLAN_CONTINUED,
            }
    return wanted


def _enquiry_for(episode: EpisodeIn, day: date) -> date | None:
    """The section 47 enquiry an episode-level initial conference followed: the latest one started
    by then that has no initial conference of its own."""
    candidates = [e.start for e in episode.enquiries if e.start <= day and e.initial_conference is None]
    return max(candidates) if candidates else None


def _clean(objects: list) -> None:
    """Check each value against its field (lengths, choices) without a query per row: the
    related rows were just read or written, so foreign keys are not looked up again."""
    if not objects:
        return
    relations = [f.name for f in objects[0]._meta.concrete_fields if f.is_relation]
    for obj in objects:
        obj.clean_fields(exclude=relations)


def _kind(stage: str) -> str:
    return INITIAL if stage in INITIAL_STAGES else REVIEW


class _Writer:
    """Writes one chunk of children with a fixed number of bulk queries."""

    def __init__(self, tally: Tally, user):
        self.tally = tally
        self.user = user
        self.conference_ids: set[int] = set()

    def create(self, model, objects: list, kind: str | None) -> list:
        _clean(objects)
        if objects:
            objects = bulk_create_recorded(model, objects, user=self.user, reason=REASON, batch_size=500)
        if kind is not None:
            self.tally.add(kind, "created", len(objects))
        return objects

    def update(self, model, objects: list, fields: list[str], kind: str) -> None:
        _clean(objects)
        if objects:
            bulk_update_with_history(
                objects, model, fields, batch_size=500, default_user=self.user, default_change_reason=REASON
            )
        self.tally.add(kind, "updated", len(objects))

    def unchanged(self, kind: str, number: int) -> None:
        self.tally.add(kind, "unchanged", number)

    def write(self, chunk: list[ChildIn]) -> None:
        children = self.children(chunk)
        families = self.families(chunk, children)
        discussions = self.enquiries(chunk, children, families)
        plans = {
            (plan.child_id, plan.start_date): plan
            for plan in ChildProtectionPlan.objects.filter(child__in=list(children.values()))
        }
        conferences = self.conferences(chunk, children, families, discussions, plans)
        self.plans(chunk, children, conferences, plans)
        self.episodes(chunk, children)

    def children(self, chunk: list[ChildIn]) -> dict[str, Child]:
        existing = {
            c.local_child_id: c for c in Child.objects.filter(local_child_id__in=[r.child_id for r in chunk])
        }
        new, changed, same = [], [], 0
        for record in chunk:
            values = {
                "upn": record.upn,
                "date_of_birth": record.date_of_birth,
                "expected_date_of_birth": record.expected_date_of_birth,
                "sex": record.sex,
                "ethnicity": record.ethnicity,
                "disabilities": record.disabilities,
            }
            child = existing.get(record.child_id)
            if child is None:
                new.append(Child(local_child_id=record.child_id, **values))
            elif any(getattr(child, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(child, key, value)
                child.updated_at = timezone.now()
                changed.append(child)
            else:
                same += 1
        for child in self.create(Child, new, "children"):
            existing[child.local_child_id] = child
        self.update(Child, changed, [*CHILD_FIELDS, "updated_at"], "children")
        self.unchanged("children", same)
        return existing

    def families(self, chunk: list[ChildIn], children: dict[str, Child]) -> dict[int, list[FamilyMembership]]:
        """Each child's households, oldest first; a one-child family for a child with none who
        has conferences or enquiries to record."""
        memberships: dict[int, list[FamilyMembership]] = defaultdict(list)
        rows = FamilyMembership.objects.filter(child__in=list(children.values())).select_related("family")
        for membership in rows.order_by("start_date"):
            memberships[membership.child_id].append(membership)
        homeless = [
            record
            for record in chunk
            if not memberships.get(children[record.child_id].pk) and _earliest_date(record) is not None
        ]
        references = {_family_reference(record.child_id): record for record in homeless}
        families = {f.reference: f for f in Family.objects.filter(reference__in=list(references))}
        new_families = [
            Family(reference=reference, name=f"Household of child {record.child_id}")
            for reference, record in references.items()
            if reference not in families
        ]
        for family in self.create(Family, new_families, "families"):
            families[family.reference] = family
        new_memberships = [
            FamilyMembership(
                family=families[reference],
                child=children[record.child_id],
                start_date=_earliest_date(record),
            )
            for reference, record in references.items()
        ]
        _clean(new_memberships)
        for membership in bulk_create_recorded(
            FamilyMembership, new_memberships, user=self.user, reason=REASON
        ):
            memberships[membership.child_id].append(membership)
        return memberships

    @staticmethod
    def family_on(memberships: list[FamilyMembership], day: date) -> Family:
        for membership in memberships:
            if membership.start_date <= day and (membership.end_date is None or membership.end_date > day):
                return membership.family
        # Not in a household that day: the first one before it began, the latest one after.
        return memberships[0].family if day < memberships[0].start_date else memberships[-1].family

    def enquiries(self, chunk, children, families) -> dict[tuple[int, date], StrategyDiscussion]:
        existing: dict[tuple[int, date], Section47Enquiry] = {}
        for enquiry in Section47Enquiry.objects.filter(child__in=list(children.values())).select_related(
            "strategy_discussion"
        ):
            existing.setdefault((enquiry.child_id, enquiry.start_date), enquiry)
        wanted, changed, same = [], [], 0
        for record in chunk:
            child = children[record.child_id]
            for enquiry in record.enquiries:
                found = existing.get((child.pk, enquiry.start))
                if found is None:
                    wanted.append((child, enquiry))
                    existing[(child.pk, enquiry.start)] = None  # the file may repeat it
                elif found.icpc_not_required != enquiry.icpc_not_required:
                    found.icpc_not_required = enquiry.icpc_not_required
                    changed.append(found)
                else:
                    same += 1
        discussions = self.create(
            StrategyDiscussion,
            [
                StrategyDiscussion(
                    family=self.family_on(families[child.pk], enquiry.start), date=enquiry.start
                )
                for child, enquiry in wanted
            ],
            "strategy_discussions",
        )
        created = self.create(
            Section47Enquiry,
            [
                Section47Enquiry(
                    strategy_discussion=discussion,
                    child=child,
                    start_date=enquiry.start,
                    icpc_not_required=enquiry.icpc_not_required,
                )
                for discussion, (child, enquiry) in zip(discussions, wanted, strict=True)
            ],
            "section47_enquiries",
        )
        self.update(Section47Enquiry, changed, ["icpc_not_required"], "section47_enquiries")
        self.unchanged("section47_enquiries", same)
        result = {key: e.strategy_discussion for key, e in existing.items() if e is not None}
        for enquiry in created:
            result[(enquiry.child_id, enquiry.start_date)] = enquiry.strategy_discussion
        return result

    def conferences(
        self, chunk, children, families, discussions, plans
    ) -> dict[tuple[int, date, str], Conference]:
        existing: dict[tuple[int, date, str], ConferenceChild] = {}
        links = (
            ConferenceChild.objects.filter(child__in=list(children.values()))
            .exclude(conference__status=ConferenceStatus.STOOD_DOWN)
            .select_related("conference")
            .order_by("conference__date", "conference_id")
        )
        for link in links:
            existing.setdefault((link.child_id, link.conference.date, _kind(link.stage)), link)
        new: list[tuple[Child, dict, Conference]] = []
        changed_conferences, changed_links, same = [], [], 0
        for record in chunk:
            child = children[record.child_id]
            plan_starts = {plan.start for plan in record.plans} | {
                start for (child_pk, start) in plans if child_pk == child.pk
            }
            for (day, kind), details in _wanted_conferences(record, plan_starts).items():
                link = existing.get((child.pk, day, kind))
                if link is None:
                    enquiry_start = details["enquiry_start"]
                    conference = Conference(
                        family=self.family_on(families[child.pk], day),
                        conference_type=details["type"],
                        date=day,
                        chair=None,
                        paperwork_tracked=False,
                        strategy_discussion=discussions.get((child.pk, enquiry_start))
                        if enquiry_start
                        else None,
                        status=ConferenceStatus.HELD,
                    )
                    new.append((child, details, conference))
                    continue
                conference = link.conference
                # Conferences recorded in the system are its own record: the import only keeps its
                # own ones (no chair, one child) in step with the file.
                if conference.chair_id is None and (
                    conference.conference_type != details["type"]
                    or link.stage != details["stage"]
                    or link.outcome != details["outcome"]
                ):
                    conference.conference_type = details["type"]
                    link.stage, link.outcome = details["stage"], details["outcome"]
                    changed_conferences.append(conference)
                    changed_links.append(link)
                else:
                    same += 1
        created = self.create(Conference, [c for _, _, c in new], "conferences")
        self.create(
            ConferenceChild,
            [
                ConferenceChild(
                    conference=conference, child=child, stage=details["stage"], outcome=details["outcome"]
                )
                for (child, details, _), conference in zip(new, created, strict=True)
            ],
            None,  # counted with their conferences
        )
        self.update(Conference, changed_conferences, ["conference_type"], "conferences")
        _clean(changed_links)
        bulk_update_with_history(
            changed_links,
            ConferenceChild,
            ["stage", "outcome"],
            default_user=self.user,
            default_change_reason=REASON,
        )
        self.unchanged("conferences", same)
        result = {key: link.conference for key, link in existing.items()}
        for (child, details, _), conference in zip(new, created, strict=True):
            result[(child.pk, conference.date, _kind(details["stage"]))] = conference
        self.conference_ids.update(c.pk for c in result.values())
        return result

    def plans(
        self, chunk, children, conferences, existing: dict[tuple[int, date], ChildProtectionPlan]
    ) -> None:
        new, changed, same = [], [], 0
        for record in chunk:
            child = children[record.child_id]
            for plan in record.plans:
                found = existing.get((child.pk, plan.start))
                categories, not_itemised = _categories(plan, found)
                start_conference = conferences.get((child.pk, plan.start, INITIAL))
                end_conference = conferences.get((child.pk, plan.end, REVIEW)) if plan.end else None
                values = {
                    "end_date": plan.end,
                    "categories": categories,
                    "categories_not_itemised": not_itemised,
                    "initial_category": plan.initial_category,
                    "previous_plans_declared": plan.previous_plans,
                }
                if found is None:
                    new.append(
                        ChildProtectionPlan(
                            child=child,
                            start_date=plan.start,
                            start_conference=start_conference,
                            end_conference=end_conference,
                            end_reason=PlanEndReason.NOT_RECORDED if plan.end else "",
                            **values,
                        )
                    )
                    continue
                if plan.end is None:
                    values["end_reason"] = ""
                elif not found.end_reason:
                    values["end_reason"] = PlanEndReason.NOT_RECORDED
                if found.start_conference_id is None and start_conference is not None:
                    values["start_conference"] = start_conference
                if found.end_conference_id is None and end_conference is not None:
                    values["end_conference"] = end_conference
                if plan.end is None and found.end_conference_id is not None:
                    values["end_conference"] = None
                if any(getattr(found, key) != value for key, value in values.items()):
                    for key, value in values.items():
                        setattr(found, key, value)
                    changed.append(found)
                else:
                    same += 1
        # Updates first: a plan whose end moves earlier may make room for a new one.
        self.update(ChildProtectionPlan, changed, PLAN_FIELDS, "cp_plans")
        self.create(ChildProtectionPlan, new, "cp_plans")
        self.unchanged("cp_plans", same)

    def episodes(self, chunk, children) -> None:
        existing = {
            (e.child_id, e.referral_date): e
            for e in CinEpisode.objects.filter(child__in=list(children.values()))
        }
        new, changed, same = [], [], 0
        for record in chunk:
            child = children[record.child_id]
            for episode in record.episodes:
                values = {
                    "referral_source": episode.referral_source,
                    "primary_need": episode.primary_need,
                    "closure_date": episode.closure_date,
                    "closure_reason": episode.closure_reason,
                    "referral_nfa": episode.referral_nfa,
                    "initial_cpc_date": episode.initial_conference,
                }
                found = existing.get((child.pk, episode.referral_date))
                if found is None:
                    new.append(CinEpisode(child=child, referral_date=episode.referral_date, **values))
                elif any(getattr(found, key) != value for key, value in values.items()):
                    for key, value in values.items():
                        setattr(found, key, value)
                    changed.append(found)
                else:
                    same += 1
        self.create(CinEpisode, new, "cin_episodes")
        self.update(CinEpisode, changed, EPISODE_FIELDS, "cin_episodes")
        self.unchanged("cin_episodes", same)


def _write(children: Iterable[ChildIn], *, user) -> Tally:
    tally = Tally()
    writer = _Writer(tally, user)
    for chunk in _batches(list(children), CHUNK):
        writer.write(chunk)
    # Due dates come from the one refresh service, for every conference of the imported
    # children: an imported conference can be "the previous conference" of a later one.
    if writer.conference_ids:
        conference_due_dates_refresh(conference_ids=writer.conference_ids)
    analyze(
        Child,
        Family,
        FamilyMembership,
        CinEpisode,
        StrategyDiscussion,
        Section47Enquiry,
        Conference,
        ConferenceChild,
        ChildProtectionPlan,
    )
    return tally
