from rest_framework.routers import SimpleRouter

from iro_service.people.api.views import ChildViewSet, FamilyViewSet

router = SimpleRouter()
router.register("children", ChildViewSet, basename="child")
router.register("families", FamilyViewSet, basename="family")

urlpatterns = router.urls
