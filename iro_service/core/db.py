"""Small database expressions shared by the apps' constraints and queries."""

from django.db import models


class CurrentDate(models.Func):
    """PostgreSQL's CURRENT_DATE, usable in CheckConstraint (e.g. "not in the future")."""

    template = "CURRENT_DATE"
    output_field = models.DateField()

    def __init__(self):
        super().__init__()
