"""IRO case oversight: project package and shared kernel."""

from iro_service.celery import app as celery_app

__all__ = ["celery_app"]
