"""Celery tasks of the conferences app: take primary keys, call one service, idempotent."""
