"""DRF serializers for the reports app."""
