"""API URLs of the hsb app."""

urlpatterns: list = []
