"""Writes for the qa_alerts app: workflows that change its models, named <entity>_<action>."""
