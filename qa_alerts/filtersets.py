"""django-filter FilterSets for the qa_alerts app's lists and API."""

import django_filters
from django.db.models import Exists, OuterRef

from qa_alerts.models import (
    AlertChild,
    AlertContext,
    AlertKind,
    AlertResponse,
    AlertStatus,
    AlertTransition,
    ChallengeAction,
    ChallengeMeeting,
    QaAlert,
    TransitionKind,
)


class QaAlertFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(method="filter_child", label="A child the alert is about (id)")
    iro = django_filters.NumberFilter(field_name="raised_by_id", label="The IRO who raised it (staff id)")
    team = django_filters.NumberFilter(field_name="team_id", label="The team it was addressed to (id)")
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices)
    context = django_filters.ChoiceFilter(choices=AlertContext.choices)
    kind = django_filters.ChoiceFilter(choices=AlertKind.choices)
    stage = django_filters.NumberFilter(field_name="stage")
    raised_on_or_after = django_filters.DateFilter(field_name="raised_on", lookup_expr="gte")
    raised_on_or_before = django_filters.DateFilter(field_name="raised_on", lookup_expr="lte")

    class Meta:
        model = QaAlert
        fields = ["status", "context", "kind", "stage"]

    def filter_child(self, queryset, name, value):
        # EXISTS rather than a join: an alert must not come back once per child.
        return queryset.filter(Exists(AlertChild.objects.filter(alert=OuterRef("pk"), child_id=value)))


class AlertResponseFilterSet(django_filters.FilterSet):
    alert = django_filters.NumberFilter(field_name="alert_id", label="Alert (id)")
    awaiting_judgement = django_filters.BooleanFilter(
        field_name="satisfactory", lookup_expr="isnull", label="Sent through the link, not yet judged"
    )

    class Meta:
        model = AlertResponse
        fields = ["alert"]


class AlertTransitionFilterSet(django_filters.FilterSet):
    alert = django_filters.NumberFilter(field_name="alert_id", label="Alert (id)")
    kind = django_filters.ChoiceFilter(choices=TransitionKind.choices)
    on_or_after = django_filters.DateFilter(field_name="on", lookup_expr="gte")
    on_or_before = django_filters.DateFilter(field_name="on", lookup_expr="lte")

    class Meta:
        model = AlertTransition
        fields = ["alert", "kind"]


class ChallengeMeetingFilterSet(django_filters.FilterSet):
    held_on_or_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_on_or_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = ChallengeMeeting
        fields = []


class ChallengeActionFilterSet(django_filters.FilterSet):
    meeting = django_filters.NumberFilter(field_name="meeting_id", label="Challenge meeting (id)")
    is_open = django_filters.BooleanFilter(
        field_name="completed_on", lookup_expr="isnull", label="Not yet completed"
    )

    class Meta:
        model = ChallengeAction
        fields = ["meeting"]
