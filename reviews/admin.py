"""Django admin registrations for the reviews app: for the system administrator. Staff use the
pages, whose services keep the cached due dates right; an edit here does not refresh them
until the nightly job runs."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reviews.models import (
    CafcassInvolvement,
    Code,
    Episode,
    IroContact,
    LacReview,
    LegalAdviceReferral,
    PeriodOfCare,
    PermanencePlan,
    ReviewMeeting,
    ReviewPart,
)


@admin.register(Code)
class CodeAdmin(SimpleHistoryAdmin):
    list_display = ["list_name", "code", "label", "first_year", "last_year"]
    list_filter = ["list_name"]


class EpisodeInline(admin.TabularInline):
    model = Episode
    extra = 0


@admin.register(PeriodOfCare)
class PeriodOfCareAdmin(SimpleHistoryAdmin):
    list_display = ["child", "start_date", "end_date", "next_review_due", "is_short_breaks"]
    search_fields = ["child__local_child_id", "child__last_name"]
    raw_id_fields = ["child"]
    inlines = [EpisodeInline]


class ReviewPartInline(admin.TabularInline):
    model = ReviewPart
    extra = 0


@admin.register(LacReview)
class LacReviewAdmin(SimpleHistoryAdmin):
    list_display = [
        "child",
        "sequence",
        "review_date",
        "due_date",
        "chair",
        "record_due",
        "record_distributed",
    ]
    search_fields = ["child__local_child_id", "child__last_name"]
    raw_id_fields = ["child", "period"]
    inlines = [ReviewPartInline]


for model in (ReviewMeeting, IroContact, PermanencePlan, CafcassInvolvement, LegalAdviceReferral):
    admin.site.register(model, SimpleHistoryAdmin)
