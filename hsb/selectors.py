"""Reads for the hsb app: one named query per screen, owning its joins."""
