"""Reads for the conferences app: one named query per screen, owning its joins."""
