"""Django admin registrations for the hsb app (for the system administrator; staff use the
pages, which go through the services and their rules)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hsb.models import (
    HsbAssessment,
    HsbMeeting,
    HsbReferral,
    HsbTrainingRecord,
    OutsidePractitioner,
    PlannedCourse,
)


class HsbMeetingInline(admin.TabularInline):
    model = HsbMeeting
    extra = 0
    fields = ["date", "chair", "record_produced_on", "record_distributed_on"]
    readonly_fields = fields


@admin.register(HsbReferral)
class HsbReferralAdmin(SimpleHistoryAdmin):
    list_display = ["received_on", "child", "rating", "decided_on", "outcome"]
    list_filter = ["rating", "outcome"]
    raw_id_fields = ["child", "period_of_care", "cp_plan", "decided_by"]
    inlines = [HsbMeetingInline]


@admin.register(HsbMeeting)
class HsbMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "referral", "chair", "record_distributed_due", "record_distributed_on"]
    raw_id_fields = ["referral", "chair"]


@admin.register(HsbAssessment)
class HsbAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["date", "tool", "referral", "outcome"]
    raw_id_fields = ["referral", "assessor_staff", "assessor_practitioner"]


@admin.register(HsbTrainingRecord)
class HsbTrainingRecordAdmin(SimpleHistoryAdmin):
    list_display = ["completed_on", "course", "staff", "practitioner"]
    list_filter = ["course"]
    raw_id_fields = ["staff", "practitioner"]


admin.site.register(OutsidePractitioner, SimpleHistoryAdmin)
admin.site.register(PlannedCourse, SimpleHistoryAdmin)
