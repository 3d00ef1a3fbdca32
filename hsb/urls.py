"""URLs of the hsb app's pages."""

app_name = "hsb"

urlpatterns: list = []
