"""API URLs of the reviews app."""

from rest_framework.routers import SimpleRouter

from reviews.api.views import EpisodeViewSet, LacReviewViewSet, PeriodOfCareViewSet

router = SimpleRouter()
router.register("periods-of-care", PeriodOfCareViewSet, basename="period-of-care")
router.register("episodes", EpisodeViewSet, basename="episode")
router.register("reviews", LacReviewViewSet, basename="lac-review")

urlpatterns = router.urls
