"""API URLs of the hsb app."""

from rest_framework.routers import SimpleRouter

from hsb.api.views import (
    HsbAssessmentViewSet,
    HsbMeetingViewSet,
    HsbReferralViewSet,
    HsbTrainingRecordViewSet,
)

router = SimpleRouter()
router.register("hsb-referrals", HsbReferralViewSet, basename="hsb-referral")
router.register("hsb-meetings", HsbMeetingViewSet, basename="hsb-meeting")
router.register("hsb-assessments", HsbAssessmentViewSet, basename="hsb-assessment")
router.register("hsb-training-records", HsbTrainingRecordViewSet, basename="hsb-training-record")

urlpatterns = router.urls
