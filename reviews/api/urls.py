"""API URLs of the reviews app."""

urlpatterns: list = []
