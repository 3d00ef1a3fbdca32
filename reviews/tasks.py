"""Celery tasks of the reviews app: take primary keys, call one service, idempotent."""
