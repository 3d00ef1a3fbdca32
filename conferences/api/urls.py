"""API URLs of the conferences app."""

from rest_framework.routers import SimpleRouter

from conferences.api.views import ChildProtectionPlanViewSet, ConferenceViewSet

router = SimpleRouter()
router.register("conferences", ConferenceViewSet, basename="conference")
router.register("cp-plans", ChildProtectionPlanViewSet, basename="cp-plan")

urlpatterns = router.urls
