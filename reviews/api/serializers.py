"""DRF serializers for the reviews app."""
