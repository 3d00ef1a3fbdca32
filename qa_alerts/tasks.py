"""Celery tasks of the qa_alerts app: take primary keys, call one service, idempotent."""
