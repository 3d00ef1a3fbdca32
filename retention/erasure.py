"""Erasing a child's whole record: every row about the child, in every app, with its history.

The rows are found by walking the models, as the subject access export finds them
(``iro_service/audit/subject_access.py``), so that a model added later with a foreign key to a
child is erased with no change here:

1. every record that points at the child, every record that points at one of those, and so on
   to the end (a period of care, its episodes and reviews, their parts, the consultations of
   its meetings and their answers; a conference's entry for the child; an HSB referral and its
   meetings; the child's place on a QA alert), including the rows of many-to-many tables;
2. a record about several children (a family's conference, an alert about siblings, a strategy
   discussion) is kept while another child is on it: only the child's own entry goes. One left
   about no child at all goes too, with what points at it;
3. a record that only refers to one of these (``on_delete=SET_NULL``: a QA alert raised from a
   review, an appeal naming the child) is kept, and the reference is cleared;
4. the history (django-simple-history) of each of these, and of records deleted earlier that
   pointed at them or at the child;
5. the child's access log, through the database's own function (``audit/0013``).

The walk refuses, and nothing is erased, if it would reach a record of another child (a plan
of a brother that began at a conference about this child alone).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from iro_service.audit.models import AccessLog
from iro_service.audit.services import access_log_erase_child

# Accounts, sessions and the other framework tables hold no child's record.
_FRAMEWORK_APPS = {
    "auth",
    "contenttypes",
    "admin",
    "sessions",
    "axes",
    "otp_totp",
    "otp_static",
    "django_otp_webauthn",
}


@dataclass
class ChildRecordRows:
    """Everything that erasing one child removes or changes, by model."""

    child_id: int
    rows: dict[type[models.Model], set[int]] = field(default_factory=dict)
    # (model, foreign key) -> the records it points at that go: the reference is cleared.
    cleared: dict[tuple[type[models.Model], models.ForeignKey], set[int]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per kind of record, as people read it ("Periods of care": 2)."""
        return {
            str(model._meta.verbose_name_plural).capitalize(): len(pks)
            for model, pks in sorted(self.rows.items(), key=lambda item: item[0]._meta.label)
            if pks and not model._meta.auto_created
        }


def _is_history_model(model) -> bool:
    return getattr(model, "instance_type", None) is not None


def _relations_down(model):
    """The relations from records that point at ``model``, hidden ones (many-to-many tables)
    included, but not the access log or history, which are erased their own way."""
    for relation in model._meta.get_fields(include_hidden=True):
        if not (
            relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)
        ):
            continue
        related = relation.related_model
        if related is AccessLog or _is_history_model(related) or related._meta.app_label in _FRAMEWORK_APPS:
            continue
        yield relation


def _walk(found: ChildRecordRows, frontier: list[tuple[type[models.Model], set[int]]]) -> None:
    while frontier:
        model, pks = frontier.pop()
        for relation in _relations_down(model):
            related, foreign_key = relation.related_model, relation.field
            if relation.on_delete is models.SET_NULL:
                found.cleared.setdefault((related, foreign_key), set()).update(pks)
                continue
            held = found.rows.setdefault(related, set())
            pointing = set(
                related._base_manager.filter(**{f"{foreign_key.attname}__in": pks}).values_list(
                    "pk", flat=True
                )
            )
            new = pointing - held
            if new:
                held.update(new)
                frontier.append((related, new))


def _left_about_no_child(found: ChildRecordRows) -> list[tuple[type[models.Model], set[int]]]:
    """The records about several children that the rows found point at and that, once those
    rows go, are about no child at all."""
    Child = apps.get_model("people", "Child")
    erased_children = found.rows.get(Child, set())
    pointed_at: dict[type[models.Model], set[int]] = defaultdict(set)
    for model, pks in found.rows.items():
        for model_field in model._meta.concrete_fields:
            target = model_field.related_model if model_field.is_relation else None
            if target is None or target is Child or getattr(target, "child_path", None) is None:
                continue
            pointed_at[target].update(
                model._base_manager.filter(
                    pk__in=pks, **{f"{model_field.attname}__isnull": False}
                ).values_list(model_field.attname, flat=True)
            )
    orphans = []
    for target, pks in pointed_at.items():
        pks -= found.rows.get(target, set())
        if not pks:
            continue
        links = target._base_manager.filter(pk__in=pks).values_list("pk", target.child_path)
        kept = {pk for pk, child_id in links if child_id is not None and child_id not in erased_children}
        if pks - kept:
            orphans.append((target, pks - kept))
    return orphans


def child_record_rows(*, child) -> ChildRecordRows:
    """Every row erasing ``child`` removes, and the references it clears (see the module)."""
    Child = apps.get_model("people", "Child")
    found = ChildRecordRows(child_id=child.pk, rows={Child: {child.pk}})
    frontier = [(Child, {child.pk})]
    while frontier:
        _walk(found, frontier)
        for model, pks in _left_about_no_child(found):
            found.rows.setdefault(model, set()).update(pks)
            frontier.append((model, pks))
    _refuse_another_childs_rows(found)
    return found


def _refuse_another_childs_rows(found: ChildRecordRows) -> None:
    Child = apps.get_model("people", "Child")
    for model, pks in found.rows.items():
        for model_field in model._meta.concrete_fields:
            if model_field.is_relation and model_field.related_model is Child and model is not Child:
                others = (
                    model._base_manager.filter(pk__in=pks)
                    .exclude(**{f"{model_field.attname}__isnull": True})
                    .exclude(**{model_field.attname: found.child_id})
                )
                if others.exists():
                    raise ValidationError(
                        f"This child's record shares {model._meta.verbose_name_plural} with another "
                        "child's record, so it cannot be erased on its own. Ask the system "
                        "administrator to separate the records first."
                    )


def _history_rows(found: ChildRecordRows) -> dict[type[models.Model], set[int]]:
    """For each model with history, the primary keys whose history goes: the rows erased, and
    records deleted before that pointed at one of them (found again until nothing is new)."""
    ids = {model: set(pks) for model, pks in found.rows.items()}
    with_history = [model for model in apps.get_models() if getattr(model, "history", None) is not None]
    changed = True
    while changed:
        changed = False
        for model in with_history:
            history = model.history.model
            pk_name = model._meta.pk.attname
            for model_field in model._meta.concrete_fields:
                if not model_field.is_relation or model_field.related_model not in ids:
                    continue
                if model_field.remote_field.on_delete is models.SET_NULL:
                    continue
                seen = set(
                    history.objects.filter(
                        **{f"{model_field.attname}__in": ids[model_field.related_model]}
                    ).values_list(pk_name, flat=True)
                )
                new = seen - ids.get(model, set())
                # A record still there and not erased keeps its history (it was moved since).
                new -= set(model._base_manager.filter(pk__in=new).values_list("pk", flat=True))
                if new:
                    ids.setdefault(model, set()).update(new)
                    changed = True
    return {model: pks for model, pks in ids.items() if getattr(model, "history", None) is not None}


def child_record_erase(found: ChildRecordRows) -> dict[str, int]:
    """Erase the rows ``found`` (inside the caller's transaction); what went, by kind.

    Rows are deleted table by table with no signals, so that django-simple-history writes no
    "deleted" row to keep what is being erased, and no order is needed: PostgreSQL checks the
    foreign keys (deferred, as Django makes them) when the transaction commits."""
    for (model, foreign_key), pks in found.cleared.items():
        model._base_manager.filter(**{f"{foreign_key.attname}__in": pks}).exclude(
            pk__in=found.rows.get(model, set())
        ).update(**{foreign_key.name: None})
    history_rows = _history_rows(found)
    counts = found.counts()
    for model, pks in found.rows.items():
        # _raw_delete: one DELETE, without the collector's signals and on_delete checks.
        model._base_manager.filter(pk__in=pks)._raw_delete(model._base_manager.db)
    history_count = 0
    for model, pks in history_rows.items():
        history = model.history.model
        rows = history.objects.filter(**{f"{model._meta.pk.attname}__in": pks})
        # History rows have no history of their own: the ordinary delete writes nothing more.
        history_count += rows.delete()[0]
    counts["History rows"] = history_count
    counts["Access log rows"] = access_log_erase_child(child_id=found.child_id)
    return counts
