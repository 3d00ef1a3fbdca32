"""What the page modules of ``reviews.views`` share: the page size of the lists, the signed-in
IRO, and the child of a URL (or a 404)."""

from __future__ import annotations

from django.http import Http404

from iro_service.people.codes import JobRole
from iro_service.people.models import Child, StaffMember
from iro_service.people.selectors import staff_member_of

PAGE_SIZE = 25


def _own_iro(request) -> StaffMember | None:
    member = staff_member_of(request.user)
    return member if member is not None and member.job_role == JobRole.IRO else None


def _child_or_404(request, pk: int) -> Child:
    try:
        return Child.objects.restrict(request.user).get(pk=pk)
    except Child.DoesNotExist:
        raise Http404("No child with that record") from None
