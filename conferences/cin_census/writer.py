"""Writing an import: each chunk of children matched with what is already held and written with
a fixed number of bulk queries, each with its history rows (``_Writer``), then the due dates
of every conference of the imported children (``_write``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TypeVar

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from conferences.cin_census.reader import ChildIn, Section47In
from conferences.cin_census.wanted import (
    INITIAL,
    REVIEW,
    _categories,
    _earliest_date,
    _family_reference,
    _kind,
    _wanted_conferences,
)
from conferences.models import (
    ChildProtectionPlan,
    CinEpisode,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    PlanEndReason,
    Section47Enquiry,
    StrategyDiscussion,
)
from conferences.services.refresh import conference_due_dates_refresh, plan_next_reviews_refresh
from iro_service.audit.services import bulk_create_recorded
from iro_service.core.db import analyze
from iro_service.core.imports import Tally
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

T = TypeVar("T")


def _batches(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _clean(objects: list) -> None:
    """Check each value against its field (lengths, choices) without a query per row: the
    related rows were just read or written, so foreign keys are not looked up again."""
    if not objects:
        return
    relations = [f.name for f in objects[0]._meta.concrete_fields if f.is_relation]
    for obj in objects:
        obj.clean_fields(exclude=relations)


def _held_fields(enquiry: Section47Enquiry) -> tuple:
    """What an import sets on a stored enquiry beyond its start: ICPCnotRequired and the
    assessment (the order ``_file_fields`` gives them in)."""
    return (
        enquiry.icpc_not_required,
        enquiry.assessment_started_on,
        enquiry.assessment_authorised_on,
        list(enquiry.assessment_factors),
    )


def _file_fields(enquiry: Section47In) -> tuple:
    """The same fields as the file gives them."""
    return (
        enquiry.icpc_not_required,
        enquiry.assessment_started,
        enquiry.assessment_authorised,
        list(enquiry.assessment_factors),
    )


class _Writer:
    """Writes one chunk of children with a fixed number of bulk queries."""

    def __init__(self, tally: Tally, user):
        self.tally = tally
        self.user = user
        self.conference_ids: set[int] = set()
        self.plan_child_ids: set[int] = set()

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
                elif _held_fields(found) != _file_fields(enquiry):
                    (
                        found.icpc_not_required,
                        found.assessment_started_on,
                        found.assessment_authorised_on,
                        found.assessment_factors,
                    ) = _file_fields(enquiry)
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
                    assessment_started_on=enquiry.assessment_started,
                    assessment_authorised_on=enquiry.assessment_authorised,
                    assessment_factors=enquiry.assessment_factors,
                )
                for discussion, (child, enquiry) in zip(discussions, wanted, strict=True)
            ],
            "section47_enquiries",
        )
        self.update(
            Section47Enquiry,
            changed,
            ["icpc_not_required", "assessment_started_on", "assessment_authorised_on", "assessment_factors"],
            "section47_enquiries",
        )
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
        self.plan_child_ids.update(child.pk for child in children.values())
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
    # And when each plan is next due a review, for the plans imported without a conference.
    plan_next_reviews_refresh(child_ids=writer.plan_child_ids)
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
