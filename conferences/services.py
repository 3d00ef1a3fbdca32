"""Writes for the conferences app: workflows that change its models, named <entity>_<action>."""
