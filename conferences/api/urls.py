"""API URLs of the conferences app."""

urlpatterns: list = []
