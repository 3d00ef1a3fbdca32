"""A small county with one of every record a page is about, made through the services: for the
tests that open every page and post to every form. Dates are relative to today so that nothing
is in the future where a service refuses it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from conferences.models import Appeal, Conference, ConferenceChild, ConferenceType, Section47Enquiry
from conferences.services import (
    ChildDecision,
    appeal_record,
    appeal_update,
    conference_book,
    conference_record,
    conference_record_distribute,
    conference_reports_record,
    strategy_discussion_record,
)
from consultations import services as consultations
from consultations.models import Answer, Consultation, Question, SafetyNotice, VoiceNote
from hsb import services as hsb
from hsb.models import HsbMeeting, HsbReferral
from iro_service.audit.models import DataExchange, ExchangeDirection, ExchangeFormat, ExchangeOutcome
from iro_service.people.models import Child, Family, StaffMember
from iro_service.timescales.dates import collection_year
from iro_service.timescales.models import NonWorkingDay
from iro_service.timescales.services import non_working_day_add
from qa_alerts import services as qa_alerts
from qa_alerts.models import (
    AlertResponse,
    ChallengeAction,
    ChallengeMeeting,
    ChallengeTheme,
    ConcernCategory,
    QaAlert,
)
from reports.annual import services as annual_report
from reports.models import (
    AnnualReportRun,
    AnnualReportText,
    AnnualReportVersion,
    Comparator,
    Recommendation,
    RecommendationProgress,
    RunStatus,
)
from reports.targets.services import comparator_set
from reviews import services as reviews
from reviews.models import CafcassInvolvement, LacReview, LegalAdviceReferral, PeriodOfCare, ReviewMeeting
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.conferences import family_with_children
from tests.factories.reviews import period_of_care, review
from tests.factories.sounds import tone_wav


@dataclass
class County:
    chair: StaffMember
    child: Child  # Amy: in care, with a review, a booked meeting, a guardian and a referral
    child_not_in_care: Child
    period: PeriodOfCare
    review: LacReview
    meeting: ReviewMeeting
    guardian: CafcassInvolvement
    referral: LegalAdviceReferral
    family: Family
    held_conference: Conference  # with both report dates, its record completed, an appeal
    booked_conference: Conference
    # Amy's place at the booked review conference: the page of her consultations before it.
    booked_conference_child: ConferenceChild
    section47_enquiry: Section47Enquiry  # Amy's, from the held conference's strategy discussion
    appeal: Appeal
    non_working_day: NonWorkingDay
    data_exchange: DataExchange
    hsb_referral: HsbReferral  # Amy's: rated amber, decided, with a meeting chaired by the HSB lead
    hsb_meeting: HsbMeeting
    alert: QaAlert  # an open concern about Amy, with a response sent through the link
    alert_response: AlertResponse
    category: ConcernCategory
    theme: ChallengeTheme
    challenge_meeting: ChallengeMeeting
    challenge_action: ChallengeAction
    response_token: str
    # A consultation with the child before the booked meeting, part answered through its link.
    consultation: Consultation
    consultation_token: str
    answer: Answer
    question: Question
    voice_note: VoiceNote  # Amy said her answer too
    # Amy's answer to her consultation before the booked review conference.
    conference_answer: Answer
    # The chair's in-app notice that the child said they do not feel safe, not yet acknowledged.
    safety_notice: SafetyNotice
    # The annual report: this year's draft (with progress on last year's recommendation), one
    # section's text, a recommendation, and a finished assembly.
    annual_version: AnnualReportVersion
    annual_text: AnnualReportText
    annual_recommendation: Recommendation
    annual_progress: RecommendationProgress
    annual_run: AnnualReportRun
    comparator: Comparator  # England's repeat plans for the current reporting year
    # A figure with records behind it, for the dashboards' pages about one figure.
    figure_key: str = "lac_reviews_late"

    @property
    def chair_user(self):
        """The chair's user account (a member of staff's access history is found by it)."""
        return self.chair.user


def small_county(*, chair_user=None) -> County:
    today = timezone.localdate()
    chair = StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=chair_user)
    in_care_since = today - timedelta(days=120)
    family, (amy, ben) = family_with_children("Amy", "Ben", start=date(2010, 1, 1))
    IroAllocationFactory(child=amy, iro=chair, start_date=in_care_since)
    period = period_of_care(child=amy, start_date=in_care_since)
    held_review = review(
        child=amy,
        parts=in_care_since + timedelta(days=14),
        chair=chair,
        participation_code="PN1",
        record_completed=in_care_since + timedelta(days=20),
    )
    meeting = reviews.review_meeting_book(period=period, on=today + timedelta(days=10))
    guardian = reviews.cafcass_involvement_record(
        child=amy,
        guardian_name="Ruth Okafor",
        start_date=in_care_since + timedelta(days=1),
        end_date=in_care_since + timedelta(days=60),
        handover_date=in_care_since + timedelta(days=62),
    )
    referral = reviews.legal_advice_referral_record(
        child=amy,
        date_referred=in_care_since + timedelta(days=20),
        reason="Contact with siblings refused",
        outcome="Solicitor appointed",
    )
    held_on = today - timedelta(days=60)
    discussion = strategy_discussion_record(
        family=family, on=held_on - timedelta(days=10), children=[amy, ben]
    )
    held = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=held_on,
        chair=chair,
        children=[(amy, "initial"), (ben, "initial")],
        strategy_discussion=discussion,
        agencies=["police"],
    )
    conference_reports_record(
        conference=held,
        report_to_parents_on=held_on - timedelta(days=3),
        report_to_chair_on=held_on - timedelta(days=2),
    )
    conference_record(
        conference=held,
        decisions={amy.pk: ChildDecision("plan_started", ("NEG",)), ben.pk: ChildDecision("not_needed")},
    )
    conference_record_distribute(
        conference=held, completed_on=held_on + timedelta(days=5), distributed_on=held_on + timedelta(days=6)
    )
    appeal = appeal_record(
        conference=held, appellant="parent_or_carer", received_on=held_on + timedelta(days=3)
    )
    appeal_update(appeal=appeal, stage=1, outcome="not_upheld", response_sent_on=held_on + timedelta(days=9))
    booked = conference_book(
        family=family,
        conference_type=ConferenceType.FIRST_REVIEW,
        on=today + timedelta(days=7),
        chair=chair,
        children=[(amy, "first_review")],
    )
    hsb_lead = StaffMemberFactory(first_name="Kath", last_name="Lowe", job_role="iro_manager")
    hsb_referral = hsb.hsb_referral_record(
        child=amy,
        received_on=today - timedelta(days=30),
        referrer_name="Jo Marsh",
        referrer_team="Amy's school",
        description="Sexualised behaviour towards a younger pupil",
        period_of_care=period,
    )
    hsb_referral = hsb.hsb_referral_decide(
        referral=hsb_referral,
        rating="amber",
        tool_version="2012",
        outcome="hsb_meeting",
        decided_on=today - timedelta(days=28),
        decided_by=hsb_lead,
    )
    hsb_meeting = hsb.hsb_meeting_record(
        referral=hsb_referral,
        date=today - timedelta(days=20),
        chair=hsb_lead,
        agencies=["social_care", "education"],
        risk_summary="Risk to younger pupils at school",
        recommendations="Safety plan at school",
        review_on=today + timedelta(days=5),
    )
    now = timezone.now()
    exchange = DataExchange.objects.create(
        data_format=ExchangeFormat.SSDA903,
        direction=ExchangeDirection.IMPORT,
        outcome=ExchangeOutcome.REJECTED,
        run_by="manager",
        files="header.csv, episodes.csv",
        started_at=now,
        finished_at=now,
        problem_count=1,
        problems=[
            {"file": "episodes.csv", "where": "row 2", "field": "CHILD", "message": "Enter a child ID"}
        ],
    )
    alert = qa_alerts.alert_raise(
        raised_by=chair,
        children=[amy],
        kind="concern",
        categories=[ConcernCategory.objects.get(code="drift_delay")],
        description="The care plan has not been updated since the last review.",
        practitioner_name="Pat Practitioner",
        practitioner_email="pat@example.invalid",
        team=chair.team,
        team_manager_name="Tess Manager",
        team_manager_email="tess@example.invalid",
        raised_on=today - timedelta(days=5),
    )
    _, used_token = qa_alerts.response_link_issue(alert=alert, stage=0, recipient="pat@example.invalid")
    response = qa_alerts.alert_response_through_link(token=used_token, responder_name="Pat", summary="On it")
    _, token = qa_alerts.response_link_issue(alert=alert, stage=0, recipient="tess@example.invalid")
    theme = ChallengeTheme.objects.order_by("pk").first()
    challenge = qa_alerts.challenge_meeting_save(
        held_on=today - timedelta(days=2), attendees="Assistant director", alerts=[alert], themes=[theme]
    )
    action = qa_alerts.challenge_action_add(
        meeting=challenge,
        description="Update the plan",
        owner="Tess Manager",
        due_on=today + timedelta(days=10),
    )
    year_end = today.year + 1 if today.month >= 4 else today.year
    last_year = annual_report.annual_report_start(year_end=year_end - 1, user=chair_user)
    last_recommendation = annual_report.recommendation_add(version=last_year, text="Reduce IRO caseloads")
    annual_version = annual_report.annual_report_start(year_end=year_end, user=chair_user)
    # A finished assembly for the pages that show and download one. Its files stand in for the
    # real documents, which the annual report's own tests assemble and read.
    annual_run = AnnualReportRun.objects.create(
        version=annual_version,
        status=RunStatus.DONE,
        printed_on=today,
        html=b"<!DOCTYPE html><title>Report</title>",
        docx=b"PK",
        pdf=b"%PDF-1.7",
        finished_at=timezone.now(),
    )
    consultation, consultation_token = consultations.consultation_send(
        meeting=meeting, audience="child", respondent_name="Amy", channel="letter"
    )
    question = Question.objects.get(
        question_set__audience="child", question_set__occasion="review", key="going_well"
    )
    answer = consultations.answer_save(consultation=consultation, question=question, value="Football")
    voice_note = consultations.voice_note_save(
        consultation=consultation, question=question, recording=tone_wav(0.2)
    )
    before_the_conference, _ = consultations.consultation_send(
        conference_child=booked.children.get(child=amy),
        audience="child",
        respondent_name="Amy",
        channel="letter",
    )
    conference_answer = consultations.answer_save(
        consultation=before_the_conference,
        question=Question.objects.get(
            question_set__audience="child", question_set__occasion="conference", key="going_well"
        ),
        value="Seeing my nan",
    )
    return County(
        chair=chair,
        consultation=consultation,
        consultation_token=consultation_token,
        answer=answer,
        question=question,
        voice_note=voice_note,
        conference_answer=conference_answer,
        safety_notice=SafetyNotice.objects.create(consultation=consultation, staff=chair),
        child=amy,
        child_not_in_care=ChildFactory(first_name="Dan", last_name="Jones"),
        period=period,
        review=held_review,
        meeting=meeting,
        guardian=guardian,
        referral=referral,
        family=family,
        held_conference=Conference.objects.get(pk=held.pk),
        booked_conference=booked,
        booked_conference_child=booked.children.get(child=amy),
        section47_enquiry=discussion.enquiries.get(child=amy),
        appeal=Appeal.objects.get(pk=appeal.pk),
        non_working_day=non_working_day_add(
            day=today + timedelta(days=40), description="Council closure day"
        ),
        data_exchange=exchange,
        hsb_referral=HsbReferral.objects.get(pk=hsb_referral.pk),
        hsb_meeting=hsb_meeting,
        alert=QaAlert.objects.get(pk=alert.pk),
        alert_response=response,
        category=ConcernCategory.objects.get(code="drift_delay"),
        theme=theme,
        challenge_meeting=challenge,
        challenge_action=action,
        response_token=token,
        comparator=comparator_set(
            figure_key="cp_repeat_plans", year=collection_year(today), source="england", value=Decimal("18.7")
        ),
        annual_version=annual_version,
        annual_text=annual_version.texts.get(section="cic-participation"),
        annual_recommendation=annual_report.recommendation_add(
            version=annual_version, text="Make LAC reviews more child focused"
        ),
        annual_progress=annual_version.progress.get(recommendation=last_recommendation),
        annual_run=annual_run,
    )
