"""URLs of the qa_alerts app's pages."""

app_name = "qa_alerts"

urlpatterns: list = []
