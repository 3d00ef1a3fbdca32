"""Reads of children, families, staff and IRO allocations, each with the joins its page needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from iro_service.core.codes import codes_shown
from iro_service.people.models import (
    Child,
    ChildRestriction,
    ChildRestrictionMember,
    FamilyMembership,
    IroAllocation,
    StaffMember,
    Team,
)


def staff_member_of(user) -> StaffMember | None:
    """The staff record of a signed-in user, or None (an API client, a manager with no caseload,
    an anonymous visitor): the reverse one-to-one is missing then, and getattr's default covers it."""
    return getattr(user, "staff_member", None) if user.is_authenticated else None


def _current_allocation(child: str = "pk") -> QuerySet[IroAllocation]:
    return IroAllocation.objects.filter(child=OuterRef(child), end_date__isnull=True).order_by("-start_date")


def child_current_iro_field(field: str, *, child: str = "pk") -> Subquery:
    """A field of the current IRO (``"iro__last_name"``, say) of the row's child, to annotate: the
    row is a child, or (``child="child"``) a record with a ``child`` field."""
    return Subquery(_current_allocation(child).values(field)[:1])


def iro_allocated_on(
    *, on, team_id: int | None = None, iro_id: int | None = None, inclusive_end: bool = False, child="child"
) -> Exists:
    """The row's child (its field ``child``; ``"pk"`` for a child) had an IRO of the team, or the
    IRO, allocated on ``on`` (a date or an expression): the lists' and figures' team and IRO
    filters for records about children. Allocations run [start, end): on a handover day the new
    IRO has the child, unless ``inclusive_end`` (the last day of something) counts both."""
    ended_after = Q(end_date__gte=on) if inclusive_end else Q(end_date__gt=on)
    allocations = IroAllocation.objects.filter(child=OuterRef(child), start_date__lte=on).filter(
        Q(end_date__isnull=True) | ended_after
    )
    if team_id:
        allocations = allocations.filter(iro__team_id=team_id)
    if iro_id:
        allocations = allocations.filter(iro_id=iro_id)
    return Exists(allocations)


def child_list(
    *,
    user,
    search: str = "",
    sex: str = "",
    ethnicity: str = "",
    iro_id: int | None = None,
    unborn: bool | None = None,
    ordering: tuple[str, ...] = ("last_name", "first_name"),
) -> QuerySet[Child]:
    """Children for the Children page: filtered, with their current IRO, in two queries for a
    page of any length (the page itself and the current allocations). A child hidden from
    ``user`` is not found, even by their child ID."""
    children = Child.objects.restrict(user).annotate(
        current_iro_last_name=Subquery(_current_allocation().values("iro__last_name")[:1]),
    )
    search = search.strip()
    if search:
        words = search.split()
        condition = Q(local_child_id__iexact=search) | Q(upn__iexact=search)
        if len(words) == 1:
            condition |= Q(first_name__icontains=search) | Q(last_name__icontains=search)
        else:
            # "Amy Smith" should find Amy Smith, not everyone called Amy or Smith.
            condition |= Q(first_name__icontains=words[0], last_name__icontains=words[-1])
            condition |= Q(last_name__icontains=search)
        children = children.filter(condition)
    if sex:
        children = children.filter(sex=sex)
    if ethnicity:
        children = children.filter(ethnicity=ethnicity)
    if iro_id:
        children = children.filter(iro_allocations__iro_id=iro_id, iro_allocations__end_date__isnull=True)
    if unborn is not None:
        children = children.filter(date_of_birth__isnull=unborn)
    return children.order_by(*ordering, "pk").prefetch_related(
        Prefetch(
            "iro_allocations",
            queryset=IroAllocation.objects.filter(end_date__isnull=True).select_related("iro"),
            to_attr="current_allocations",
        )
    )


def family_current_children(*, family, user) -> list[Child]:
    """The children living in ``family``'s household now (an open membership), by first name:
    who a conference or a strategy discussion for the family can be about (those ``user`` may
    reach)."""
    return list(
        Child.objects.restrict(user)
        .filter(
            pk__in=FamilyMembership.objects.filter(family=family, end_date__isnull=True).values("child_id")
        )
        .order_by("first_name", "pk")
    )


def child_for_record(*, pk: int, user) -> Child:
    """One child with everything the child page shows: IROs over time and households; a
    child hidden from ``user`` does not exist (Child.DoesNotExist). The restriction, if any,
    comes in the same query (its named staff in one more, only when there is one)."""
    return (
        Child.objects.restrict(user)
        .select_related("restriction")
        .prefetch_related(
            Prefetch(
                "restriction__members",
                queryset=ChildRestrictionMember.objects.select_related("staff_member"),
            ),
            Prefetch(
                "iro_allocations",
                queryset=IroAllocation.objects.select_related("iro", "iro__team").order_by("-start_date"),
            ),
            Prefetch(
                "family_memberships",
                queryset=FamilyMembership.objects.select_related("family").order_by("-start_date"),
            ),
        )
        .get(pk=pk)
    )


def current_iro(*, child: Child, on: date | None = None) -> StaffMember | None:
    allocations = IroAllocation.objects.filter(child=child).select_related("iro").order_by("-start_date")
    if on is None:
        allocation = allocations.filter(end_date__isnull=True).first()
    else:
        allocation = (
            allocations.filter(start_date__lte=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
            .first()
        )
    return allocation.iro if allocation else None


def iros_in_post_with_fte(*, on: date, team_id: int | None = None, iro_id: int | None = None):
    """IROs employed on ``on`` (optionally one team's, or one IRO), with their teams."""
    iros = StaffMember.objects.iros().in_post(on).select_related("team").order_by("last_name", "first_name")
    if team_id:
        iros = iros.filter(team_id=team_id)
    if iro_id:
        iros = iros.filter(pk=iro_id)
    return iros


def iro_list(*, on: date | None = None) -> QuerySet[StaffMember]:
    iros = StaffMember.objects.iros().select_related("team")
    return iros.in_post(on) if on else iros


def iro_teams() -> QuerySet[Team]:
    """The teams IROs belong to (the teams a chair's work is filtered by), by name."""
    has_iros = Exists(StaffMember.objects.iros().filter(team=OuterRef("pk")))
    return Team.objects.filter(has_iros).order_by("name")


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    record: str
    action: str
    changes: list[tuple[str, str, str]]
    # Why, when the change came in bulk: "SSDA903 import", "CIN census import".
    reason: str = ""


_ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _entries_for(history_rows, record_label) -> list[HistoryEntry]:
    """Turn simple-history rows (ordered oldest first per object) into readable changes."""
    entries = []
    previous_by_object = {}
    for row in history_rows:
        object_id = row.id
        previous = previous_by_object.get(object_id)
        changes = []
        if previous is not None and row.history_type == "~":
            delta = row.diff_against(previous)
            for change in delta.changes:
                field = row.instance_type._meta.get_field(change.field)
                code_list = _CODED_FIELDS.get(change.field)
                changes.append(
                    (
                        str(field.verbose_name).capitalize(),
                        _shown(change.old, code_list),
                        _shown(change.new, code_list),
                    )
                )
        previous_by_object[object_id] = row
        user = row.history_user
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "System",
                record=record_label(row),
                action=_ACTIONS.get(row.history_type, row.history_type),
                changes=changes,
                reason=row.history_change_reason or "",
            )
        )
    return entries


# The fields of the records in a child's history that hold codes, and the code list of each.
_CODED_FIELDS = {"sex": "sex", "ethnicity": "ethnicity", "disabilities": "disability"}


def _shown(value, code_list: str | None = None) -> str:
    if value in (None, "", []):
        return "(blank)"
    if code_list is not None:
        return codes_shown(code_list, value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def child_history(*, child: Child) -> list[HistoryEntry]:
    """Every recorded change to the child and their IRO allocations and households, newest
    first, with who made it. A fixed number of queries whatever the length of the history."""
    child_rows = child.history.select_related("history_user").order_by("history_date", "history_id")
    allocation_rows = (
        IroAllocation.history.filter(child_id=child.pk)
        .select_related("history_user", "iro")
        .order_by("history_date", "history_id")
    )
    membership_rows = (
        FamilyMembership.history.filter(child_id=child.pk)
        .select_related("history_user", "family")
        .order_by("history_date", "history_id")
    )
    entries = chain(
        _entries_for(child_rows, lambda row: "Child's details"),
        _entries_for(allocation_rows, lambda row: f"IRO allocation ({row.iro.full_name})"),
        _entries_for(membership_rows, lambda row: f"Household ({row.family.name})"),
    )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def child_pks_with_local_ids(local_ids: Iterable[str]) -> list[int]:
    """The children held with these local child IDs (a return's CHILD or LAchildID), for the
    access log of a download that names them. IDs the system does not hold are left out."""
    return list(Child.objects.filter(local_child_id__in=list(local_ids)).values_list("pk", flat=True))


# --- restricted records ---------------------------------------------------------------------


def staff_who_sign_in(*, on: date) -> QuerySet[StaffMember]:
    """Staff in post with an account: who a child's record can be restricted to."""
    return (
        StaffMember.objects.in_post(on)
        .filter(user__isnull=False, user__is_active=True)
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )


def child_restriction_of(*, child: Child) -> ChildRestriction | None:
    """The child's restriction with the staff named on it, or None when the record is open."""
    return (
        ChildRestriction.objects.filter(child=child)
        .select_related("restricted_by")
        .prefetch_related(
            Prefetch("members", queryset=ChildRestrictionMember.objects.select_related("staff_member__team"))
        )
        .first()
    )


def restricted_children() -> QuerySet[ChildRestriction]:
    """Every restricted record, for the managers who keep the restrictions: the child, who may
    see it, why, and who restricted it. It names children every other list hides, so only the
    restriction pages use it."""
    return (
        ChildRestriction.objects.select_related("child", "restricted_by")
        .prefetch_related(
            Prefetch("members", queryset=ChildRestrictionMember.objects.select_related("staff_member"))
        )
        .order_by("child__last_name", "child__first_name", "child_id")
    )


def child_restriction_history(*, child: Child) -> list[HistoryEntry]:
    """Every change to the restriction of a child's record (restricted, staff named or no
    longer named, lifted), newest first, with who made it. Three queries."""
    restriction_rows = (
        ChildRestriction.history.filter(child_id=child.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    restriction_ids = {row.id for row in restriction_rows}
    member_rows = (
        ChildRestrictionMember.history.filter(restriction_id__in=restriction_ids)
        .select_related("history_user", "staff_member")
        .order_by("history_date", "history_id")
    )
    entries = chain(
        _entries_for(restriction_rows, lambda row: "Restriction"),
        _entries_for(member_rows, lambda row: f"Named: {row.staff_member.full_name}"),
    )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
