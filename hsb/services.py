"""Writes for the hsb app: workflows that change its models, named <entity>_<action>."""
