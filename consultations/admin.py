"""Django admin registrations for consultations (for the system administrator; staff use the
pages, which go through the services). The link's hash is never shown."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from consultations.models import Answer, Consultation, Question, QuestionSet, SafetyNotice


@admin.register(QuestionSet)
class QuestionSetAdmin(SimpleHistoryAdmin):
    list_display = ["title", "audience"]


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "question_set", "position", "kind", "active"]
    list_filter = ["question_set"]


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = [
        "respondent_name",
        "audience",
        "meeting",
        "conference_child",
        "channel",
        "created_at",
        "returned_at",
    ]
    exclude = ["secret_hash"]
    raw_id_fields = ["meeting", "conference_child", "child"]
    # A conference child's name is its child's and its conference's (with the family's name).
    list_select_related = ["meeting", "conference_child__child", "conference_child__conference__family"]


admin.site.register(Answer, SimpleHistoryAdmin)
admin.site.register(SafetyNotice, SimpleHistoryAdmin)
