"""URLs of the conferences app's pages."""

app_name = "conferences"

urlpatterns: list = []
