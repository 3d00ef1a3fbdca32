"""Writes to children, families, staff and IRO allocations."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from iro_service.core.versioning import refuse_if_changed_since
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, IroAllocation, StaffMember


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
