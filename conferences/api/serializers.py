"""DRF serializers for the conferences app."""
