"""Factories for the reviews app. Periods of care and reviews are made through the services,
so that their episodes and cached due dates are exactly what the application would write."""

from datetime import date

from reviews import services
from reviews.models import PeriodOfCare
from tests.factories import ChildFactory


def period_of_care(
    *,
    child=None,
    start_date: date = date(2016, 4, 4),
    legal_status: str = "C2",
    category_of_need: str = "N1",
    placement: str = "U6",
    **fields,
) -> PeriodOfCare:
    """A child in care from ``start_date`` with one episode (RNE S)."""
    return services.period_of_care_start(
        child=child or ChildFactory(),
        start_date=start_date,
        legal_status=legal_status,
        category_of_need=category_of_need,
        placement=placement,
        placement_provider=fields.pop("placement_provider", "PR1"),
        **fields,
    )


def review(*, child, parts, chair=None, participation_code="", **fields):
    """A review held on ``parts`` (a date or a list of dates, part 1 first)."""
    if isinstance(parts, date):
        parts = [parts]
    fields.setdefault("late_reason", "Held late (test)")
    return services.lac_review_record(
        child=child,
        parts=[services.PartInput(date=day) for day in parts],
        chair=chair,
        participation_code=participation_code,
        **fields,
    )
