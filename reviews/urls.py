"""URLs of the reviews app's pages."""

app_name = "reviews"

urlpatterns: list = []
