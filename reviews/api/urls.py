"""API URLs of the reviews app."""

from rest_framework.routers import SimpleRouter

from reviews.api.views import (
    CafcassInvolvementViewSet,
    EpisodeViewSet,
    IroContactViewSet,
    LacReviewViewSet,
    LegalAdviceReferralViewSet,
    PeriodOfCareViewSet,
    PermanencePlanViewSet,
    ReviewMeetingViewSet,
)

router = SimpleRouter()
router.register("periods-of-care", PeriodOfCareViewSet, basename="period-of-care")
router.register("episodes", EpisodeViewSet, basename="episode")
router.register("reviews", LacReviewViewSet, basename="lac-review")
router.register("review-meetings", ReviewMeetingViewSet, basename="review-meeting")
router.register("iro-contacts", IroContactViewSet, basename="iro-contact")
router.register("permanence-plans", PermanencePlanViewSet, basename="permanence-plan")
router.register("cafcass-involvements", CafcassInvolvementViewSet, basename="cafcass-involvement")
router.register("legal-advice-referrals", LegalAdviceReferralViewSet, basename="legal-advice-referral")

urlpatterns = router.urls
