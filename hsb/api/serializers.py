"""DRF serializers for the hsb app."""
