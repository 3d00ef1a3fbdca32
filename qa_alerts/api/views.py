"""DRF views for the qa_alerts app."""
