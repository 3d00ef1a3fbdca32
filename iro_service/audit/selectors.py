"""Reads of the access log and of record history: a child's access history, a member of
staff's, and the unusual access report a manager reviews (views of children off the viewer's
caseload and team, views outside working hours, bulk disclosures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays
from django.apps import apps
from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone

from iro_service.audit.models import AccessLog, DataExchange
from iro_service.core.restriction import restrict

if TYPE_CHECKING:  # the access log sits below the people app: no import at run time
    from iro_service.people.models import Child


def access_log_for_child(*, child: Child) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(child=child).select_related("user").order_by("-viewed_at")


def access_log_list(*, user) -> QuerySet[AccessLog]:
    """The access log, newest first, without the views of children hidden from ``user``: the
    log of a restricted child is for the staff named on the restriction."""
    return restrict(AccessLog.objects.select_related("user", "child"), user).order_by("-viewed_at")


def data_exchange_list() -> QuerySet[DataExchange]:
    return DataExchange.objects.select_related("user").order_by("-started_at")


# --- unusual access ---------------------------------------------------------------------------


class Unusual:
    """The kinds of unusual access the report lists, as the staff access history filters them."""

    OFF_CASELOAD = "caseload"
    OUT_OF_HOURS = "hours"
    BULK = "bulk"
    CHOICES = [
        (OFF_CASELOAD, "Children not on their caseload or team"),
        (OUT_OF_HOURS, "Outside working hours"),
        (BULK, "Exports and downloads of many children"),
    ]


@lru_cache(maxsize=64)
def _bank_holidays(first_year: int, last_year: int) -> tuple[date, ...]:
    # The holidays package directly, as the timescales module does (that module is a sibling
    # layer the access log may not import): England's bank holidays, subdiv="ENG" for Easter
    # Monday and the August bank holiday.
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return tuple(sorted(days))


def outside_working_hours(*, years: tuple[int, int]) -> Q:
    """A view outside working hours: on a Saturday or Sunday, on a bank holiday of ``years``
    (first, last), or before ``AUDIT_WORKING_DAY_STARTS`` or from ``AUDIT_WORKING_DAY_ENDS``
    o'clock, local time. Reads the annotations of ``_with_local_time``."""
    return (
        Q(_weekday__gte=6)
        | Q(_hour__lt=settings.AUDIT_WORKING_DAY_STARTS)
        | Q(_hour__gte=settings.AUDIT_WORKING_DAY_ENDS)
        | Q(_day__in=_bank_holidays(*years))
    )


def _with_local_time(entries: QuerySet[AccessLog]) -> QuerySet[AccessLog]:
    # Local (Europe/London) time: a view at 07:30 in summer is 06:30 UTC, and working hours are
    # the office's, not UTC's.
    zone = timezone.get_current_timezone()
    return entries.annotate(
        _weekday=ExtractIsoWeekDay("viewed_at", tzinfo=zone),
        _hour=ExtractHour("viewed_at", tzinfo=zone),
        _day=TruncDate("viewed_at", tzinfo=zone),
    )


def on_viewers_caseload_or_team() -> Exists:
    """True when, on the day of the view, the child's IRO was the viewer or in the viewer's
    team. Read through the app registry: the people app sits above the access log."""
    allocation = apps.get_model("people", "IroAllocation")
    viewed_on = OuterRef("_day")
    return Exists(
        allocation.objects.filter(child_id=OuterRef("child_id"), start_date__lte=viewed_on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=viewed_on))
        .filter(Q(iro__user_id=OuterRef("user_id")) | Q(iro__team_id=OuterRef("user__staff_member__team_id")))
    )


def _years(start: date | None, end: date | None) -> tuple[int, int]:
    today = timezone.localdate()
    return ((start or date(2000, 1, 1)).year, (end or today).year)


def _in_period(entries: QuerySet[AccessLog], start: date | None, end: date | None) -> QuerySet[AccessLog]:
    zone = timezone.get_current_timezone()
    if start is not None:
        entries = entries.filter(viewed_at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end is not None:
        entries = entries.filter(
            viewed_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
        )
    return entries


def _with_flags(entries: QuerySet[AccessLog], years: tuple[int, int]) -> QuerySet[AccessLog]:
    """Each entry with ``on_caseload`` and ``out_of_hours``."""
    return _with_local_time(entries).annotate(
        on_caseload=on_viewers_caseload_or_team(),
        out_of_hours=ExpressionWrapper(outside_working_hours(years=years), output_field=BooleanField()),
    )


def _bulk_batches(entries: QuerySet[AccessLog]) -> QuerySet:
    return (
        entries.filter(batch__isnull=False)
        .values("batch")
        .annotate(children=Count("child_id", distinct=True))
        .filter(children__gte=settings.AUDIT_BULK_EXPORT_CHILDREN)
        .values("batch")
    )


def _unusual(entries: QuerySet[AccessLog], kind: str, years: tuple[int, int]) -> QuerySet[AccessLog]:
    if kind == Unusual.OFF_CASELOAD:
        # Single record views only: a list page or an export shows many children at once and
        # is judged by its size (bulk), not child by child.
        return entries.filter(batch__isnull=True, on_caseload=False)
    if kind == Unusual.OUT_OF_HOURS:
        return entries.filter(out_of_hours=True)
    if kind == Unusual.BULK:
        return entries.filter(batch__in=_bulk_batches(AccessLog.objects.all()))
    return entries


def access_history_for_child(
    *, child: Child, start: date | None = None, end: date | None = None, unusual: str = ""
) -> QuerySet[AccessLog]:
    """Every view of ``child``'s record, newest first, with who looked, from which page or
    endpoint, and whether the view was unusual (``on_caseload``, ``out_of_hours``)."""
    years = _years(start, end)
    entries = _with_flags(_in_period(AccessLog.objects.filter(child=child), start, end), years)
    return _unusual(entries, unusual, years).select_related("user").order_by("-viewed_at", "-pk")


def access_history_for_user(
    *, user, reader=None, start: date | None = None, end: date | None = None, unusual: str = ""
) -> QuerySet[AccessLog]:
    """Every view ``user`` made of a child's record, newest first, flagged as above. With
    ``reader`` (the manager reading it), the views of children hidden from the reader are left
    out: the history names each child by their child ID, and a restricted child's views are
    for the staff the restriction names, as on the access log."""
    years = _years(start, end)
    entries = AccessLog.objects.filter(user=user)
    if reader is not None:
        entries = restrict(entries, reader)
    entries = _with_flags(_in_period(entries, start, end), years)
    return _unusual(entries, unusual, years).select_related("child").order_by("-viewed_at", "-pk")


@dataclass(frozen=True)
class UnusualAccessReport:
    """The three parts of the unusual access report for a period, each a list of dicts."""

    start: date
    end: date
    off_caseload: list[dict]
    out_of_hours: list[dict]
    bulk: list[dict]


def _with_names(rows: list[dict]) -> list[dict]:
    for row in rows:
        row["full_name"] = f"{row['user__first_name']} {row['user__last_name']}".strip()
    return rows


def _by_viewer(entries: QuerySet[AccessLog]) -> list[dict]:
    return _with_names(
        list(
            entries.values("user_id", "user__username", "user__first_name", "user__last_name")
            .annotate(
                views=Count("id"),
                children=Count("child_id", distinct=True),
                first=Min("viewed_at"),
                last=Max("viewed_at"),
            )
            .order_by("-views", "user__last_name", "user__username")
        )
    )


def unusual_access_report(*, start: date, end: date) -> UnusualAccessReport:
    """The unusual access report, as councils running Mosaic review it, for ``start`` to
    ``end`` inclusive: per viewer, the views of children not on their caseload or team and the
    views outside working hours; and each export, download or API page that disclosed
    ``AUDIT_BULK_EXPORT_CHILDREN`` children or more. Three queries, whatever the size."""
    years = _years(start, end)
    entries = _with_flags(_in_period(AccessLog.objects.all(), start, end), years)
    bulk = list(
        _in_period(AccessLog.objects.filter(batch__isnull=False), start, end)
        .values(
            "batch", "user_id", "user__username", "user__first_name", "user__last_name", "what", "channel"
        )
        .annotate(children=Count("child_id", distinct=True), at=Min("viewed_at"))
        .filter(children__gte=settings.AUDIT_BULK_EXPORT_CHILDREN)
        .order_by("-at")
    )
    channels = dict(AccessLog._meta.get_field("channel").choices)
    for row in bulk:
        row["channel_label"] = channels.get(row["channel"], row["channel"])
    _with_names(bulk)
    return UnusualAccessReport(
        start=start,
        end=end,
        off_caseload=_by_viewer(_unusual(entries, Unusual.OFF_CASELOAD, years)),
        out_of_hours=_by_viewer(_unusual(entries, Unusual.OUT_OF_HOURS, years)),
        bulk=bulk,
    )
