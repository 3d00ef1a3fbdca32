"""Writes to children, families, staff and IRO allocations."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from iro_service.core.versioning import refuse_if_changed_since
from iro_service.people.codes import JobRole
from iro_service.people.models import (
    Child,
    ChildRestriction,
    ChildRestrictionMember,
    IroAllocation,
    StaffMember,
)


def child_create(**fields) -> Child:
    """Add a child; every field is validated, including the database constraints."""
    child = Child(**fields)
    child.full_clean()
    child.save()
    return child


@transaction.atomic
def child_update(*, child: Child, changes: dict, seen_updated_at: datetime | None = None) -> Child:
    """Change a child's details. ``seen_updated_at`` is the version the editor started from:
    if the record has changed since, the edit is refused rather than silently overwriting."""
    locked = Child.objects.select_for_update().get(pk=child.pk)
    refuse_if_changed_since(locked, seen_updated_at, what="child's details")
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def iro_allocate(
    *, child: Child, iro: StaffMember, start_date: date, reason: str = "", by=None
) -> IroAllocation:
    """Make ``iro`` the child's IRO from ``start_date``; the current allocation ends that day.

    The child's row is locked so that two managers reallocating at once cannot both close the
    same allocation; the database's exclusion constraint is the last line of defence."""
    Child.objects.select_for_update().get(pk=child.pk)
    if iro.job_role != JobRole.IRO:
        raise ValidationError({"iro": f"{iro.full_name} is not an IRO."})
    if iro.end_date is not None and iro.end_date < start_date:
        raise ValidationError({"iro": f"{iro.full_name} left the service on {iro.end_date:%d %B %Y}."})
    current = IroAllocation.objects.filter(child=child, end_date__isnull=True).first()
    if current is not None:
        if current.iro_id == iro.pk:
            raise ValidationError({"iro": f"{iro.full_name} is already this child's IRO."})
        if start_date <= current.start_date:
            raise ValidationError(
                {
                    "start_date": "The new IRO must start after the current IRO's start on "
                    f"{current.start_date:%d %B %Y}."
                }
            )
        current.end_date = start_date
        current.full_clean()
        current.save()
    if IroAllocation.objects.filter(child=child, start_date__gte=start_date).exists():
        raise ValidationError({"start_date": "The child already has an IRO from a later date."})
    allocation = IroAllocation(child=child, iro=iro, start_date=start_date, reason=reason, allocated_by=by)
    allocation.full_clean()
    allocation.save()
    return allocation


@transaction.atomic
def child_restrict(*, child: Child, staff_members, reason: str, by=None) -> ChildRestriction:
    """Restrict a child's record to the named ``staff_members``, or change who is named and why.
    Everyone else is answered 404 by every page and endpoint of the child from now on. Each
    change is kept in the history (who restricted, whom they named, and when)."""
    staff_members = list(staff_members)
    errors = {}
    if not staff_members:
        errors["named_staff"] = "Select at least one member of staff who may see the record"
    elif any(member.user_id is None for member in staff_members):
        errors["named_staff"] = "Select only staff who sign in: the others could never see the record"
    if not reason.strip():
        errors["reason"] = "Enter why the record is restricted"
    if errors:
        raise ValidationError(errors)
    restriction, created = ChildRestriction.objects.select_for_update().get_or_create(
        child=child, defaults={"reason": reason.strip(), "restricted_by": by}
    )
    if not created and restriction.reason != reason.strip():
        restriction.reason = reason.strip()
        restriction.save(update_fields=["reason", "updated_at"])
    wanted = {member.pk for member in staff_members}
    for member in restriction.members.all():
        if member.staff_member_id not in wanted:
            member.delete()  # one by one, so that each leaves its history row
    named = set(restriction.members.values_list("staff_member_id", flat=True))
    for staff_member_id in sorted(wanted - named):
        ChildRestrictionMember.objects.create(restriction=restriction, staff_member_id=staff_member_id)
    return restriction


@transaction.atomic
def child_restriction_lift(*, child: Child) -> bool:
    """Lift the restriction of a child's record: everyone whose role allows sees it again. The
    history keeps the restriction that was lifted. False when the record was not restricted."""
    restriction = ChildRestriction.objects.select_for_update().filter(child=child).first()
    if restriction is None:
        return False
    for member in restriction.members.all():
        member.delete()
    restriction.delete()
    return True
