"""A child's care record (the timeline of periods, episodes, reviews and contacts) and the
review a page edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Prefetch,
)

from iro_service.core.codes import code_shown
from iro_service.people.models import Child, IroAllocation
from reviews.codes import STARTS_PERIOD, MeetingStatus
from reviews.models import (
    Episode,
    IroContact,
    LacReview,
    PeriodOfCare,
    ReviewMeeting,
    ReviewPart,
)


@dataclass
class TimelineEntry:
    day: date
    kind: str
    title: str
    detail: str = ""
    review: LacReview | None = None


def care_record(*, child: Child) -> dict:
    """Everything the child's care page shows, in a fixed number of queries: periods with their
    episodes, reviews (with parts and chair), meetings, contacts, IRO changes, plans,
    Children's Guardians and legal-advice referrals, and the timeline built from them."""
    periods = list(
        PeriodOfCare.objects.filter(child=child)
        .order_by("-start_date")
        .prefetch_related(
            Prefetch("episodes", queryset=Episode.objects.order_by("start_date")),
            Prefetch(
                "reviews",
                queryset=LacReview.objects.select_related("chair").prefetch_related(
                    Prefetch("parts", queryset=ReviewPart.objects.order_by("part_number"))
                ),
            ),
            Prefetch("meetings", queryset=ReviewMeeting.objects.order_by("date")),
            "permanence_plans",
        )
    )
    contacts = list(IroContact.objects.filter(child=child).select_related("iro"))
    allocations = list(IroAllocation.objects.filter(child=child).select_related("iro").order_by("start_date"))
    guardians = list(child.cafcass_involvements.all())
    referrals = list(child.legal_advice_referrals.all())
    timeline: list[TimelineEntry] = []
    for period in periods:
        # Plain lists for the template, which cannot index a queryset from the end.
        period.episode_list = list(period.episodes.all())
        period.current_episode = period.episode_list[-1] if period.episode_list else None
        plans = sorted(period.permanence_plans.all(), key=lambda plan: plan.date_agreed)
        period.latest_plan = plans[-1] if plans else None
        period.review_list = sorted(period.reviews.all(), key=lambda review: review.review_date)
        for review in period.review_list:
            review.part_list = list(review.parts.all())
            review.last_part = review.part_list[-1] if review.part_list else None
        for episode in period.episode_list:
            starts = episode.reason_for_new_episode == STARTS_PERIOD
            detail = (
                f"Legal status: {code_shown('LS', episode.legal_status)}. "
                f"Placement: {code_shown('PLACE', episode.placement)}."
            )
            if not starts:
                # "Started to be looked after" is what the title says already.
                detail = f"{code_shown('RNE', episode.reason_for_new_episode)}. {detail}"
            timeline.append(
                TimelineEntry(
                    episode.start_date, "episode", "Came into care" if starts else "New episode", detail
                )
            )
        if period.end_date and period.current_episode:
            timeline.append(
                TimelineEntry(
                    period.end_date,
                    "episode",
                    "Left care",
                    f"Reason: {code_shown('REC', period.current_episode.reason_ceased)}.",
                )
            )
        for review in period.review_list:
            parts = review.part_list
            detail = f"Due by {review.due_date:%d %b %Y}"
            if len(parts) > 1:
                detail += "; held in parts: " + ", ".join(f"{p.date:%d %b %Y}" for p in parts)
            timeline.append(
                TimelineEntry(review.review_date, "review", f"Review {review.sequence}", detail, review)
            )
        for meeting in period.meetings.all():
            if meeting.status != MeetingStatus.HELD:
                detail = meeting.reason
                timeline.append(
                    TimelineEntry(
                        meeting.date,
                        "meeting",
                        f"Review meeting {meeting.get_status_display().lower()}",
                        detail,
                    )
                )
        for plan in period.permanence_plans.all():
            timeline.append(
                TimelineEntry(
                    plan.date_agreed, "plan", "Permanence plan agreed", plan.get_plan_type_display()
                )
            )
    for contact in contacts:
        timeline.append(
            TimelineEntry(
                contact.date, "contact", f"IRO {contact.get_kind_display().lower()}", contact.iro.full_name
            )
        )
    for allocation in allocations:
        timeline.append(
            TimelineEntry(allocation.start_date, "iro", f"IRO: {allocation.iro.full_name}", allocation.reason)
        )
    for guardian in guardians:
        timeline.append(
            TimelineEntry(
                guardian.start_date, "cafcass", "Children's Guardian appointed", guardian.guardian_name
            )
        )
        if guardian.end_date is not None:
            timeline.append(
                TimelineEntry(
                    guardian.end_date,
                    "cafcass",
                    "Children's Guardian's involvement ended",
                    guardian.guardian_name,
                )
            )
        if guardian.handover_date is not None:
            timeline.append(
                TimelineEntry(
                    guardian.handover_date,
                    "cafcass",
                    "Children's Guardian handed over to the IRO",
                    guardian.guardian_name,
                )
            )
    for referral in referrals:
        detail = referral.reason + (f" Outcome: {referral.outcome}" if referral.outcome else "")
        timeline.append(TimelineEntry(referral.date_referred, "legal", "Referred for legal advice", detail))
    timeline.sort(key=lambda entry: entry.day, reverse=True)
    return {
        "periods": periods,
        "current_period": next((p for p in periods if p.end_date is None), None),
        "timeline": timeline,
        "guardians": guardians,
        "referrals": referrals,
    }


def review_for_edit(*, pk: int, user) -> LacReview:
    return (
        LacReview.objects.restrict(user)
        .select_related("child", "chair", "period")
        .prefetch_related(Prefetch("parts", queryset=ReviewPart.objects.order_by("part_number")))
        .get(pk=pk)
    )


# What may be changed on a recorded review besides its parts, by the review page and the API
# alike (the record's distribution date is business support's, set by another page).
LAC_REVIEW_EDITABLE_FIELDS = (
    "chair",
    "participation_code",
    "sw_report_received",
    "decisions_circulated",
    "record_completed",
    "late_reason",
)


def lac_review_editable_values(*, review: LacReview) -> dict:
    """A recorded review's editable fields as stored: where an edit starts from."""
    return {name: getattr(review, name) for name in LAC_REVIEW_EDITABLE_FIELDS}


def review_with_child(*, pk: int, user) -> LacReview:
    """One review with its child and chair (an alert raised from the review's page)."""
    return LacReview.objects.restrict(user).select_related("child", "chair").get(pk=pk)


def review_meeting_for_page(*, pk: int, user) -> ReviewMeeting:
    """A review meeting ``user`` may reach, with its child (``ReviewMeeting.DoesNotExist``
    otherwise): for the pages of other apps about one meeting, such as its consultations."""
    return ReviewMeeting.objects.restrict(user).select_related("period__child").get(pk=pk)
