"""Celery tasks of the hsb app: take primary keys, call one service, idempotent."""
