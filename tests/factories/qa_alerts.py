"""Builders for the qa_alerts app. Alerts are raised through the service, so that their context,
stages, due dates and transitions are exactly what the application would write."""

from __future__ import annotations

from datetime import date

from iro_service.people.codes import TeamKind
from qa_alerts import services
from qa_alerts.models import ConcernCategory
from tests.factories import ChildFactory, StaffMemberFactory, TeamFactory
from tests.factories.reviews import period_of_care


def category(code: str) -> ConcernCategory:
    return ConcernCategory.objects.get(code=code)


def child_in_care(*, since: date = date(2016, 4, 4), **fields):
    child = ChildFactory(**fields)
    period_of_care(child=child, start_date=since)
    return child


def raise_alert(
    *,
    child=None,
    iro=None,
    raised_on: date = date(2016, 10, 3),
    kind: str = "concern",
    categories=("drift_delay",),
    team=None,
    **fields,
):
    """A concern (by default) about a child in care since April 2016, to Pat Practitioner in a
    locality team, copied to Tess Manager."""
    child = child or child_in_care()
    return services.alert_raise(
        raised_by=iro or StaffMemberFactory(),
        children=fields.pop("children", [child]),
        kind=kind,
        categories=[category(code) for code in categories] if kind == "concern" else [],
        description=fields.pop("description", "The care plan has not been updated since the last review."),
        practitioner_name=fields.pop("practitioner_name", "Pat Practitioner"),
        practitioner_email=fields.pop("practitioner_email", "pat@example.invalid"),
        team=team or TeamFactory(name="Locality Team East", kind=TeamKind.SOCIAL_WORK),
        team_manager_name=fields.pop("team_manager_name", "Tess Manager"),
        team_manager_email=fields.pop("team_manager_email", "tess@example.invalid"),
        raised_on=raised_on,
        **fields,
    )
