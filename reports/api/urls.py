"""API URLs of the reports app."""

from django.urls import path

from reports.api import views

urlpatterns = [
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("figures/keys/", views.FigureCatalogueView.as_view(), name="figure-keys"),
    path("figures/definitions/", views.FigureDefinitionsView.as_view(), name="figure-definitions"),
    path("figures/<str:key>/series/", views.FigureSeriesView.as_view(), name="figure-series"),
    path("figures/<str:key>/records/", views.FigureRecordsView.as_view(), name="figure-records"),
]
