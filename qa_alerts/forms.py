"""Forms for the qa_alerts app's pages."""
