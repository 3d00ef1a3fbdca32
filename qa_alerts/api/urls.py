"""API URLs of the qa_alerts app."""

from rest_framework.routers import SimpleRouter

from qa_alerts.api.views import (
    AlertResponseViewSet,
    AlertTransitionViewSet,
    ChallengeActionViewSet,
    ChallengeMeetingViewSet,
    QaAlertViewSet,
)

router = SimpleRouter()
router.register("qa-alerts", QaAlertViewSet, basename="qa-alert")
router.register("qa-alert-responses", AlertResponseViewSet, basename="qa-alert-response")
router.register("qa-alert-transitions", AlertTransitionViewSet, basename="qa-alert-transition")
router.register("challenge-meetings", ChallengeMeetingViewSet, basename="challenge-meeting")
router.register("challenge-actions", ChallengeActionViewSet, basename="challenge-action")

urlpatterns = router.urls
