"""Writes of the retention schedule: the nightly prune of operational records, and the
disposal of one child's whole record, which only a manager starts."""

from __future__ import annotations

import logging
import secrets
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consultations.services import consultations_unanswered_prune
from iro_service.audit.services import access_log_prune, api_tokens_prune
from iro_service.people.models import Child
from iro_service.signin.services import sign_in_records_prune
from retention.erasure import child_record_erase, child_record_rows
from retention.models import DisposalRecord
from retention.schedule import Disposal, is_due, operational_cutoffs
from retention.selectors import child_disposal_of

logger = logging.getLogger(__name__)


def operational_records_prune(*, now: datetime | None = None) -> dict[str, int]:
    """Delete every operational record past its period (``retention/schedule.py``): sign-in
    attempts, the records of ended sessions, expired or revoked API tokens, consultation links
    that ended unanswered, and the access log's oldest rows. What went, by kind, also logged.
    Running it again at once removes nothing more."""
    now = now or timezone.now()
    cutoffs = operational_cutoffs(now=now)
    counts = sign_in_records_prune(
        attempts_before=cutoffs.sign_in_attempts, sessions_before=cutoffs.ended_sessions
    )
    counts["API tokens"] = api_tokens_prune(before=cutoffs.api_tokens)
    counts["consultation links"] = consultations_unanswered_prune(before=cutoffs.consultation_links)
    counts["access log rows"] = access_log_prune(before=cutoffs.access_log)
    logger.info(
        "Retention: pruned %s", ", ".join(f"{count} {kind}" for kind, count in counts.items()) or "nothing"
    )
    return counts


def disposal_refusal(disposal: Disposal, *, today: date) -> str | None:
    """Why a child's record may not be disposed of yet, in words; None once it is due."""
    if is_due(disposal, today=today):
        return None
    if disposal.on is None:
        return (
            "This child's record is not due for disposal: a period of care or a child protection "
            "plan is still open. Nothing has been erased."
        )
    return (
        f"This child's record is not due for disposal until {disposal.on:%-d %B %Y}. Nothing has been erased."
    )


def child_record_dispose(*, child_id: int, user, today: date | None = None) -> DisposalRecord:
    """Erase the whole record of the child ``child_id``, whose retention period has passed, and
    enter the disposal in the register (which holds nothing personal). One transaction: the
    child is locked, checked due again, erased with every record of theirs, their history and
    access log (``retention/erasure.py``), and the entry written; or nothing changes.

    A child not yet due is refused with a ``ValidationError`` saying when the record is due."""
    today = today or timezone.localdate()
    with transaction.atomic():
        child = Child.objects.select_for_update().filter(pk=child_id).first()
        if child is None:
            raise ValidationError("This child's record has already been disposed of.")
        disposal = child_disposal_of(child=child)
        refusal = disposal_refusal(disposal, today=today)
        if refusal:
            raise ValidationError(refusal)
        found = child_record_rows(child=child)
        counts = child_record_erase(found)
        entry = DisposalRecord(
            reference=f"D-{secrets.token_hex(4).upper()}",
            rule=disposal.rule,
            due_year=disposal.on.year,
            authorised_by=user,
            counts=counts,
        )
        entry.full_clean()
        entry.save()
    logger.info("Retention: child's record disposed of as %s by %s", entry.reference, user)
    return entry
