"""django-filter FilterSets for the conferences app's lists and API."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from conferences.models import (
    AbuseCategory,
    Agency,
    AgencyInvitation,
    Appeal,
    AppealOutcome,
    Appellant,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    Section47Enquiry,
    StrategyDiscussion,
)


class ConferenceFilterSet(django_filters.FilterSet):
    family = django_filters.NumberFilter(field_name="family_id", label="Family (id)")
    chair = django_filters.NumberFilter(field_name="chair_id", label="Chair (staff id)")
    team = django_filters.NumberFilter(field_name="chair__team_id", label="Chair's team (id)")
    status = django_filters.ChoiceFilter(choices=ConferenceStatus.choices)
    conference_type = django_filters.ChoiceFilter(choices=ConferenceType.choices)
    on_or_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    on_or_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    child = django_filters.NumberFilter(method="filter_child", label="A child considered (id)")

    class Meta:
        model = Conference
        fields = ["family", "chair", "status", "conference_type"]

    def filter_child(self, queryset, name, value):
        # EXISTS rather than a join: a conference must not come back once per child.
        return queryset.filter(
            Exists(ConferenceChild.objects.filter(conference=OuterRef("pk"), child_id=value))
        )


class ChildProtectionPlanFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="child_id", label="Child (id)")
    is_open = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label="Not yet ended")
    open_on = django_filters.DateFilter(method="filter_open_on", label="On a plan at the end of this date")
    started_on_or_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    started_on_or_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    category = django_filters.ChoiceFilter(
        choices=AbuseCategory.choices, method="filter_category", label="Category of abuse"
    )

    class Meta:
        model = ChildProtectionPlan
        fields = ["child"]

    def filter_open_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value).filter(Q(end_date__isnull=True) | Q(end_date__gt=value))

    def filter_category(self, queryset, name, value):
        return queryset.filter(categories__contains=[value])


class StrategyDiscussionFilterSet(django_filters.FilterSet):
    family = django_filters.NumberFilter(field_name="family_id", label="Family (id)")
    on_or_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    on_or_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    child = django_filters.NumberFilter(method="filter_child", label="A child with a section 47 enquiry (id)")

    class Meta:
        model = StrategyDiscussion
        fields = ["family"]

    def filter_child(self, queryset, name, value):
        # EXISTS rather than a join: a discussion must not come back once per child.
        return queryset.filter(
            Exists(Section47Enquiry.objects.filter(strategy_discussion=OuterRef("pk"), child_id=value))
        )


class Section47EnquiryFilterSet(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="child_id", label="Child (id)")
    family = django_filters.NumberFilter(field_name="strategy_discussion__family_id", label="Family (id)")
    strategy_discussion = django_filters.NumberFilter(
        field_name="strategy_discussion_id", label="Strategy discussion (id)"
    )
    started_on_or_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    started_on_or_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Section47Enquiry
        fields = ["child", "family", "strategy_discussion"]


class AgencyInvitationFilterSet(django_filters.FilterSet):
    conference = django_filters.NumberFilter(field_name="conference_id", label="Conference (id)")
    family = django_filters.NumberFilter(field_name="conference__family_id", label="Family (id)")
    agency = django_filters.ChoiceFilter(choices=Agency.choices)
    conference_on_or_after = django_filters.DateFilter(field_name="conference__date", lookup_expr="gte")
    conference_on_or_before = django_filters.DateFilter(field_name="conference__date", lookup_expr="lte")
    child = django_filters.NumberFilter(method="filter_child", label="A child considered (id)")

    class Meta:
        model = AgencyInvitation
        fields = ["conference", "family", "agency", "invited", "attended", "report_submitted"]

    def filter_child(self, queryset, name, value):
        return queryset.filter(
            Exists(ConferenceChild.objects.filter(conference=OuterRef("conference_id"), child_id=value))
        )


class AppealFilterSet(django_filters.FilterSet):
    conference = django_filters.NumberFilter(field_name="conference_id", label="Conference (id)")
    family = django_filters.NumberFilter(field_name="conference__family_id", label="Family (id)")
    child = django_filters.NumberFilter(field_name="child_id", label="Child (id)")
    appellant = django_filters.ChoiceFilter(choices=Appellant.choices)
    outcome = django_filters.ChoiceFilter(choices=AppealOutcome.choices)
    stage = django_filters.NumberFilter()
    received_on_or_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_on_or_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Appeal
        fields = ["conference", "family", "child", "appellant", "outcome", "stage"]
