"""API URLs of the reports app."""

urlpatterns: list = []
