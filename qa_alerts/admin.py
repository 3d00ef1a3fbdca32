"""Django admin registrations for the qa_alerts app (for the system administrator; staff use the
pages, which go through the services and keep every transition)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qa_alerts.models import (
    AlertChild,
    AlertConcern,
    AlertResponse,
    AlertStage,
    AlertTransition,
    ChallengeAction,
    ChallengeMeeting,
    ChallengeTheme,
    ConcernCategory,
    QaAlert,
)


class AlertChildInline(admin.TabularInline):
    model = AlertChild
    extra = 0
    raw_id_fields = ["child"]


class AlertConcernInline(admin.TabularInline):
    model = AlertConcern
    extra = 0


class AlertStageInline(admin.TabularInline):
    model = AlertStage
    extra = 0


class AlertResponseInline(admin.TabularInline):
    model = AlertResponse
    extra = 0


class AlertTransitionInline(admin.TabularInline):
    model = AlertTransition
    extra = 0
    readonly_fields = ["kind", "from_stage", "to_stage", "on", "reason", "by", "at"]


@admin.register(QaAlert)
class QaAlertAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "raised_on", "kind", "context", "raised_by", "team", "status", "stage"]
    list_filter = ["kind", "context", "status", "stage"]
    raw_id_fields = ["raised_by", "review", "conference", "family"]
    inlines = [
        AlertChildInline,
        AlertConcernInline,
        AlertStageInline,
        AlertResponseInline,
        AlertTransitionInline,
    ]


@admin.register(ConcernCategory)
class ConcernCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "context", "is_active", "position"]


@admin.register(ChallengeTheme)
class ChallengeThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_active"]


class ChallengeActionInline(admin.TabularInline):
    model = ChallengeAction
    extra = 0


@admin.register(ChallengeMeeting)
class ChallengeMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["held_on"]
    inlines = [ChallengeActionInline]
