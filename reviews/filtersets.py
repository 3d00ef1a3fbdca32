"""django-filter FilterSets for the reviews app's lists and API."""

import django_filters

from reviews.codes import ContactKind, MeetingStatus, PermanencePlanType
from reviews.models import (
    CafcassInvolvement,
    Episode,
    IroContact,
    LacReview,
    LegalAdviceReferral,
    PeriodOfCare,
    PermanencePlan,
    ReviewMeeting,
)


class PeriodOfCareFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="child_id", label="Child (id)")
    is_open = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label="Still in care")
    started_on_or_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    started_on_or_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    review_due_on_or_before = django_filters.DateFilter(field_name="next_review_due", lookup_expr="lte")

    class Meta:
        model = PeriodOfCare
        fields = ["child", "is_short_breaks"]


class EpisodeFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="period__child_id", label="Child (id)")
    period = django_filters.NumberFilter(field_name="period_id", label="Period of care (id)")
    legal_status = django_filters.CharFilter(lookup_expr="iexact")
    placement = django_filters.CharFilter(lookup_expr="iexact")
    started_on_or_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    started_on_or_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Episode
        fields = ["child", "period", "legal_status", "placement"]


class LacReviewFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="child_id", label="Child (id)")
    period = django_filters.NumberFilter(field_name="period_id", label="Period of care (id)")
    chair = django_filters.NumberFilter(field_name="chair_id", label="Chair (staff id)")
    team = django_filters.NumberFilter(field_name="chair__team_id", label="Chair's team (id)")
    held_on_or_after = django_filters.DateFilter(field_name="review_date", lookup_expr="gte")
    held_on_or_before = django_filters.DateFilter(field_name="review_date", lookup_expr="lte")
    record_completed = django_filters.BooleanFilter(
        field_name="record_completed", lookup_expr="isnull", exclude=True, label="Record completed"
    )
    record_distributed = django_filters.BooleanFilter(
        field_name="record_distributed", lookup_expr="isnull", exclude=True, label="Record distributed"
    )

    class Meta:
        model = LacReview
        fields = ["child", "period", "chair", "participation_code"]


class ReviewMeetingFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="period__child_id", label="Child (id)")
    period = django_filters.NumberFilter(field_name="period_id", label="Period of care (id)")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    on_or_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    on_or_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = ReviewMeeting
        fields = ["child", "period", "status"]


class IroContactFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="child_id", label="Child (id)")
    iro = django_filters.NumberFilter(field_name="iro_id", label="IRO (staff id)")
    kind = django_filters.ChoiceFilter(choices=ContactKind.choices)
    on_or_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    on_or_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = IroContact
        fields = ["child", "iro", "kind"]


class PermanencePlanFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="period__child_id", label="Child (id)")
    period = django_filters.NumberFilter(field_name="period_id", label="Period of care (id)")
    plan_type = django_filters.ChoiceFilter(choices=PermanencePlanType.choices)
    agreed_on_or_after = django_filters.DateFilter(field_name="date_agreed", lookup_expr="gte")
    agreed_on_or_before = django_filters.DateFilter(field_name="date_agreed", lookup_expr="lte")

    class Meta:
        model = PermanencePlan
        fields = ["child", "period", "plan_type"]


class CafcassInvolvementFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="child_id", label="Child (id)")
    is_open = django_filters.BooleanFilter(
        field_name="end_date", lookup_expr="isnull", label="Proceedings not yet ended"
    )
    handed_over = django_filters.BooleanFilter(
        field_name="handover_date", lookup_expr="isnull", exclude=True, label="Handed over to the IRO"
    )
    started_on_or_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    started_on_or_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = CafcassInvolvement
        fields = ["child"]


class LegalAdviceReferralFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="child_id", label="Child (id)")
    referred_on_or_after = django_filters.DateFilter(field_name="date_referred", lookup_expr="gte")
    referred_on_or_before = django_filters.DateFilter(field_name="date_referred", lookup_expr="lte")

    class Meta:
        model = LegalAdviceReferral
        fields = ["child"]
