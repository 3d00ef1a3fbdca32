"""Who may reach which child: the one place the restriction of a child's record is applied.

Modelled on NetBox's ``RestrictedQuerySet``: every read of children's records, by a page, an
API view, a list, a figure's drill-down or an export, starts from a queryset and calls
``.restrict(user)`` on it (or ``restrict(queryset, user)`` for a queryset of another class).
The restriction is one ``NOT EXISTS`` in the same SQL query, so a list costs no extra query
per row and no extra query at all.

A child is hidden from a user when a manager has restricted the child's record to named staff
(``ChildRestriction``) and the user is not one of them. A record about several children (a
conference for a family, an alert about siblings) is hidden when any of its children is hidden
from the user, because the record describes that child too.

Each model with children's records names the way from it to the child (or children) it is
about in ``child_path`` ("child", "period__child", "children__child"); a model without it
(teams, code lists, settings) is not about a child and is never restricted.

It sits in the kernel's floor, below the API base and the access log that use it, so it finds
the restriction models (``people.ChildRestriction``) through the app registry, not an import."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.fields.related import ForeignObjectRel


@cache
def _path_from_child(model: type[models.Model]) -> str | None:
    """``model.child_path`` (the way from the record to its child) turned round: the way from
    a child to the record, which the ``EXISTS`` filters on. "" for the Child model itself."""
    Child = apps.get_model("people", "Child")
    if model is Child:
        return ""
    forward = getattr(model, "child_path", None)
    if forward is None:
        return None
    steps, current = [], model
    for name in forward.split("__"):
        field = current._meta.get_field(name)
        if isinstance(field, ForeignObjectRel):
            steps.append(field.field.name)  # a reverse relation: back along its foreign key
        else:
            steps.append(field.related_query_name())
        current = field.related_model
    if current is not Child:
        raise TypeError(f"{model.__name__}.child_path = {forward!r} does not lead to a child")
    return "__".join(reversed(steps))


def _restrictions_not_naming(**member) -> models.QuerySet:
    """The restrictions whose named staff do not include the member of staff ``member``
    picks out (by user, or by a column of the outer query)."""
    ChildRestriction = apps.get_model("people", "ChildRestriction")
    ChildRestrictionMember = apps.get_model("people", "ChildRestrictionMember")
    named = ChildRestrictionMember.objects.filter(restriction=OuterRef("pk"), **member)
    return ChildRestriction.objects.filter(~Exists(named))


def hidden_children(user) -> models.QuerySet:
    """The restrictions that hide a child from ``user``: every restriction that does not name
    the user's staff record (all of them for an anonymous visitor or an account with no staff
    record, such as the API client)."""
    if user is None or not user.is_authenticated:
        return apps.get_model("people", "ChildRestriction").objects.all()
    return _restrictions_not_naming(staff_member__user_id=user.pk)


def hidden_child_ids(user) -> set[int]:
    """The children hidden from ``user``, for rows that are not a queryset (a figure's
    drill-down rows): one query."""
    return set(hidden_children(user).values_list("child_id", flat=True))


def _none_hidden(model: type[models.Model], hidden: models.QuerySet, outer: str) -> Exists | None:
    """``NOT EXISTS`` a restriction of ``hidden`` on the child of the outer row of ``model``,
    or None for a model that is not about a child."""
    path = _path_from_child(model)
    if path is None:
        return None
    lookup = f"child__{path}" if path else "child"
    return ~Exists(hidden.filter(**{lookup: OuterRef(outer)}))


def visible_condition(model: type[models.Model], user, *, outer: str = "pk") -> Exists | None:
    """The ``WHERE`` condition that keeps the rows of ``model`` that ``user`` may reach, or None
    for a model that is not about a child. ``outer`` is the column of the outer query holding
    the record's key, for a query whose rows are another model's (``"child_id"``)."""
    return _none_hidden(model, hidden_children(user), outer)


def visible_to_staff_condition(model: type[models.Model], staff: str) -> Exists | None:
    """The ``WHERE`` condition that keeps the rows of ``model`` the member of staff in the
    row's own column ``staff`` may reach (its chair, its IRO), or None for a model that is not
    about a child. For emails, which have no signed-in reader: each row goes to the person in
    that column, so the condition asks about that person, in the same query for all of them."""
    hidden = _restrictions_not_naming(staff_member_id=OuterRef(OuterRef(staff)))
    return _none_hidden(model, hidden, "pk")


def restrict_to_staff(queryset: models.QuerySet, staff: str) -> models.QuerySet:
    """``queryset`` without the rows hidden from the member of staff each row names in its
    column ``staff`` (see ``visible_to_staff_condition``)."""
    condition = visible_to_staff_condition(queryset.model, staff)
    return queryset if condition is None else queryset.filter(condition)


def restrict(queryset: models.QuerySet, user) -> models.QuerySet:
    """``queryset`` without the rows ``user`` may not reach (see the module's docstring)."""
    condition = visible_condition(queryset.model, user)
    return queryset if condition is None else queryset.filter(condition)


def restrict_ids(model: type[models.Model], ids, user) -> list[int]:
    """Of the records of ``model`` numbered ``ids`` (a bulk action's selection), those ``user``
    may reach: one query, so that a forged selection cannot act on a hidden child's record."""
    return list(restrict(model._default_manager.filter(pk__in=list(ids)), user).values_list("pk", flat=True))


def may_reach(user, instance: models.Model) -> bool:
    """Whether ``user`` may reach this one record (one query; none for a record that is not
    about a child)."""
    if _path_from_child(type(instance)) is None:
        return True
    return restrict(type(instance)._default_manager.filter(pk=instance.pk), user).exists()


class RestrictedQuerySet(models.QuerySet):
    """A queryset of children's records that can be narrowed to what a user may reach."""

    def restrict(self, user) -> RestrictedQuerySet:
        return restrict(self, user)

    def restrict_to_staff(self, staff: str) -> RestrictedQuerySet:
        return restrict_to_staff(self, staff)


# --- who may change a review or conference record ------------------------------------------

CHANGE_ANY_RECORD = "people.change_any_childs_records"


def may_change_record(user, *, chair_id: int | None, child_ids) -> bool:
    """Whether ``user`` may change a review or conference record: its chair, the current IRO
    of one of the children it is about, or anyone whose role changes any child's records
    (business support and managers). IROs still see every child (cover and duty need it); it
    is changing another IRO's record that is refused. At most one query."""
    if user.has_perm(CHANGE_ANY_RECORD):
        return True
    staff = getattr(user, "staff_member", None) if user.is_authenticated else None
    if staff is None:
        return False
    if chair_id is not None and chair_id == staff.pk:
        return True
    return (
        apps.get_model("people", "IroAllocation")
        .objects.filter(child_id__in=list(child_ids), iro_id=staff.pk, end_date__isnull=True)
        .exists()
    )


NOT_YOUR_RECORD = (
    "Only the chair, the child's IRO, business support or an IRO manager can change this record. "
    "If you are covering for the chair, ask an IRO manager to change the child's IRO or to make "
    "the change for you."
)


class NotTheirRecord(PermissionDenied):
    """A change refused because the record is not the user's to change (a review they neither
    chair nor are the child's IRO for): the 403 page says so, in these words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
