"""The cached due dates of periods of care and their reviews: the refresh of one period
(after every change to a dated fact) and the nightly sweep over all of them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Q

from iro_service.timescales.dates import extra_non_working_days
from iro_service.timescales.selectors import timescale_settings
from reviews.due_dates import period_due_dates
from reviews.models import PeriodOfCare
from reviews.services._common import _period_due_dates_write


@transaction.atomic
def period_due_dates_refresh(
    *, period: PeriodOfCare, settings=None, extra: Iterable[date] | None = None
) -> None:
    """Work out again, from the facts, every cached date of one period of care: whether it is
    short breaks only, each review's sequence number and due dates, and the next review's due
    date. The only writer of those columns; safe to run any number of times."""
    settings = settings or timescale_settings()
    extra = frozenset(extra_non_working_days() if extra is None else extra)
    period = PeriodOfCare.objects.select_for_update().get(pk=period.pk)
    reviews = list(period.reviews.order_by("review_date"))
    dues = period_due_dates(
        period_start=period.start_date,
        period_open=period.end_date is None,
        legal_statuses=period.episodes.values_list("legal_status", flat=True),
        review_dates=[review.review_date for review in reviews],
        settings=settings,
        extra=extra,
    )
    _period_due_dates_write(period=period, reviews=reviews, dues=dues)


def due_dates_refresh_all() -> int:
    """The nightly sweep: refresh every open period of care and every period with a record
    still to distribute (a non-working day added since may have moved their dates)."""
    settings = timescale_settings()
    extra = extra_non_working_days()
    periods = PeriodOfCare.objects.filter(
        Q(end_date__isnull=True) | Q(reviews__record_distributed__isnull=True)
    ).distinct()
    count = 0
    for period in periods.iterator():
        period_due_dates_refresh(period=period, settings=settings, extra=extra)
        count += 1
    return count
