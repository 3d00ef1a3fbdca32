"""django-filter FilterSets for the hsb app's lists and API."""

import django_filters

from hsb.codes import AssessmentTool, BrookRating, Course, ReferralOutcome
from hsb.models import HsbAssessment, HsbMeeting, HsbReferral, HsbTrainingRecord


class HsbReferralFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="child_id", label="Child (id)")
    rating = django_filters.ChoiceFilter(choices=BrookRating.choices)
    outcome = django_filters.ChoiceFilter(choices=ReferralOutcome.choices)
    decided = django_filters.BooleanFilter(
        field_name="decided_on", lookup_expr="isnull", exclude=True, label="Threshold decision made"
    )
    received_on_or_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_on_or_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = HsbReferral
        fields = ["child", "rating", "outcome"]


class HsbMeetingFilterSet(django_filters.FilterSet):
    referral = django_filters.NumberFilter(field_name="referral_id", label="Referral (id)")
    chair = django_filters.NumberFilter(field_name="chair_id", label="Chair (staff id)")
    on_or_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    on_or_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    record_distributed = django_filters.BooleanFilter(
        field_name="record_distributed_on", lookup_expr="isnull", exclude=True, label="Record distributed"
    )

    class Meta:
        model = HsbMeeting
        fields = ["referral", "chair"]


class HsbAssessmentFilterSet(django_filters.FilterSet):
    referral = django_filters.NumberFilter(field_name="referral_id", label="Referral (id)")
    tool = django_filters.ChoiceFilter(choices=AssessmentTool.choices)

    class Meta:
        model = HsbAssessment
        fields = ["referral", "tool"]


class HsbTrainingRecordFilterSet(django_filters.FilterSet):
    staff = django_filters.NumberFilter(field_name="staff_id", label="Member of staff (id)")
    course = django_filters.ChoiceFilter(choices=Course.choices)
    completed_on_or_after = django_filters.DateFilter(field_name="completed_on", lookup_expr="gte")

    class Meta:
        model = HsbTrainingRecord
        fields = ["staff", "course"]
