"""DRF serializers for the qa_alerts app."""
