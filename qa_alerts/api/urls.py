"""API URLs of the qa_alerts app."""

urlpatterns: list = []
