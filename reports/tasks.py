"""Celery tasks of the reports app: take primary keys, call one service, idempotent."""
