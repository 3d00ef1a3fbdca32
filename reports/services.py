"""Writes for the reports app: workflows that change its models, named <entity>_<action>."""
