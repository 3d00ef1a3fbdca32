"""Review records: business support marks the records of reviews distributed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from iro_service.core.formats import long_date
from reviews.models import LacReview


@transaction.atomic
def review_records_distribute(*, review_ids: Iterable[int], distributed_on: date) -> int:
    """Business support marks the records of the chosen reviews distributed on one date. All or
    nothing: if any record cannot take that date, none is changed and the message says which."""
    ids = sorted(set(review_ids))
    if not ids:
        raise ValidationError({"reviews": "Select at least one record to mark as distributed."})
    if distributed_on > timezone.localdate():
        raise ValidationError(
            {"distributed_on": "The date the records were distributed must be today or earlier."}
        )
    reviews = list(
        LacReview.objects.select_for_update().select_related("child").filter(pk__in=ids).order_by("pk")
    )
    problems = []
    for review in reviews:
        if review.record_distributed is not None:
            problems.append(
                f"{review.child.full_name}'s record was already distributed on "
                f"{long_date(review.record_distributed)}"
            )
        elif review.record_completed is None:
            problems.append(f"{review.child.full_name}'s record has not been completed")
        elif distributed_on < review.record_completed:
            problems.append(
                f"{review.child.full_name}'s record was completed on {long_date(review.record_completed)}, "
                "after that date"
            )
    if len(reviews) != len(ids):
        problems.append("one of the records no longer exists")
    if problems:
        raise ValidationError({"distributed_on": "Nothing was changed: " + "; ".join(problems) + "."})
    now = timezone.now()
    for review in reviews:
        review.record_distributed = distributed_on
        review.updated_at = now
    bulk_update_with_history(reviews, LacReview, ["record_distributed", "updated_at"])
    return len(reviews)
