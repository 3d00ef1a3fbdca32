"""Django admin registrations for the conferences app (for the system administrator; staff use
the pages, which go through the services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conferences.models import (
    AgencyInvitation,
    Appeal,
    ChildProtectionPlan,
    CinEpisode,
    Conference,
    ConferenceChild,
    Section47Enquiry,
    StrategyDiscussion,
)


class ConferenceChildInline(admin.TabularInline):
    model = ConferenceChild
    extra = 0
    raw_id_fields = ["child"]


class AgencyInvitationInline(admin.TabularInline):
    model = AgencyInvitation
    extra = 0


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    list_display = [
        "date",
        "conference_type",
        "family",
        "chair",
        "status",
        "due_date",
        "record_distributed_on",
    ]

    list_filter = ["conference_type", "status"]
    search_fields = ["family__name", "family__reference"]
    raw_id_fields = ["family", "strategy_discussion", "rearranged_as"]
    readonly_fields = ["due_date", "parent_report_due", "chair_report_due", "record_due"]
    inlines = [ConferenceChildInline, AgencyInvitationInline]


@admin.register(StrategyDiscussion)
class StrategyDiscussionAdmin(SimpleHistoryAdmin):
    list_display = ["date", "family"]
    raw_id_fields = ["family"]


@admin.register(Section47Enquiry)
class Section47EnquiryAdmin(SimpleHistoryAdmin):
    list_display = ["start_date", "child", "strategy_discussion"]
    raw_id_fields = ["child", "strategy_discussion"]


@admin.register(ChildProtectionPlan)
class ChildProtectionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["child", "start_date", "end_date", "end_reason"]
    search_fields = ["child__local_child_id", "child__last_name"]
    raw_id_fields = ["child", "start_conference", "end_conference"]


@admin.register(Appeal)
class AppealAdmin(SimpleHistoryAdmin):
    list_display = ["received_on", "appellant", "conference", "stage", "outcome", "response_sent_on"]
    list_filter = ["appellant", "outcome", "stage"]
    raw_id_fields = ["conference", "child"]


@admin.register(CinEpisode)
class CinEpisodeAdmin(SimpleHistoryAdmin):
    list_display = ["child", "referral_date", "referral_source", "closure_date", "closure_reason"]
    list_filter = ["referral_source", "closure_reason"]
    search_fields = ["child__local_child_id", "child__last_name"]
    raw_id_fields = ["child"]
