"""The subject access export: everything held about one child, as a PDF.

The records are found by walking the models, not by a list of them: every record that points
at the child (a period of care, a review, a conference's entry for the child, an HSB referral,
a QA alert), every record that points at one of those, and so on, with the history of each.
A model added later with a foreign key to the child is in the export without a change here,
and the access log (the kernel) needs no import of the apps above it.

Records the child's own records point at (a family, a conference, a member of staff) are named,
not copied: their other contents are about other people (brothers and sisters, parents, staff),
whom a subject access response must not disclose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import models
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst

from iro_service.audit.models import AccessChannel, AccessLog
from iro_service.audit.services import access_log_record

if TYPE_CHECKING:
    from iro_service.people.models import Child

# Credentials are never copied out, even in a child's own record: a QA alert response link's
# token would let whoever holds the PDF answer the alert.
_SECRET_WORDS = ("token", "secret", "hash", "password")
# Deep enough for child -> QA alert -> response -> its parts; the walk also stops when a
# relation finds nothing.
_MAX_DEPTH = 4
_ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
_FRAMEWORK_APPS = {"auth", "contenttypes", "admin", "sessions", "axes", "otp_totp", "otp_static"}


@dataclass
class HeldRecord:
    """One record, as its fields and their values."""

    title: str
    fields: list[tuple[str, str]]


@dataclass
class RecordGroup:
    """The records of one kind (``Periods of care``), with the relation that reached them."""

    title: str
    reached_by: str
    records: list[HeldRecord] = field(default_factory=list)


@dataclass
class HistoryItem:
    """One change to one record."""

    when: datetime
    who: str
    record: str
    action: str
    changes: list[tuple[str, str, str]]


@dataclass
class SubjectAccessBundle:
    """Everything held about the child, ready to print."""

    child: HeldRecord
    groups: list[RecordGroup]
    history: list[HistoryItem]
    access_log: list[AccessLog]


def _is_secret(model_field) -> bool:
    return any(word in model_field.name for word in _SECRET_WORDS)


def _shown(value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%-d %B %Y, %H:%M")
    if isinstance(value, date):
        return value.strftime("%-d %B %Y")
    if isinstance(value, list | tuple):
        return ", ".join(_shown(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_shown(item)}" for key, item in value.items())
    return str(value)


def _coded(model_field, value) -> str:
    """A stored value as people read it: a code's label (one code or a list), or the value."""
    choices = dict(model_field.flatchoices) if model_field.choices else None
    base = getattr(model_field, "base_field", None)
    if choices is None and base is not None and base.choices:
        choices = dict(base.flatchoices)
    if choices and value not in (None, ""):
        if isinstance(value, list):
            return ", ".join(str(choices.get(item, item)) for item in value)
        return str(choices.get(value, value))
    return _shown(value)


def _field_value(record, model_field) -> str:
    if isinstance(model_field, models.BinaryField):
        # A voice note's sound (or a document's bytes) cannot be printed: the export says it is
        # held, and how big; the recording itself is given from the consultation's page.
        content = getattr(record, model_field.attname)
        return f"Held in the system, not printed here ({filesizeformat(len(content))})" if content else ""
    if model_field.is_relation:
        related = getattr(record, model_field.name, None)
        return str(related) if related is not None else ""
    return _coded(model_field, getattr(record, model_field.attname))


def _changed_value(model_field, value) -> str:
    """A value from a history row, as the record shows it: a code's label, the record a
    foreign key names (one query each: an export, not a page)."""
    if value in (None, ""):
        return ""
    if model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"record {value}, since deleted"
    return _coded(model_field, value)


def _shown_fields(model) -> list:
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if not model_field.primary_key and not _is_secret(model_field)
    ]


def _held(record) -> HeldRecord:
    return HeldRecord(
        title=str(record),
        fields=[
            (capfirst(str(model_field.verbose_name)), _field_value(record, model_field))
            for model_field in _shown_fields(type(record))
        ],
    )


def _is_history_model(model) -> bool:
    return model.__name__.startswith("Historical") and hasattr(model, "instance_type")


def _relations_down(model):
    """The one-to-many relations from ``model`` to records that point at it."""
    for relation in model._meta.related_objects:
        related = relation.related_model
        if relation.many_to_many or related is AccessLog or _is_history_model(related):
            continue
        if related._meta.app_label in _FRAMEWORK_APPS:
            continue
        yield relation


def _history_model(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _history_items(model, rows, label) -> list[HistoryItem]:
    items, previous = [], {}
    for row in rows:
        changes = []
        before = previous.get(row.pk_for_history)
        if before is not None and row.history_type == "~":
            for change in row.diff_against(before).changes:
                model_field = model._meta.get_field(change.field)
                if _is_secret(model_field):
                    continue
                changes.append(
                    (
                        capfirst(str(model_field.verbose_name)),
                        _changed_value(model_field, change.old),
                        _changed_value(model_field, change.new),
                    )
                )
        previous[row.pk_for_history] = row
        user = row.history_user
        items.append(
            HistoryItem(
                when=row.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "System or import",
                record=label,
                action=_ACTIONS.get(row.history_type, row.history_type),
                changes=changes,
            )
        )
    return items


def _history_rows(history, lookup: models.Q):
    rows = (
        history.objects.filter(lookup).select_related("history_user").order_by("history_date", "history_id")
    )
    pk_name = history.instance_type._meta.pk.attname
    rows = list(rows)
    for row in rows:
        row.pk_for_history = getattr(row, pk_name)
    return rows


def subject_access_bundle(*, child: Child) -> SubjectAccessBundle:
    """Everything held about ``child``: the child's details, every record reached from the
    child (see the module's docstring), the history of the child and of each kind of record
    found, oldest first, and every entry of the access log about the child. One query per
    relation and per history table, not per record."""
    child_model = type(child)
    # model -> {pk: record}, in the order the kinds were first reached; and, per model, the
    # relations to the child itself (their history finds records since deleted, too).
    held: dict[type[models.Model], dict[int, models.Model]] = {}
    reached_by: dict[type[models.Model], list[str]] = {}
    direct: dict[type[models.Model], list[str]] = {}
    frontier = [(child_model, [child.pk], 0)]
    while frontier:
        model, pks, depth = frontier.pop(0)
        if depth >= _MAX_DEPTH or not pks:
            continue
        for relation in _relations_down(model):
            related = relation.related_model
            foreign_key = relation.field
            forward = [
                f.name for f in related._meta.concrete_fields if f.is_relation and f is not foreign_key
            ]
            known = held.get(related, {})
            rows = list(
                related._default_manager.filter(**{f"{foreign_key.name}__in": pks})
                .exclude(pk__in=list(known))
                .select_related(*forward)
                .order_by("pk")
            )
            if model is child_model:
                direct.setdefault(related, []).append(foreign_key.attname)
            if not rows:
                continue
            held.setdefault(related, {}).update((row.pk, row) for row in rows)
            reached_by.setdefault(related, []).append(
                f"{foreign_key.verbose_name} ({model._meta.verbose_name})"
            )
            frontier.append((related, [row.pk for row in rows], depth + 1))

    groups = [
        RecordGroup(
            title=capfirst(str(model._meta.verbose_name_plural)),
            reached_by=", ".join(reached_by[model]),
            records=[_held(row) for row in rows.values()],
        )
        for model, rows in held.items()
    ]
    history: list[HistoryItem] = []
    child_history = _history_model(child_model)
    if child_history is not None:
        lookup = models.Q(**{child_model._meta.pk.attname: child.pk})
        history += _history_items(child_model, _history_rows(child_history, lookup), "Child's details")
    for model in {*held, *direct}:
        model_history = _history_model(model)
        if model_history is None:
            continue
        lookup = models.Q(**{f"{model._meta.pk.attname}__in": list(held.get(model, {}))})
        for attname in direct.get(model, []):
            lookup |= models.Q(**{attname: child.pk})
        label = capfirst(str(model._meta.verbose_name))
        history += _history_items(model, _history_rows(model_history, lookup), label)
    history.sort(key=lambda item: item.when)
    access_log = list(
        AccessLog.objects.filter(child=child).select_related("user").order_by("viewed_at", "pk")
    )
    return SubjectAccessBundle(child=_held(child), groups=groups, history=history, access_log=access_log)


def subject_access_export(*, request, child: Child) -> bytes:
    """The subject access export of ``child`` as a PDF, for ``request.user``. Logged first (an
    export of the child's records, through the export channel), so that the PDF's own access
    log shows this export too."""
    # WeasyPrint loads Pango and its fonts on import: only when an export is asked for.
    from weasyprint import HTML

    access_log_record(
        request=request, child=child, what="Subject access export (PDF)", channel=AccessChannel.EXPORT
    )
    bundle = subject_access_bundle(child=child)
    html = render_to_string(
        "audit/subject_access.pdf.html",
        {
            "bundle": bundle,
            "child": child,
            "produced_at": timezone.localtime(),
            "produced_by": request.user.get_full_name() or request.user.get_username(),
        },
    )
    # PDF/UA: a tagged PDF (headings, tables, reading order, language) that a screen reader
    # can follow, as the accessibility statement promises.
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


# Exposed for the tests and the docs: which kinds of record a child's export can reach.
def reachable_models(model: type[models.Model], depth: int = _MAX_DEPTH) -> set[type[models.Model]]:
    """Every model the export walks to from ``model`` (its records pointing at it, and so on)."""
    found, frontier = set(), [(model, 0)]
    while frontier:
        current, level = frontier.pop()
        if level >= depth:
            continue
        for relation in _relations_down(current):
            related = relation.related_model
            if related not in found and related is not model:
                found.add(related)
                frontier.append((related, level + 1))
    return found
