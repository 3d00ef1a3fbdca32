"""Reads for the reports app: one named query per screen, owning its joins."""
