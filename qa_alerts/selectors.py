"""Reads for the qa_alerts app: one named query per screen, owning its joins."""
