"""Writes for the reviews app: workflows that change its models, named <entity>_<action>."""
