"""Reads for the reviews app: one named query per screen, owning its joins."""
