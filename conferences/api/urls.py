"""API URLs of the conferences app."""

from rest_framework.routers import SimpleRouter

from conferences.api.views import (
    AgencyInvitationViewSet,
    AppealViewSet,
    ChildProtectionPlanViewSet,
    ConferenceViewSet,
    Section47EnquiryViewSet,
    StrategyDiscussionViewSet,
)

router = SimpleRouter()
router.register("conferences", ConferenceViewSet, basename="conference")
router.register("cp-plans", ChildProtectionPlanViewSet, basename="cp-plan")
router.register("strategy-discussions", StrategyDiscussionViewSet, basename="strategy-discussion")
router.register("section-47-enquiries", Section47EnquiryViewSet, basename="section-47-enquiry")
router.register("agency-invitations", AgencyInvitationViewSet, basename="agency-invitation")
router.register("appeals", AppealViewSet, basename="appeal")

urlpatterns = router.urls
